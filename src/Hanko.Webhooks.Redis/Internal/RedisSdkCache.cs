using Microsoft.Extensions.Caching.Distributed;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// A small <see cref="IDistributedCache"/> on the project's Redis connection, registered by <c>UseRedis()</c> as a keyed
/// service (<see cref="ServiceKeyFor"/>) so that the SDK's own shared values (the Subscriptions package's heartbeat and
/// pending catch-up windows) live in the Redis that <c>UseRedis()</c> names, without touching the app's own
/// <see cref="IDistributedCache"/>. Keys are <c>{prefix}:sdk:{key}</c> under the project's hash tag. Absolute expiry only.
/// </summary>
internal sealed class RedisSdkCache(RedisConnection redis) : IDistributedCache
{
    /// <summary>The service key of the unnamed project's cache; a named project's is <c>Hanko.Webhooks:{project}</c>.</summary>
    public const string ServiceKey = "Hanko.Webhooks";

    public static string ServiceKeyFor(string? project) => project is null ? ServiceKey : ServiceKey + ":" + project;

    public byte[]? Get(string key) => redis.Database.StringGet(KeyOf(key));

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
        await redis.Database.StringGetAsync(KeyOf(key)).WaitAsync(token).ConfigureAwait(false);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) =>
        redis.Database.StringSet(KeyOf(key), value, ExpiryOf(options));

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        redis.Database.StringSetAsync(KeyOf(key), value, ExpiryOf(options)).WaitAsync(token);

    public void Refresh(string key)
    {
        // Absolute expiry only: nothing slides.
    }

    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    public void Remove(string key) => redis.Database.KeyDelete(KeyOf(key));

    public Task RemoveAsync(string key, CancellationToken token = default) => redis.Database.KeyDeleteAsync(KeyOf(key)).WaitAsync(token);

    private RedisKey KeyOf(string key) => "{" + redis.Keys.Prefix + "}:sdk:" + key;

    private static TimeSpan? ExpiryOf(DistributedCacheEntryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SlidingExpiration is not null)
        {
            throw new NotSupportedException("The SDK's Redis cache keeps absolute expirations only.");
        }

        return options.AbsoluteExpirationRelativeToNow
            ?? (options.AbsoluteExpiration is { } at ? at - DateTimeOffset.UtcNow : null);
    }
}
