using Hanko.Webhooks;
using Hanko.Webhooks.AspNetCore.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the endpoint Hanko posts its webhooks to.</summary>
/// <remarks>
/// <para>Status codes, the same for every mapping (Hanko treats any status below 400 as delivered and never retries):</para>
/// <list type="table">
/// <listheader><term>Outcome</term><description>Status</description></listheader>
/// <item><term>Verified, every handler succeeded (inline mode: processing has finished)</term><description><c>200 OK</c></description></item>
/// <item><term>Verified, no handler registered, or an event name this SDK does not know</term><description><c>200 OK</c> (a new Hanko event must never make Hanko disable the hook)</description></item>
/// <item><term>Verified, but outside the endpoint's event filter</term><description><c>200 OK</c>, not dispatched, logged</description></item>
/// <item><term>Verified and queued (<c>UseBackgroundProcessing</c>: accepted, not processed yet)</term><description><c>202 Accepted</c></description></item>
/// <item><term>A handler threw (the others still ran); logged with the event name, never the payload</term><description><c>500 Internal Server Error</c></description></item>
/// <item><term>Body not JSON, no <c>token</c>, wrong shape (<see cref="HankoWebhookFailure.MalformedBody"/>)</term><description><c>400 Bad Request</c></description></item>
/// <item><term>Content type missing or not <c>application/json</c> (a charset parameter is fine, if UTF-8)</term><description><c>415 Unsupported Media Type</c></description></item>
/// <item><term>Body over <see cref="HankoWebhookOptions.MaxBodyBytes"/> (by <c>Content-Length</c>, or while reading a chunked body)</term><description><c>413 Content Too Large</c></description></item>
/// <item><term>Token refused: <c>MalformedToken</c>, <c>UnsupportedAlgorithm</c>, <c>UnknownKey</c>, <c>BadSignature</c>, <c>Expired</c>, <c>NotYetValid</c>, <c>WrongAudience</c>, <c>NotWebhookToken</c> (e.g. a Hanko session token), <c>EventMismatch</c></term><description><c>401 Unauthorized</c></description></item>
/// <item><term>Authentic token whose data does not have the documented shape (<see cref="HankoWebhookFailure.InvalidPayload"/>)</term><description><c>422 Unprocessable Content</c>: the request is well-formed and authentic, the SDK cannot understand it (logged as an error: update Hanko.Webhooks)</description></item>
/// <item><term>No signing keys (<see cref="HankoWebhookFailure.KeysUnavailable"/>), background queue full, or host stopping in queued mode</term><description><c>503 Service Unavailable</c></description></item>
/// <item><term>Method other than POST</term><description><c>405 Method Not Allowed</c> (by routing)</description></item>
/// </list>
/// <para>
/// Every refusal has a short <c>application/problem+json</c> body: <c>title</c> is the <see cref="HankoWebhookFailure"/> name,
/// <c>detail</c> its <see cref="HankoVerificationResult.FailureMessage"/>, which never contains the token or payload.
/// </para>
/// <para>
/// <b>Never a 3xx.</b> Hanko counts any status below 400 as delivered. Its HTTP client follows a 301/302/303 with a GET without
/// the body (the event is lost) and a 307/308 (what <c>UseHttpsRedirection</c> sends by default) by posting the body again to the
/// new location (the event then depends on that URL); a 3xx it does not follow is lost silently. Give Hanko the final <c>https</c>
/// URL, and keep redirecting middleware off the webhook path. The endpoint warns at start when it is reachable over plain http
/// while HTTPS redirection can apply, and logs an error (event id 114) whenever a 3xx is about to be sent for it.
/// </para>
/// <para>
/// Handlers run inline by default, with <see cref="HttpContext.RequestAborted"/> as their cancellation token; Hanko waits at most
/// 10 seconds. See <c>UseBackgroundProcessing</c> for acknowledge-then-process, and what each mode can lose.
/// </para>
/// </remarks>
public static class HankoWebhookEndpointRouteBuilderExtensions
{
    /// <summary>The path <see cref="MapHankoWebhooks(IEndpointRouteBuilder, string, Action{HankoWebhookEndpointOptions}?)"/> maps by default.</summary>
    public const string DefaultPattern = "/webhooks/hanko";

