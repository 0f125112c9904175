using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// Checks at start that this instance shares the Data Protection key ring with the others on the same keys: it reads the
/// newest probe another instance wrote to <c>{prefix}:probe</c> (a short stream) and fails the start when that does not open
/// here, then adds its own. Without a shared ring an instance cannot open what another stored (every such delivery would
/// wait for an instance that can). When Redis does not answer the check is skipped (logged): the app starts and answers 503.
/// </summary>
internal static class KeyRingProbe
{
    private const int Kept = 16;
    private const int Read = 8;

    public static async Task CheckAsync(RedisConnection redis, StoredDelivery stored, string instance, ILogger logger)
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
                throw new InvalidOperationException(
                    $"Hanko.Webhooks durable processing cannot start{(redis.Project is { } p ? $" (project \"{p}\")" : string.Empty)}: another instance on the same Redis keys " +
                    $"(instance {(string?)other["i"]}, probe {other.Id} in {key}) protects stored deliveries with Data Protection keys this instance does not have, " +
                    "so neither could open what the other stored. Give every instance one shared key ring and application name, e.g. " +
                    "services.AddDataProtection().SetApplicationName(\"my-app\").PersistKeysToStackExchangeRedis(redis, \"DataProtection-Keys\").ProtectKeysWithCertificate(...). " +
                    $"If that instance is gone for good and its key ring was replaced on purpose, delete {key} and start again.");
            }

            await db.StreamAddAsync(key, [new("i", instance), new("p", stored.ProtectProbe(instance))], maxLength: Kept, useApproximateMaxLength: false)
                .WaitAsync(RedisConnection.OperationTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.KeyRingProbeSkipped(logger, ex, key.ToString());
        }
    }
}
