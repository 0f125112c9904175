using Hanko.Webhooks.Handling;
using Hanko.Webhooks.Internal;
using Hanko.Webhooks.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks;

/// <summary>
/// Runs when the host starts, for every registered project at once: warns about risky settings and, unless turned off,
/// fetches the project's JWKS so that its first delivery does not wait for it. A failed fetch does not stop the host; the
/// next attempt may start 250 ms later (doubling after each failure, up to <see cref="HankoWebhookOptions.JwksRefetchCooldown"/>),
/// and a delivery that comes before it waits for it. Once the application has started (its endpoints are mapped by then), it
/// warns about every project that has handlers and no endpoint (<see cref="HankoWebhookEndpoints"/>).
/// </summary>
internal sealed class HankoWebhooksStartup : IHostedService
{
    private readonly IServiceProvider _services;
    private readonly HankoProjectRegistration[] _projects;
    private readonly ILogger _logger;

    public HankoWebhooksStartup(IServiceProvider services, IEnumerable<HankoProjectRegistration> projects, ILoggerFactory loggers)
    {
        _services = services;
        _projects = [.. projects];
        _logger = loggers.CreateLogger("Hanko.Webhooks");
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _services.GetService<IHostApplicationLifetime>()?.ApplicationStarted.Register(WarnAboutProjectsWithoutEndpoint);
        return _projects.Length == 1
            ? StartAsync(_projects[0].Name, cancellationToken)
            : Task.WhenAll(_projects.Select(p => StartAsync(p.Name, cancellationToken)));
    }

    private void WarnAboutProjectsWithoutEndpoint()
    {
        var endpoints = _services.GetRequiredService<HankoWebhookEndpoints>();
        var handlers = _services.GetRequiredService<HandlerRegistrations>();
        foreach (var project in _projects.Select(p => p.Name))
        {
            if (endpoints.IsMissing(project) && handlers.EventTypesOf(project).Any())
            {
                using var scope = HankoProject.BeginScope(_logger, project);
                Log.NoEndpointMapped(_logger, HankoProject.Describe(project), HankoProject.MapCall(project));
            }
        }
    }

    private async Task StartAsync(string? project, CancellationToken cancellationToken)
    {
        using var scope = HankoProject.BeginScope(_logger, project);
        var options = HankoProject.OptionsFor(_services, project);
        var keys = HankoProject.Resolve<JwksKeyStore>(_services, project);
        foreach (var path in options.IgnoredKeys)
        {
            Log.SettingIgnored(_logger, path, HankoWebhookOptionsBinder.FixedValueOf(path));
        }

        if (string.IsNullOrEmpty(options.Audience))
        {
            Log.NoAudience(_logger, HankoProject.SectionFor(project) + ":" + nameof(HankoWebhookOptions.Audience));
        }

        var uri = keys.JwksUri;
        if (uri.Scheme == Uri.UriSchemeHttp)
        {
            if (HankoWebhookOptionsValidator.IsInsecureLoopback(uri))
            {
                Log.InsecureLoopbackJwks(_logger, uri);
            }
            else
            {
                Log.InsecureJwks(_logger, uri);
            }
        }

        if (options.FetchKeysOnStart)
        {
            await keys.RefreshAsync(cancellationToken).ConfigureAwait(false);
            if (keys.Status.KeyCount == 0)
            {
                Log.WarmUpFailed(_logger, HankoProject.ForProject(keys.Project));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