    /// <summary>
    /// Maps <c>POST <paramref name="pattern"/></c> to verify Hanko webhook deliveries and run the registered handlers of the
    /// events the endpoint's filter lets through (every event when there is none). Map it several times to take each Hanko
    /// subscription on its own path. See <see cref="HankoWebhookEndpointRouteBuilderExtensions"/> for the status codes.
    /// </summary>
    /// <param name="endpoints">The application's endpoint route builder.</param>
    /// <param name="pattern">The route pattern; the default is <c>/webhooks/hanko</c>.</param>
    /// <param name="configure">Sets the endpoint's options, such as its event filter; <see langword="null"/> for none.</param>
    /// <returns>A builder to add conventions with, such as <c>RequireHost</c>, <c>RequireRateLimiting</c> or <c>WithName</c>.</returns>
    /// <exception cref="InvalidOperationException"><c>services.AddHankoWebhooks()</c> was not called.</exception>
    /// <exception cref="ArgumentException">The filter holds a name that is neither a Hanko event nor a group of events (the message
    /// suggests the nearest known names).</exception>
    public static IEndpointConventionBuilder MapHankoWebhooks(
        this IEndpointRouteBuilder endpoints,
        string pattern = DefaultPattern,
        Action<HankoWebhookEndpointOptions>? configure = null) =>
        endpoints.MapHankoWebhooks(pattern, project: null, configure);

    /// <summary>
    /// Maps <c>POST <paramref name="pattern"/></c> to verify deliveries of the Hanko project <paramref name="project"/> (registered
    /// with <c>services.AddHankoWebhooks(project)</c>) against that project only: its keys, audience and replay namespace.
    /// Its own handlers run, and the shared ones. See <see cref="HankoWebhookEndpointRouteBuilderExtensions"/> for the status codes.
    /// </summary>
    /// <param name="endpoints">The application's endpoint route builder.</param>
    /// <param name="pattern">The route pattern, for example <c>/webhooks/hanko/eu</c>.</param>
    /// <param name="project">The project's name, as given to <c>AddHankoWebhooks(project)</c>; <see langword="null"/> for <c>AddHankoWebhooks()</c>.</param>
    /// <param name="configure">Sets the endpoint's options, such as its event filter; <see langword="null"/> for none.</param>
    /// <returns>A builder to add conventions with, such as <c>RequireHost</c>, <c>RequireRateLimiting</c> or <c>WithName</c>.</returns>
    /// <exception cref="InvalidOperationException">The project's services were not added.</exception>
    /// <exception cref="ArgumentException">The filter holds a name that is neither a Hanko event nor a group of events (the message
    /// suggests the nearest known names).</exception>
    public static IEndpointConventionBuilder MapHankoWebhooks(
        this IEndpointRouteBuilder endpoints,
        string pattern,
        string? project,
        Action<HankoWebhookEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        if (project is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(project);
        }

        var services = endpoints.ServiceProvider;
        if (project is null && (!IsRegistered<IHankoWebhookVerifier>(services) || !IsRegistered<IHankoEventDispatcher>(services)))
        {
            throw new InvalidOperationException(
                "MapHankoWebhooks needs the Hanko webhook services. Call services.AddHankoWebhooks() (builder.Services.AddHankoWebhooks() "
                + "with WebApplication) and add your handlers with .AddHandler<THandler>().");
        }

        if (project is not null && services.GetService<IServiceProviderIsKeyedService>()?.IsKeyedService(typeof(IHankoWebhookReceiver), project) != true)
        {
            throw new InvalidOperationException(
                $"MapHankoWebhooks(\"{pattern}\", \"{project}\") needs the Hanko project \"{project}\". Call services.AddHankoWebhooks(\"{project}\") "
                + $"(its settings are read from Hanko:Webhooks:Projects:{project}) and add its handlers with .AddHandler<THandler>().");
        }

        var options = new HankoWebhookEndpointOptions();
        configure?.Invoke(options);
        var filter = HankoEventFilter.Create(options, pattern);
        // Its request delegate: Kestrel's routing calls HandleAsync directly (the project's options are read on the first request).
        var endpoint = new HankoWebhookEndpoint(pattern, project, filter, services);
        RedirectGuard.Register(services, pattern);
        services.GetService<HankoWebhookEndpoints>()?.Add(project); // the core's start-up check and AddSubscriptions read it

        return endpoints
            .MapPost(pattern, endpoint.HandleAsync)
            .WithDisplayName(project is null ? $"Hanko webhooks {pattern}" : $"Hanko webhooks {pattern} ({project})")
            .WithMetadata(new HankoWebhookEndpointMetadata(pattern));
    }

    /// <summary>Whether the service is registered, without creating it (creating the verifier reads the options).</summary>
    private static bool IsRegistered<T>(IServiceProvider services) =>
        services.GetService<IServiceProviderIsService>() is { } registry ? registry.IsService(typeof(T)) : services.GetService<T>() is not null;
}
