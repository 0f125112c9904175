using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanko.Webhooks.Subscriptions;

/// <summary>
/// Logs the subscription plan when the host starts, then in the background ensures the hook (when
/// <see cref="HankoWebhookSubscriptionOptions.EnsureOnStart"/>) and polls it every jittered
/// <see cref="HankoWebhookSubscriptionOptions.WatchInterval"/> (when it is set).
/// The host never waits for Hanko's Admin API and never fails because of it. Both wait until the application has started
/// (its endpoints are mapped by then), and neither runs for a project with no endpoint (<see cref="HankoWebhookEndpoints"/>):
/// Hanko would post to a URL that answers 404.
/// </summary>
internal sealed class SubscriptionService : BackgroundService
{
    private readonly HankoWebhookSubscriptionPlan _plan;
    private readonly SubscriptionMonitor _monitor;
    private readonly HankoWebhookSubscriptionOptions _options;
    private readonly HankoWebhookEndpoints _endpoints;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SubscriptionService(
        HankoWebhookSubscriptionPlan plan,
        SubscriptionMonitor monitor,
        IOptions<HankoWebhookSubscriptionOptions> options,
        HankoWebhookEndpoints endpoints,
        IHostApplicationLifetime? lifetime,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        _plan = plan;
        _monitor = monitor;
        _options = options.Value;
        _endpoints = endpoints;
        _lifetime = lifetime;
        _time = time;
        _logger = loggers.CreateLogger("Hanko.Webhooks.Subscriptions");
    }

    /// <summary>The project whose hook this watches; <see langword="null"/> for the unnamed one. Its logs are in the project's scope.</summary>
    public string? Project { get; init; }

    /// <summary>
    /// The project's catch-up, when the app handles <see cref="UserCatchUpEvent"/>: the watch then catches up the window of
    /// refused deliveries once the hook delivers again.
    /// </summary>
    public IHankoCatchUp? CatchUp { get; init; }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        using (SubscriptionProject.BeginScope(_logger, Project))
        {
            Log.SubscriptionPlan(_logger, _plan.ToString());
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var scope = SubscriptionProject.BeginScope(_logger, Project);
        try
        {
            await WaitUntilStartedAsync(_lifetime, stoppingToken).ConfigureAwait(false);
            if (_endpoints.IsMissing(Project))
            {
                var callback = SubscriptionText.Redact(_options.CallbackUrl);
                _monitor.MarkNoEndpoint($"No Hanko webhook endpoint is mapped for {SubscriptionProject.Describe(Project)}, so the hook for {callback} is not ensured and the handlers receive nothing: call {SubscriptionProject.MapCall(Project)}.");
                if (_options.EnsureOnStart)
                {
                    Log.NotEnsuredNoEndpoint(_logger, callback, SubscriptionProject.Describe(Project), SubscriptionProject.MapCall(Project));
                }

                return;
            }

            if (_options.EnsureOnStart)
            {
                await _monitor.EnsureAsync(stoppingToken).ConfigureAwait(false);
            }

            if (_options.WatchInterval is not { } interval)
            {
                return;
            }

            if (!_options.EnsureOnStart)
            {
                await _monitor.CheckAsync(stoppingToken).ConfigureAwait(false);
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(Jittered(interval), _time, stoppingToken).ConfigureAwait(false);
                await _monitor.CheckAsync(stoppingToken).ConfigureAwait(false);
                await CatchUpAfterRefusalsAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    /// <summary>Catches up the window the watch found due (Hanko refused or never sent deliveries in it); a failure puts it back for the next poll.</summary>
    private async Task CatchUpAfterRefusalsAsync(CancellationToken stoppingToken)
    {
        if (CatchUp is null || _monitor.TakeDueCatchUp() is not { } due)
        {
            return;
        }

        // The catch-up's longest window: an older start is cut off, and said so.
        var window = due.To - due.From > HankoCatchUp.MaxWindow ? due with { From = due.To - HankoCatchUp.MaxWindow } : due;
        Log.CatchUpAfterRefusals(_logger, SubscriptionText.Redact(_options.CallbackUrl), window.From, window.To, due.From);
        try
        {
            _monitor.RecordCatchUp(window, await CatchUp.RunAsync(window.From, window.To, stoppingToken).ConfigureAwait(false));
        }
        catch (HankoAdminApiException ex)
        {
            _monitor.Retry(window, ex.Message); // logged by the catch-up (73)
        }
    }

    /// <summary>Waits until the application has started (its endpoints are mapped by then, and Kestrel listens).</summary>
    internal static async Task WaitUntilStartedAsync(IHostApplicationLifetime? lifetime, CancellationToken stoppingToken)
    {
        if (lifetime is null || lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        await started.Task.ConfigureAwait(false);
    }

    /// <summary>The interval ±10 %, so that instances started together spread their polls.</summary>
    internal static TimeSpan Jittered(TimeSpan interval) =>
#pragma warning disable CA5394 // Not for security: spreads polls.
        interval * (0.9 + (0.2 * Random.Shared.NextDouble()));
#pragma warning restore CA5394
}
