using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// Checks at start that this instance shares the Data Protection key ring with the others on the same keys: it reads the
/// newest probe another instance wrote to <c>{prefix}:probe</c> (a short stream) and fails the start when that does not open
/// here and that instance is alive, then adds its own. Without a shared ring an instance cannot open what another stored
/// (every such delivery would wait for an instance that can). An instance is alive when it wrote its probe, or touched the
/// consumer group, within the visibility timeout (the window after which its running deliveries are taken over as an
/// instance's that died); the probe of one that is gone only warns (log 339), so that a single instance whose key ring was
/// not kept can start again. When Redis does not answer the check is skipped (logged): the app starts and answers 503.
/// </summary>
internal static class KeyRingProbe
{
    private const int Kept = 16;
    private const int Read = 8;

    public static async Task CheckAsync(RedisConnection redis, StoredDelivery stored, string instance, TimeSpan aliveWithin, ILogger logger)
    {
        var key = redis.Keys.Probe;
        StreamEntry[] probes;
        try
        {
            var db = redis.Database;
            probes = await db.StreamRangeAsync(key, count: Read, messageOrder: Order.Descending).WaitAsync(RedisConnection.OperationTimeout).ConfigureAwait(false);
            var others = probes.Where(p => p.Values is { Length: > 0 } && p["i"] != instance).Take(1).ToArray();
            if (others is [var other] && !stored.OpensProbe((byte[]?)other["p"] ?? [], (string?)other["i"] ?? string.Empty))
            {
                var otherInstance = (string?)other["i"] ?? string.Empty;
                var lastSeen = await LastSeenAsync(db, redis.Keys.Stream, other, otherInstance).ConfigureAwait(false);
                if (lastSeen > aliveWithin)
                {
                    Log.KeyRingOfAGoneInstance(logger, otherInstance, lastSeen, key.ToString());
                }
                else
                {
                    throw new InvalidOperationException(
                        $"Hanko.Webhooks durable processing cannot start{(redis.Project is { } p ? $" (project \"{p}\")" : string.Empty)}: another instance on the same Redis keys " +
                        $"(instance {otherInstance}, probe {other.Id} in {key}, seen {lastSeen.TotalSeconds:0.#} s ago) protects stored deliveries with Data Protection keys this instance does not have, " +
                        "so neither could open what the other stored. Give every instance one shared key ring and application name, e.g. " +
                        "services.AddDataProtection().SetApplicationName(\"my-app\").PersistKeysToStackExchangeRedis(redis, \"DataProtection-Keys\").ProtectKeysWithCertificate(...). " +
                        $"If that instance is gone (this start was its restart with a new key ring), start again after the visibility timeout ({aliveWithin.TotalSeconds:0.#} s): the probe of an instance gone that long only warns.");
                }
            }

            await db.StreamAddAsync(key, [new("i", instance), new("p", stored.ProtectProbe(instance))], maxLength: Kept, useApproximateMaxLength: false)
                .WaitAsync(RedisConnection.OperationTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.KeyRingProbeSkipped(logger, ex, key.ToString());
        }
    }

    /// <summary>How long ago the instance was last seen: when it wrote its probe, or (if later) touched the consumer group as a consumer.</summary>
    private static async Task<TimeSpan> LastSeenAsync(IDatabase db, RedisKey stream, StreamEntry probe, string instance)
    {
        var id = (string?)probe.Id ?? string.Empty;
        var written = long.TryParse(id.AsSpan(0, Math.Max(0, id.IndexOf('-', StringComparison.Ordinal))), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : TimeSpan.MaxValue;
        StreamConsumerInfo[] consumers;
        try
        {
            consumers = await db.StreamConsumerInfoAsync(stream, RedisKeys.Group).WaitAsync(RedisConnection.OperationTimeout).ConfigureAwait(false);
        }
        catch (RedisServerException)
        {
            consumers = []; // no stream or no group yet: nobody has consumed
        }

        var touched = consumers.Where(c => c.Name == instance).Select(c => TimeSpan.FromMilliseconds(c.IdleTimeInMilliseconds)).DefaultIfEmpty(TimeSpan.MaxValue).Min();
        return written < touched ? written : touched;
    }
}
