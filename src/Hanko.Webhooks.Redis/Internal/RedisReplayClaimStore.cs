using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>Atomic claims: <c>SET key owner NX PX lifetime</c>, released by a compare-and-delete script.</summary>
internal sealed class RedisReplayClaimStore(RedisConnection redis) : IHankoReplayClaimStore
{
    public async ValueTask<bool> TryClaimAsync(string deliveryId, string owner, TimeSpan lifetime, CancellationToken cancellationToken) =>
        await redis.Database.StringSetAsync(redis.Keys.Claim(deliveryId), owner, lifetime, When.NotExists).WaitAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask ReleaseAsync(string deliveryId, string owner, CancellationToken cancellationToken) =>
        await redis.Database.ScriptEvaluateAsync(Scripts.ReleaseClaim, [redis.Keys.Claim(deliveryId)], [owner]).WaitAsync(cancellationToken).ConfigureAwait(false);
}
