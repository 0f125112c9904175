namespace Hanko.Webhooks;

/// <summary>
/// The whole receiving pipeline from the body bytes on: verify, recognise a repeated delivery, dispatch. Host-agnostic:
/// the ASP.NET Core endpoint uses it, and so can an Azure Functions or Lambda handler. Registered by <c>AddHankoWebhooks()</c>.
/// </summary>
/// <remarks>
/// A delivery is <em>claimed</em> (its <see cref="HankoEvent.DeliveryId"/> written to the replay cache until the token
/// expires) before its handlers run. When any handler fails, the claim is released again, so that a genuine second copy can
/// still be processed. A copy that arrives in the same process while the first is being processed waits for the first's
/// outcome. See <see cref="HankoWebhookOptions.ReplayProtection"/>.
/// </remarks>
public interface IHankoWebhookReceiver
{
    /// <summary>Verifies <paramref name="body"/>, and unless it repeats a delivery already received, runs the handlers.</summary>
    /// <param name="body">The request body, <c>{"token":"…","event":"…"}</c>.</param>
    /// <param name="cancellationToken">Cancels the work (the handlers receive it).</param>
    /// <returns>What happened.</returns>
    ValueTask<HankoReceiveResult> ReceiveAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="ReceiveAsync(ReadOnlyMemory{byte}, CancellationToken)"/>, with an event filter and, instead of
    /// dispatching, a hand-off (for example to a queue) that happens while the delivery is claimed.
    /// </summary>
    /// <param name="body">The request body, <c>{"token":"…","event":"…"}</c>.</param>
    /// <param name="options">The filter and the hand-off.</param>
    /// <param name="cancellationToken">Cancels the work (the handlers receive it).</param>
    /// <returns>What happened.</returns>
    ValueTask<HankoReceiveResult> ReceiveAsync(ReadOnlyMemory<byte> body, HankoReceiveOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets that <paramref name="event"/> was received, so that another copy of it is processed. For events handed off
    /// with <see cref="HankoReceiveOptions.HandOff"/> whose later processing failed. Cache failures are logged, not thrown.
    /// </summary>
    /// <param name="event">A verified event (its <see cref="HankoEvent.DeliveryId"/> is used).</param>
    /// <param name="cancellationToken">Cancels the cache request.</param>
    /// <returns>A task that completes when the claim is gone.</returns>
    ValueTask ReleaseAsync(HankoEvent @event, CancellationToken cancellationToken = default);
}
