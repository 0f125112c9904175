using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// The entries this instance holds: read ahead and waiting for a runner, running, or handled and waiting for their
/// acknowledgment; and the heartbeat that keeps them from being taken over: every third of the visibility timeout, one
/// script renews all of those held longer than that (their idle time was reset when they were read). One whose renewal
/// finds it taken over is no longer held: a runner does not start it.
/// </summary>
internal sealed class RunningEntries(RedisConnection redis, string consumer, TimeSpan visibilityTimeout, TimeProvider time, ILogger logger)
{
    private readonly ConcurrentDictionary<RedisValue, Held> _held = new(EntryIdComparer.Instance);

    public void Hold(RedisValue entryId, string name, string deliveryId) =>
        _held.AddOrUpdate(entryId, static (_, a) => new Held(a.name, a.deliveryId, a.now), static (_, held, a) => held with { Name = a.name, DeliveryId = a.deliveryId }, (name, deliveryId, now: time.GetTimestamp()));

    public void Release(RedisValue entryId) => _held.TryRemove(entryId, out _);

    /// <summary>Whether this instance holds the entry: its handlers run, or it was handled and waits for its acknowledgment.</summary>
    public bool Holds(RedisValue entryId) => _held.ContainsKey(entryId);

    public async Task HeartbeatAsync(CancellationToken stoppingToken)
    {
        var every = visibilityTimeout / 3;
        while (!stoppingToken.IsCancellationRequested)
        {
            await DurableWorker.DelayAsync(every, time, stoppingToken).ConfigureAwait(false);
            var now = time.GetTimestamp();
            var due = _held.Where(h => time.GetElapsedTime(h.Value.Since, now) >= every).Select(h => h.Key).ToList();
            for (var start = 0; start < due.Count; start += Acknowledgments.MaxBatch)
            {
                var batch = due.GetRange(start, Math.Min(Acknowledgments.MaxBatch, due.Count - start));
                try
                {
                    var lost = (RedisValue[]?)await redis.Database.ScriptEvaluateAsync(
                        Scripts.Renew, [redis.Keys.Stream], [RedisKeys.Group, consumer, .. batch]).ConfigureAwait(false) ?? [];
                    foreach (var id in lost)
                    {
                        if (_held.TryRemove(id, out var held))
                        {
                            Log.LostOwnership(logger, held.Name, held.DeliveryId); // not renewed again
                        }
                    }
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException) // RedisTimeoutException is a TimeoutException, not a RedisException
                {
                    Log.WorkerRedisFailed(logger, ex, "renewing running deliveries");
                }
            }
        }
    }

    /// <summary>An entry whose handlers run here: what to log if it is taken over, and since when it is held.</summary>
    private readonly record struct Held(string Name, string DeliveryId, long Since);
}

/// <summary>
/// Stream entry ids compared by their bytes: <see cref="RedisValue"/>'s own equality and hash code first try to read both
/// sides as numbers, several times per delivery in <see cref="RunningEntries"/> (BENCHMARKS.md section 4). An id read
/// from a reply and the same id made from a string are equal.
/// </summary>
internal sealed class EntryIdComparer : IEqualityComparer<RedisValue>
{
    public static readonly EntryIdComparer Instance = new();

    public bool Equals(RedisValue x, RedisValue y) =>
        x.IsNull || y.IsNull ? x.IsNull && y.IsNull : ((ReadOnlyMemory<byte>)x).Span.SequenceEqual(((ReadOnlyMemory<byte>)y).Span);

    public int GetHashCode(RedisValue id)
    {
        var hash = default(HashCode);
        hash.AddBytes(((ReadOnlyMemory<byte>)id).Span);
        return hash.ToHashCode();
    }
}
