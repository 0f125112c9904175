using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// On every instance with durable processing (receive-only ones too), from start and every
/// <see cref="HankoDurableProcessingOptions.MonitorInterval"/>: reads the project's <see cref="Backlog"/> for the gauges (a
/// metrics scrape reads the value cached here, never Redis), and, with <see cref="HankoRedisOptions.MinReplicasToAcknowledge"/>,
/// how many replicas the primary of the project's keys has: too few are warned about (log id 321: every receipt is answered
/// 503), once per change, and enough again is logged (322).
/// </summary>
internal sealed class DurableMonitor(RedisConnection redis, HankoDurableProcessingOptions options, TimeProvider time, ILogger logger) : BackgroundService
{
    private readonly ILogger _logger = ProjectLogger.For(logger, redis.Project); // each line in the project's scope, once

    private int? _replicasWarned; // the count last warned about; null while enough (or not read yet)
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await MeasureAsync().ConfigureAwait(false);
            await DurableWorker.DelayAsync(options.MonitorInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task MeasureAsync()
    {
        try
        {
            if (redis.MinReplicas > 0)
            {
                var (online, primary) = await redis.ReplicasOnlineAsync().WaitAsync(RedisConnection.OperationTimeout).ConfigureAwait(false);
                ReportReplicas(online, primary);
            }

            var backlog = await Backlog.ReadAsync(redis.Database, redis.Keys, time.GetUtcNow()).WaitAsync(RedisConnection.OperationTimeout).ConfigureAwait(false);
            DurableTelemetry.SetBacklog(backlog, redis.Project);
            _failing = false;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException) // RedisTimeoutException is a TimeoutException, not a RedisException
        {
            if (!_failing)
            {
                _failing = true; // once per outage: receipts and the workers log theirs
                Log.WorkerRedisFailed(_logger, ex, "reading the backlog");
            }
        }
    }

    private void ReportReplicas(int online, string primary)
    {
        var project = redis.Project ?? "(unnamed)";
        if (online < redis.MinReplicas)
        {
            if (_replicasWarned != online)
            {
                Log.TooFewReplicas(_logger, project, redis.MinReplicas, primary, online);
                _replicasWarned = online;
            }
        }
        else if (_replicasWarned is not null)
        {
            Log.EnoughReplicas(_logger, project, primary, online, redis.MinReplicas);
            _replicasWarned = null;
        }
    }
}
