using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// Durable processing's health: <b>Unhealthy</b> when Redis does not answer (deliveries are answered <c>503</c>), on the
/// package's connection or on the receipts' own (<see cref="ReceiptConnection"/>; a Redis at <c>maxclients</c>, say, can
/// refuse one connection's reconnect and not the other's);
/// <b>Degraded</b> while dead letters exist, while the oldest delivery of the <see cref="Backlog"/> has waited longer than
/// <see cref="HankoDurableProcessingOptions.BacklogAgeThreshold"/> (the workers do not keep up, or none runs), or while the
/// primary has fewer replicas than <see cref="HankoRedisOptions.MinReplicasToAcknowledge"/> (every delivery is answered
/// <c>503</c>: restarting or routing away from this instance cannot help, so not Unhealthy); <b>Healthy</b> otherwise.
/// Data: <c>deadLetters</c>, <c>pending</c> (the backlog), <c>oldestPendingSeconds</c>, <c>retrying</c>, and with the
/// option <c>replicasOnline</c> and <c>minReplicasToAcknowledge</c>.
/// </summary>
internal sealed class DurableHealthCheck(RedisConnection redis, RedisDurableStore store, HankoDurableProcessingOptions options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        long dead, retrying;
        Backlog backlog;
        int? replicas = null;
        var receipts = store.CheckReceiptConnectionAsync(); // asked at the same time as the rest, awaited after (observed if not)
        _ = receipts.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        try
        {
            var db = redis.Database;
            var keys = redis.Keys;
            var batch = db.CreateBatch();
            var deadTask = batch.StreamLengthAsync(keys.Dead);
            var retryTask = batch.SortedSetLengthAsync(keys.Retry);
            batch.Execute();
            var backlogTask = Backlog.ReadAsync(db, keys, time.GetUtcNow());
            var replicasTask = redis.MinReplicas > 0 ? redis.ReplicasOnlineAsync() : null;
            var all = Task.WhenAll(deadTask, retryTask, backlogTask, replicasTask ?? Task.CompletedTask);
            await all.WaitAsync(RedisConnection.OperationTimeout, cancellationToken).ConfigureAwait(false);
            (dead, retrying, backlog, replicas) = (deadTask.Result, retryTask.Result, backlogTask.Result, replicasTask?.Result.Online);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Redis does not answer ({ex.GetType().Name}): deliveries are answered 503.", ex);
        }

        try
        {
            await receipts.WaitAsync(RedisConnection.OperationTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Redis does not answer on the receipts' connection ({ex.GetType().Name}): deliveries are answered 503.", ex);
        }

        DurableTelemetry.SetDeadLetterCount(dead, redis.Project);
        DurableTelemetry.SetBacklog(backlog, redis.Project);
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["deadLetters"] = dead,
            ["pending"] = backlog.Length,
            ["oldestPendingSeconds"] = Math.Round(backlog.OldestAge.TotalSeconds, 3),
            ["retrying"] = retrying,
        };
        var problems = new List<string>();
        if (replicas is { } online)
        {
            data["replicasOnline"] = online;
            data["minReplicasToAcknowledge"] = redis.MinReplicas;
            if (online < redis.MinReplicas)
            {
                problems.Add($"MinReplicasToAcknowledge is {redis.MinReplicas} but the Redis primary has {online} replica(s) online: every delivery is answered 503 until enough replicas connect.");
            }
        }

        var threshold = options.BacklogAgeThreshold;
        if (backlog.OldestAge > threshold)
        {
            problems.Add($"The oldest of {backlog.Length} pending Hanko webhook delivery(ies) has waited {Seconds(backlog.OldestAge)} (more than {Seconds(threshold)}): the workers do not keep up, or none runs.");
        }

        if (dead > 0)
        {
            problems.Add($"{dead} Hanko webhook delivery(ies) in the dead letters: list, retry or delete them with IHankoDeadLetters.");
        }

        return problems.Count > 0
            ? HealthCheckResult.Degraded(string.Join(' ', problems), data: data)
            : HealthCheckResult.Healthy($"Durable processing: {backlog.Length} pending (oldest {Seconds(backlog.OldestAge)}), {retrying} waiting for a retry, no dead letters.", data);
    }

    private static string Seconds(TimeSpan age) => age.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
