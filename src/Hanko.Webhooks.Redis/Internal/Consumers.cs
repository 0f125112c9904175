using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// Keeps the consumer group from growing with every start (each instance reads as a consumer of its own, named per
/// process): an instance deletes its consumer when it stops cleanly, once nothing is pending for it, and its maintenance
/// deletes, at most once per <see cref="HankoDurableProcessingOptions.ConsumerPruneInterval"/>, consumers that have nothing
/// pending and have been idle for <see cref="HankoDurableProcessingOptions.IdleConsumerAge"/> (instances killed, or that could
/// not reach Redis at shutdown). A consumer with pending entries is never deleted (another instance takes them over after
/// the visibility timeout, then its consumer is idle with nothing pending); nor one seen within the visibility timeout, so
/// that a consumer's idle time still tells whether its instance is alive (<see cref="KeyRingProbe"/>). Before Redis 7.2 a
/// read that finds nothing does not reset a consumer's idle time: an instance that read nothing for that long may lose its
/// consumer too, which is harmless (nothing was pending; its next read that finds entries adds it back).
/// </summary>
internal sealed class Consumers(RedisConnection redis, string consumer, HankoDurableProcessingOptions options, TimeProvider time, ILogger logger)
{
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;

    /// <summary>From the maintenance loop: deletes the idle consumers (never this instance's) when the interval has passed; Redis failures are the caller's to log.</summary>
    public async Task PruneIfDueAsync()
    {
        var now = time.GetUtcNow();
        if (now < _nextPrune)
        {
            return;
        }

        _nextPrune = now + options.ConsumerPruneInterval; // a failure waits for the next interval too
        var age = options.IdleConsumerAge;
        var deleted = await DeleteAsync(age, only: string.Empty, keep: consumer).ConfigureAwait(false);
        if (deleted.Length > 0)
        {
            Log.IdleConsumersRemoved(logger, deleted.Length, redis.Keys.Stream.ToString(), age, string.Join(", ", deleted));
        }
    }

    /// <summary>At a clean stop, after the acknowledgments were sent: deletes this instance's consumer unless entries are still pending for it. Never throws.</summary>
    public async Task RemoveOwnAsync()
    {
        var stream = redis.Keys.Stream.ToString();
        if (!redis.Multiplexer.IsConnected)
        {
            Log.ConsumerKept(logger, consumer, stream, "Redis is not connected", options.IdleConsumerAge);
            return;
        }

        try
        {
            var deleted = await DeleteAsync(TimeSpan.Zero, only: consumer, keep: string.Empty).WaitAsync(RedisConnection.OperationTimeout).ConfigureAwait(false);
            if (deleted.Length > 0)
            {
                Log.ConsumerRemoved(logger, consumer, stream);
            }
            else
            {
                Log.ConsumerKept(logger, consumer, stream, "deliveries are still pending for it (another instance takes them over after the visibility timeout), or it is not in the group", options.IdleConsumerAge);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException) // RedisTimeoutException is a TimeoutException, not a RedisException
        {
            Log.ConsumerKept(logger, consumer, stream, $"Redis failed: {ex.GetType().Name}", options.IdleConsumerAge);
        }
    }

    private async Task<string[]> DeleteAsync(TimeSpan minIdle, string only, string keep)
    {
        var result = await redis.Database.ScriptEvaluateAsync(
            Scripts.DeleteIdleConsumers,
            [redis.Keys.Stream],
            [RedisKeys.Group, minIdle.Ticks / TimeSpan.TicksPerMillisecond, only, keep]).ConfigureAwait(false);
        return [.. ((string?[]?)result ?? []).OfType<string>()];
    }
}
