namespace Hanko.Webhooks;

/// <summary>
/// A durable store the receiver hands verified deliveries to <em>before</em> it answers, instead of running the handlers
/// inline: the answer (<c>202</c>, <see cref="HankoReceiveOutcome.Stored"/>) then means the delivery is stored, and a worker
/// dispatches it later. Registered by <c>UseDurableProcessing()</c> of Hanko.Webhooks.Redis; at most one is used, and it
/// takes precedence over an in-memory <see cref="HankoReceiveOptions.HandOff"/>.
/// </summary>
/// <remarks>
/// The store claims the delivery itself, atomically with storing it (the receiver's replay guard is not used), so that a
/// copy is either stored once or reported as <see cref="HankoHandOffResult.Duplicate"/>. It must never report
/// <see cref="HankoHandOffResult.Accepted"/> for something it did not store, and should return
/// <see cref="HankoHandOffResult.Declined"/> rather than throw when the store cannot be reached. A worker rebuilds the
/// event with <see cref="HankoEventFactory.TryCreate"/>.
/// </remarks>
public interface IHankoDurableHandOff
{
    /// <summary>Claims and stores one authentic delivery.</summary>
    /// <param name="delivery">The verified parts of the delivery (<see cref="HankoEvent.ToParts"/>).</param>
    /// <param name="unprocessableReason">
    /// <see langword="null"/> for a verified event; otherwise why its data does not fit the SDK's models
    /// (<see cref="HankoWebhookFailure.InvalidPayload"/>): store it where it is not dispatched but can be retried later
    /// (the dead letters).
    /// </param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Whether the delivery is now stored.</returns>
    ValueTask<HankoHandOffResult> HandOffAsync(HankoEventParts delivery, string? unprocessableReason, CancellationToken cancellationToken);
}
