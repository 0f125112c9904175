namespace Hanko.Webhooks;

/// <summary>
/// Where the replay guard records which deliveries were received (see <see cref="HankoWebhookOptions.ReplayProtection"/>).
/// The default store is the app's <c>IDistributedCache</c> (a get followed by a set, so two instances can both claim one
/// delivery within a cache round trip); <c>UseRedis()</c> of Hanko.Webhooks.Redis registers an atomic one
/// (<c>SET NX PX</c>, released by its owner only), under which a delivery is dispatched once across any number of instances.
/// </summary>
/// <remarks>Register your own as a singleton to keep claims in another store. Failures are thrown; the guard applies
/// <see cref="HankoWebhookOptions.ReplayCacheFailureMode"/> to them.</remarks>
public interface IHankoReplayClaimStore
{
    /// <summary>Claims <paramref name="deliveryId"/> for <paramref name="owner"/> unless anyone holds it.</summary>
    /// <param name="deliveryId">The <see cref="HankoEvent.DeliveryId"/>.</param>
    /// <param name="owner">Identifies the claimant; only it may release the claim.</param>
    /// <param name="lifetime">How long the claim lasts (until the token expires, plus the clock skew).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns><see langword="true"/> when the claim was taken; <see langword="false"/> when the delivery was already claimed.</returns>
    ValueTask<bool> TryClaimAsync(string deliveryId, string owner, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>Removes the claim on <paramref name="deliveryId"/> if <paramref name="owner"/> holds it (a delivery that was not processed).</summary>
    /// <param name="deliveryId">The <see cref="HankoEvent.DeliveryId"/>.</param>
    /// <param name="owner">The owner given to <see cref="TryClaimAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the claim is gone (or was not held by <paramref name="owner"/>).</returns>
    ValueTask ReleaseAsync(string deliveryId, string owner, CancellationToken cancellationToken);
}
