using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanko.Webhooks.AspNetCore.Internal;

/// <summary>
/// Hanko counts any status below 400 as delivered, and its Go client follows a 301/302/303 with a body-less GET and a
/// 307/308 by posting the body again to the new location (see <see cref="ConsequenceOf"/>), so a redirect in front of the
/// webhook path (typically <c>UseHttpsRedirection</c>) loses events or leaves them to another URL. Middleware cannot be inserted
/// ahead of the application's own from <c>MapHankoWebhooks</c>, so this guard watches instead of preventing:
/// <list type="bullet">
/// <item>when the application starts, it warns if the endpoint is reachable over plain http while HTTPS redirection can
/// apply (an https address is bound, or an https port is configured);</item>
/// <item>at run time it listens to the routing middleware's <c>Microsoft.AspNetCore.Routing.EndpointMatched</c> diagnostic
/// event and, for a request matched to a webhook endpoint, logs an error if a 3xx is about to be written, whatever wrote it.</item>
/// </list>
/// The run-time check needs the routing middleware to run before the redirecting middleware, which is the case with
/// <c>WebApplication</c> (it puts <c>UseRouting</c> first unless the application calls it itself).
/// </summary>
internal sealed class RedirectGuard : IObserver<KeyValuePair<string, object?>>
{
    private const string EndpointMatched = "Microsoft.AspNetCore.Routing.EndpointMatched";

    private static readonly ConditionalWeakTable<IServiceProvider, RedirectGuard> Guards = new();
    private static readonly Func<object, Task> CheckStatus = CheckStatusAsync;

    private readonly ILogger _logger;
    private readonly List<string> _patterns = [];
    private IDisposable? _subscription;

    private RedirectGuard(ILogger logger) => _logger = logger;

    /// <summary>Starts guarding the endpoints of the application behind <paramref name="services"/>; once per application.</summary>
    public static void Register(IServiceProvider services, string pattern)
    {
        var guard = Guards.GetValue(services, sp => Create(sp));
        lock (guard._patterns)
        {
            guard._patterns.Add(pattern);
        }
    }

    private static RedirectGuard Create(IServiceProvider services)
    {
        var guard = new RedirectGuard(services.GetRequiredService<ILoggerFactory>().CreateLogger(Log.Category));
        if (services.GetService<DiagnosticListener>() is { } listener)
        {
            guard._subscription = listener.Subscribe(guard, static name => name == EndpointMatched);
        }

        if (services.GetService<IHostApplicationLifetime>() is { } lifetime)
        {
            lifetime.ApplicationStarted.Register(() => guard.CheckAtStart(services));
            lifetime.ApplicationStopped.Register(() => guard._subscription?.Dispose());
        }

        return guard;
    }

    private void CheckAtStart(IServiceProvider services)
    {
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null || addresses.Count == 0)
        {
            return;
        }

        var http = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        if (http is null)
        {
            return;
        }

        var configuration = services.GetService<IConfiguration>();
        var httpsPortConfigured = services.GetService<IOptions<HttpsRedirectionOptions>>()?.Value.HttpsPort is not null
            || !string.IsNullOrEmpty(configuration?["HTTPS_PORT"])
            || !string.IsNullOrEmpty(configuration?["ASPNETCORE_HTTPS_PORT"]);
        var httpsBound = addresses.Any(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        if (!httpsPortConfigured && !httpsBound)
        {
            return;
        }

        string[] patterns;
        lock (_patterns)
        {
            patterns = [.. _patterns];
        }

        foreach (var pattern in patterns)
        {
            Log.HttpReachableWithRedirection(_logger, pattern, http);
        }
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == EndpointMatched
            && value.Value is HttpContext context
            && context.GetEndpoint()?.Metadata.GetMetadata<HankoWebhookEndpointMetadata>() is not null)
        {
            context.Response.OnStarting(CheckStatus, new State(this, context));
        }
    }

    private static Task CheckStatusAsync(object state)
    {
        var (guard, context) = (State)state;
        var status = context.Response.StatusCode;
        if (status is >= 300 and < 400)
        {
            var followed = !string.IsNullOrEmpty(context.Response.Headers.Location);
            Log.RedirectDetected(guard._logger, context.Request.Path.Value ?? string.Empty, status, ConsequenceOf(status, followed));
        }

        return Task.CompletedTask;
    }

    /// <summary>What Hanko's Go HTTP client makes of a 3xx (it follows up to 10 redirects that carry a <c>Location</c>).</summary>
    internal static string ConsequenceOf(int status, bool hasLocation) => (status, hasLocation) switch
    {
        (301 or 302 or 303, true) =>
            "Hanko's HTTP client follows it with a GET without the body, so this event never arrives: it is lost, and if the new location answers below 400 (a login page, say) Hanko even counts it as delivered.",
        (307 or 308, true) =>
            "Hanko's HTTP client posts the same body again to the new location, so the event arrives only if that URL takes it, and Hanko counts whatever that URL answers. A Hanko that no longer follows redirects (an open upstream change) counts it as a failure and loses the event.",
        _ =>
            "Hanko's HTTP client does not follow it and counts any status below 400 as delivered, so this event is lost without Hanko recording a failure.",
    };

    void IObserver<KeyValuePair<string, object?>>.OnCompleted()
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error)
    {
    }

    private sealed record State(RedirectGuard Guard, HttpContext Context);
}
