using FluentAssertions;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.Redis.Tests;

[NonParallelizable]
public sealed class RedisClaimStoreTests
{
    private RedisServer _redis = null!;

    [OneTimeSetUp]
    public void StartRedis() => _redis = RedisServer.StartOrIgnore();

    [OneTimeTearDown]
    public void StopRedis() => _redis?.Dispose();

    private IHankoReplayClaimStore Store(string prefix)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHankoWebhooks(o => o.JwksUrl = "https://hanko.test/.well-known/jwks.json").UseRedis(o => (o.Configuration, o.KeyPrefix) = (_redis.Configuration, prefix));
        return services.BuildServiceProvider().GetRequiredService<IHankoReplayClaimStore>();
    }

    [Test]
    public async Task TryClaim_SetNxPx_OnlyOneOwnerWins_ReleaseByOtherOwnerKeepsIt_ReleaseByOwnerFreesIt()
    {
        var prefix = "claims-" + Guid.NewGuid().ToString("N")[..8];
        var store = Store(prefix);
        using var redis = _redis.Connect();
        var key = "{" + prefix + "}:claim:abc";

        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => store.TryClaimAsync("abc", "owner" + i, TimeSpan.FromSeconds(90), default).AsTask()));
        claims.Count(c => c).Should().Be(1, "SET NX lets exactly one of 20 concurrent claimants win");
        var winner = "owner" + Array.IndexOf(claims, true);
        ((string?)await redis.GetDatabase().StringGetAsync(key)).Should().Be(winner);
        var ttl = await redis.GetDatabase().KeyTimeToLiveAsync(key);
        ttl.Should().BeGreaterThan(TimeSpan.FromSeconds(80)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(90));

        await store.ReleaseAsync("abc", "someone-else", default);
        (await redis.GetDatabase().KeyExistsAsync(key)).Should().BeTrue("only the owner releases a claim");

        await store.ReleaseAsync("abc", winner, default);
        (await redis.GetDatabase().KeyExistsAsync(key)).Should().BeFalse();
        (await store.TryClaimAsync("abc", "next", TimeSpan.FromSeconds(5), default)).Should().BeTrue("a released claim can be taken again");
    }
}
