using Microsoft.Extensions.Caching.Distributed;

namespace Hanko.Webhooks.Receiving;

/// <summary>
/// The default <see cref="IHankoReplayClaimStore"/>: the app's <see cref="IDistributedCache"/>. It has no atomic add, so a
/// claim is a get followed by a set. The value is the owner, and a release removes the key only when it still holds the
/// owner (again a get, then a remove).
/// </summary>
internal sealed class DistributedCacheReplayClaimStore(IDistributedCache cache) : IHankoReplayClaimStore
{
    internal const string KeyPrefix = "Hanko.Webhooks:delivery:";
    public async ValueTask<bool> TryClaimAsync(string deliveryId, string owner, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var key = KeyPrefix + deliveryId;
        if (await cache.GetAsync(key, cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        await cache.SetAsync(key, System.Text.Encoding.UTF8.GetBytes(owner), new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async ValueTask ReleaseAsync(string deliveryId, string owner, CancellationToken cancellationToken)
    {
        var key = KeyPrefix + deliveryId;
        var held = await cache.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (held is not null && held.AsSpan().SequenceEqual(System.Text.Encoding.UTF8.GetBytes(owner)))
        {
            await cache.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }
}
