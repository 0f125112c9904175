using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// Durable processing's health: <b>Unhealthy</b> when Redis does not answer (deliveries are answered <c>503</c>),
/// <b>Degraded</b> while dead letters exist, <b>Healthy</b> otherwise. Data: <c>deadLetters</c>, <c>pending</c>, <c>retrying</c>.
/// </summary>
internal sealed class DurableHealthCheck(RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        long dead, pending, retrying;
        try
        {
            var db = redis.Database;
            var keys = redis.Keys;
            var batch = db.CreateBatch();
            var deadTask = batch.StreamLengthAsync(keys.Dead);
            var retryTask = batch.SortedSetLengthAsync(keys.Retry);
            var pendingTask = batch.StreamLengthAsync(keys.Stream);
            batch.Execute();
            var all = Task.WhenAll(deadTask, retryTask, pendingTask);
            await all.WaitAsync(RedisConnection.OperationTimeout, cancellationToken).ConfigureAwait(false);
            (dead, retrying, pending) = (deadTask.Result, retryTask.Result, pendingTask.Result);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Redis does not answer ({ex.GetType().Name}): deliveries are answered 503.", ex);
        }

        DurableTelemetry.SetDeadLetterCount(dead, redis.Project);
        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["deadLetters"] = dead, ["pending"] = pending, ["retrying"] = retrying };
        return dead > 0
            ? HealthCheckResult.Degraded($"{dead} Hanko webhook delivery(ies) in the dead letters: list, retry or delete them with IHankoDeadLetters.", data: data)
            : HealthCheckResult.Healthy($"Durable processing: {pending} in the stream, {retrying} waiting for a retry, no dead letters.", data);
    }
}
