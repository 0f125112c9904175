using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanko.Webhooks.AspNetCore.Internal;

/// <summary>
/// The request delegate of one mapped path: hands the request's body, content type and length to
/// <see cref="IHankoWebhookReceiver"/>, which decides everything (status table, body limit, span, count), and writes its
/// result. It never answers with a 3xx.
/// </summary>
internal sealed class HankoWebhookEndpoint
{
    /// <summary>Far more than Hanko's event names: bounds the memory of the once-per-name warning whatever names arrive.</summary>
    private const int MaxWarnedNames = 256;

    private readonly string _pattern;
    private readonly long _maxBodyBytes;
    private readonly IHankoWebhookReceiver _receiver;
    private readonly HankoReceiveOptions _receiveOptions;
    private readonly HankoEventQueue? _queue;
    private readonly ILogger _logger;
    private readonly string? _project;

    /// <summary>The event names this endpoint's filter has turned away, each warned about once (then logged at Debug).</summary>
    private readonly ConcurrentDictionary<string, byte> _filteredNames = new(StringComparer.Ordinal);

    public HankoWebhookEndpoint(string pattern, string? project, HankoEventFilter filter, IServiceProvider services)
    {
        _pattern = pattern;
        _project = project;

        // Validated at start; read once. A named project's own options and receiver are the keyed ones.
        _maxBodyBytes = (project is null
            ? services.GetRequiredService<IOptions<HankoWebhookOptions>>().Value
            : services.GetRequiredService<IOptionsMonitor<HankoWebhookOptions>>().Get(project)).MaxBodyBytes;
        _receiver = project is null ? services.GetRequiredService<IHankoWebhookReceiver>() : services.GetRequiredKeyedService<IHankoWebhookReceiver>(project);
        _queue = (project is null ? services.GetService<IHankoHandOff>() : services.GetKeyedService<IHankoHandOff>(project)) as HankoEventQueue;

        // The filter applies before the replay claim, so that a token this path ignores is still processed by a path that accepts it;
        // in background mode the claim is taken when the event is queued.
        _receiveOptions = new HankoReceiveOptions { Accept = filter.IsEmpty ? null : filter.Accepts };
        _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Hanko.Webhooks.AspNetCore");
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var aborted = context.RequestAborted;
        RaiseServerBodyLimit(context);

        HankoReceiveResult result;
        try
        {
            result = await _receiver.ReceiveAsync(request.Body, new HankoRequestInfo(request.ContentType, request.ContentLength), _receiveOptions, aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return; // the caller has gone
        }

        using (_project is null ? null : Log.ProjectScope(_logger, _project))
        {
            LogResult(request, result);
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
    private void RaiseServerBodyLimit(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit && limit.MaxRequestBodySize is { } max && max <= _maxBodyBytes)
        {
            limit.MaxRequestBodySize = _maxBodyBytes + 1;
        }
    }

    private void LogResult(HttpRequest request, HankoReceiveResult result)
    {
        var path = request.Path.Value ?? _pattern;
        var name = result.Event?.Name ?? string.Empty;
        switch (result.Outcome)
        {
            case HankoReceiveOutcome.Refused:
                switch (result.Failure)
                {
                    case HankoWebhookFailure.UnsupportedMediaType:
                        Log.UnsupportedContentType(_logger, path, request.ContentType ?? "(none)");
                        break;
                    case HankoWebhookFailure.BodyTooLarge:
                        Log.BodyTooLarge(_logger, path, (int)_maxBodyBytes);
                        break;
                    case HankoWebhookFailure.BodyUnreadable:
                        Log.BodyUnreadable(_logger, path, result.StatusCode, result.ProblemDetail ?? string.Empty);
                        break;
                    case HankoWebhookFailure.InvalidPayload:
                        Log.InvalidPayload(_logger, path, result.StatusCode, result.ProblemDetail ?? string.Empty);
                        break;
                    case HankoWebhookFailure.KeysUnavailable:
                        Log.KeysUnavailable(_logger, path);
                        break;
                    default:
                        Log.DeliveryRefused(_logger, path, result.StatusCode, result.Failure);
                        break;
                }

                break;
            case HankoReceiveOutcome.Ignored when _filteredNames.Count < MaxWarnedNames && _filteredNames.TryAdd(name, 0):
                Log.FirstEventFiltered(_logger, name, _pattern);
                break;
            case HankoReceiveOutcome.Ignored:
                Log.EventFiltered(_logger, name, path);
                break;
            case HankoReceiveOutcome.Accepted when _queue is not null:
                Log.EventQueued(_logger, name);
                break;
            case HankoReceiveOutcome.Accepted:
                break; // the durable store logs what it stored, with its entry id
            case HankoReceiveOutcome.HandOffDeclined when _queue is null:
                break; // the durable store could not write it, and logged why: nothing was stored, Hanko sees a 503
            case HankoReceiveOutcome.HandOffDeclined when _queue is { IsCompleted: true }:
                Log.QueueClosed(_logger, name, path);
                break;
            case HankoReceiveOutcome.HandOffDeclined:
                Log.QueueFull(_logger, name, path, _queue?.Capacity ?? 0);
                break;
            case HankoReceiveOutcome.Dispatched when result.Dispatch is { Succeeded: false } dispatch:
                Log.HandlersFailed(_logger, name, path, dispatch.Failures.Count, dispatch.HandlerCount);
                break;
        }
    }
}
