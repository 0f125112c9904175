using FluentAssertions;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>
/// <c>UseRedis()</c> gives the SDK its own keyed <see cref="IDistributedCache"/> (the catch-up's heartbeat lives there) on the
/// project's connection and key prefix, and leaves the app's <see cref="IDistributedCache"/> as it was.
/// </summary>
[NonParallelizable]
public sealed class RedisSdkCacheTests
{
    private RedisServer _redis = null!;

    [OneTimeSetUp]
    public void StartRedis() => _redis = RedisServer.StartOrIgnore();

    [OneTimeTearDown]
    public void StopRedis() => _redis?.Dispose();

    [TestCase(null, "Hanko.Webhooks")]
    [TestCase("eu", "Hanko.Webhooks:eu")]
    public async Task UseRedis_RegistersTheSdksKeyedCacheOnItsPrefix_AndLeavesTheAppsCacheAlone(string? project, string serviceKey)
    {
        var prefix = "sdk-" + Guid.NewGuid().ToString("N")[..8];
        var services = new ServiceCollection().AddLogging();
        var builder = project is null ? services.AddHankoWebhooks(o => o.JwksUrl = "https://hanko.test/.well-known/jwks.json") : services.AddHankoWebhooks(project, o => o.JwksUrl = "https://hanko.test/.well-known/jwks.json");
        builder.UseRedis(o => (o.Configuration, o.KeyPrefix) = (_redis.Configuration, prefix));
        await using var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredKeyedService<IDistributedCache>(serviceKey);
        using var redis = _redis.Connect();
        var key = "{" + (project is null ? prefix : prefix + ":" + project) + "}:sdk:heartbeat";

        await cache.SetAsync("heartbeat", [1, 2, 3], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10) });

        (await cache.GetAsync("heartbeat")).Should().Equal(1, 2, 3);
        ((byte[]?)await redis.GetDatabase().StringGetAsync(key)).Should().Equal(1, 2, 3);
        (await redis.GetDatabase().KeyTimeToLiveAsync(key)).Should().BeGreaterThan(TimeSpan.FromMinutes(9)).And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(10));
        provider.GetRequiredService<IDistributedCache>().Should().BeOfType<MemoryDistributedCache>("the app's own cache is untouched");
        cache.Invoking(c => c.Set("heartbeat", [4], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(1) }))
            .Should().Throw<NotSupportedException>();
        (await cache.GetAsync("heartbeat")).Should().Equal([1, 2, 3], "a refused write changes nothing");

        await cache.RemoveAsync("heartbeat");
        (await redis.GetDatabase().KeyExistsAsync(key)).Should().BeFalse();
        (await cache.GetAsync("heartbeat")).Should().BeNull();
    }
}
