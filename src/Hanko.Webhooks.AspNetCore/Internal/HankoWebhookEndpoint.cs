using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanko.Webhooks.AspNetCore.Internal;

/// <summary>
/// The request delegate of one mapped path: hands the request's body, content type and length to
/// <see cref="IHankoWebhookReceiver"/>, which decides everything (status table, body limit, span, count) and logs the
/// delivery's result once, and writes its result. It logs only its own filter's facts. It never answers with a 3xx.
/// </summary>
internal sealed class HankoWebhookEndpoint
{
    /// <summary>Far more than Hanko's event names: bounds the memory of the once-per-name warning whatever names arrive.</summary>
    private const int MaxWarnedNames = 256;

    private readonly string _pattern;
    private readonly string? _project;
    private readonly IServiceProvider _services;
    private readonly HankoReceiveOptions _receiveOptions;
    private readonly ILogger _logger;
    private readonly HankoEventFilter _filter;

    /// <summary>The event names this endpoint's filter has turned away, each warned about once (then logged at Debug).</summary>
    private readonly ConcurrentDictionary<string, byte> _filteredNames = new(StringComparer.Ordinal);

    /// <summary>The project's receiver and body limit, resolved on the first request.</summary>
    private Target? _target;

    /// <summary>
    /// Built when the path is mapped; <see cref="HandleAsync"/> is the path's request delegate. The project's options and receiver
    /// are resolved on the first request, not here: the options are validated when the host starts (ValidateOnStart), which
    /// reports a configuration mistake with the message that says what to set; resolving them while mapping would throw it
    /// from MapHankoWebhooks instead, before the host has started.
    /// </summary>
    public HankoWebhookEndpoint(string pattern, string? project, HankoEventFilter filter, IServiceProvider services)
    {
        _pattern = pattern;
        _project = project;
        _filter = filter;
        _services = services;

        // The filter applies before the replay claim, so that a token this path ignores is still processed by a path that accepts it;
        // in background mode the claim is taken when the event is queued.
        _receiveOptions = new HankoReceiveOptions { Accept = filter.IsEmpty ? null : Accepts };
        _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(Log.Category);
    }

    public async Task HandleAsync(HttpContext context)
    {
        var target = _target ??= new Target(_services, _project); // two first requests at once resolve the same singletons
        var request = context.Request;
        var aborted = context.RequestAborted;
        RaiseServerBodyLimit(context, target.MaxBodyBytes);

        HankoReceiveResult result;
        try
        {
            // The path goes into the scope of the core's own record of the result; the receiver opens the project's scope.
            using (Log.RequestScope(_logger, request.Path.Value ?? _pattern))
            {
                result = await target.Receiver.ReceiveAsync(request.Body, new HankoRequestInfo(request.ContentType, request.ContentLength), _receiveOptions, aborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return; // the caller has gone
        }

        if (result.ProblemTitle is null)
        {
            context.Response.StatusCode = result.StatusCode;
            return;
        }

        // Each handler failure is already logged with its exception by the dispatcher; exception messages stay out of the response.
        await ProblemResponse.WriteAsync(context.Response, result.StatusCode, result.ProblemTitle, result.ProblemDetail ?? result.ProblemTitle).ConfigureAwait(false);
    }

    /// <summary>
    /// The receiver enforces <see cref="HankoWebhookOptions.MaxBodyBytes"/> (and stops reading one byte past it); the server's own
    /// limit (30 MB by default) is lifted to just above it for this request, so that it never refuses first with its own answer.
    /// </summary>
    private static void RaiseServerBodyLimit(HttpContext context, long maxBodyBytes)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit && limit.MaxRequestBodySize is { } max && max <= maxBodyBytes)
        {
            limit.MaxRequestBodySize = maxBodyBytes + 1;
        }
    }

    /// <summary>
    /// The endpoint's filter, which logs what it turns away: the first time per name as a warning (it is answered 200, so
    /// Hanko will not send it again), later at Debug.
    /// </summary>
    private bool Accepts(HankoEvent @event)
    {
        if (_filter.Accepts(@event))
        {
            return true;
        }

        var name = @event.Name;
        if (_filteredNames.Count < MaxWarnedNames && _filteredNames.TryAdd(name, 0))
        {
            Log.FirstEventFiltered(_logger, name, _pattern);
        }
        else
        {
            Log.EventFiltered(_logger, name, _pattern);
        }

        return false;
    }

    /// <summary>What the endpoint needs of its project, read once: fields only, published whole.</summary>
    private sealed class Target
    {
        public readonly IHankoWebhookReceiver Receiver;
        public readonly long MaxBodyBytes;

        public Target(IServiceProvider services, string? project)
        {
            // Validated at start. A named project's own options and receiver are the keyed ones.
            MaxBodyBytes = (project is null
                ? services.GetRequiredService<IOptions<HankoWebhookOptions>>().Value
                : services.GetRequiredService<IOptionsMonitor<HankoWebhookOptions>>().Get(project)).MaxBodyBytes;
            Receiver = project is null ? services.GetRequiredService<IHankoWebhookReceiver>() : services.GetRequiredKeyedService<IHankoWebhookReceiver>(project);
        }
    }
}
