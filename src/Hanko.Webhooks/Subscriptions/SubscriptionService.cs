using Hanko.Webhooks.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanko.Webhooks.Subscriptions;

/// <summary>
/// Logs the subscription plan when the host starts, then in the background ensures the hook (when
/// <see cref="HankoWebhookSubscriptionOptions.EnsureOnStart"/>) and polls it every jittered
/// <see cref="HankoWebhookSubscriptionOptions.WatchInterval"/> (when <see cref="HankoWebhookSubscriptionOptions.Watch"/>).
/// The host never waits for Hanko's Admin API and never fails because of it.
/// </summary>
internal sealed class SubscriptionService : BackgroundService
{
    private readonly HankoWebhookSubscriptionPlan _plan;
    private readonly SubscriptionMonitor _monitor;
    private readonly HankoWebhookSubscriptionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SubscriptionService(HankoWebhookSubscriptionPlan plan, SubscriptionMonitor monitor, IOptions<HankoWebhookSubscriptionOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
        _plan = plan;
        _monitor = monitor;
        _options = options.Value;
        _time = time;
        _logger = loggers.CreateLogger("Hanko.Webhooks.Subscriptions");
    }

    /// <summary>The project whose hook this watches; <see langword="null"/> for the unnamed one. Its logs are in the project's scope.</summary>
    public string? Project { get; init; }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        using (HankoProject.BeginScope(_logger, Project))
        {
            Log.SubscriptionPlan(_logger, _plan.ToString());
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var scope = HankoProject.BeginScope(_logger, Project);
        try
        {
            if (_options.EnsureOnStart)
            {
                await _monitor.EnsureAsync(stoppingToken).ConfigureAwait(false);
            }

            if (!_options.Watch)
            {
                return;
            }

            if (!_options.EnsureOnStart)
            {
                await _monitor.CheckAsync(stoppingToken).ConfigureAwait(false);
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(Jittered(_options.WatchInterval), _time, stoppingToken).ConfigureAwait(false);
                await _monitor.CheckAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    /// <summary>The interval ±10 %, so that instances started together spread their polls.</summary>
    internal static TimeSpan Jittered(TimeSpan interval) =>
#pragma warning disable CA5394 // Not for security: spreads polls.
        interval * (0.9 + (0.2 * Random.Shared.NextDouble()));
#pragma warning restore CA5394
}
