using Microsoft.Extensions.Caching.Distributed;

namespace Hanko.Webhooks.Receiving;

/// <summary>
/// The default <see cref="IHankoReplayClaimStore"/>: the app's <see cref="IDistributedCache"/>. It has no atomic add, so a
/// claim is a get followed by a set. The value is the owner, and a release removes the key only when it still holds the
/// owner (again a get, then a remove).
/// </summary>
/// <remarks>
/// Keys are <c>Hanko.Webhooks:delivery:{id}</c> for the unnamed project and <c>Hanko.Webhooks:project:{name}:delivery:{id}</c>
/// for a named one (see <see cref="ForProject"/>).
/// </remarks>
internal sealed class DistributedCacheReplayClaimStore(IDistributedCache cache, string keyPrefix = DistributedCacheReplayClaimStore.KeyPrefix) : IHankoReplayClaimStore
{
    internal const string KeyPrefix = "Hanko.Webhooks:delivery:";

    /// <summary>The same cache, under the namespace of <paramref name="project"/>.</summary>
    public DistributedCacheReplayClaimStore ForProject(string project) => new(cache, $"Hanko.Webhooks:project:{project}:delivery:");

    public async ValueTask<bool> TryClaimAsync(string deliveryId, string owner, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var key = keyPrefix + deliveryId;
        if (await cache.GetAsync(key, cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        await cache.SetAsync(key, System.Text.Encoding.UTF8.GetBytes(owner), new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async ValueTask ReleaseAsync(string deliveryId, string owner, CancellationToken cancellationToken)
    {
        var key = keyPrefix + deliveryId;
        var held = await cache.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (held is not null && held.AsSpan().SequenceEqual(System.Text.Encoding.UTF8.GetBytes(owner)))
        {
            await cache.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }
}
