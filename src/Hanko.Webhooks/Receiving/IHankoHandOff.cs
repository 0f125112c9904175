namespace Hanko.Webhooks;

/// <summary>
/// Where a project's verified deliveries go instead of running the handlers inline: the ASP.NET Core background queue
/// (<c>UseBackgroundProcessing()</c>), Hanko.Webhooks.Redis' durable store (<c>UseDurableProcessing()</c>), or your own.
/// Register at most one per project (keyed by the project's name; unkeyed for <c>AddHankoWebhooks()</c>); the receiver then
/// answers a delivery it took with <see cref="HankoReceiveOutcome.Accepted"/> (<c>202</c>). Its worker hands each delivery
/// back with <see cref="IHankoWebhookReceiver.ProcessHandedOffAsync"/>.
/// </summary>
/// <remarks>
/// Never report <see cref="HankoHandOffResult.Accepted"/> for something not taken; return
/// <see cref="HankoHandOffResult.Declined"/> (<c>503</c>) rather than throw when the queue is full or the store unreachable.
/// </remarks>
public interface IHankoHandOff
{
    /// <summary>
    /// Whether <see cref="HandOffAsync"/> claims each delivery itself, atomically with storing it, and answers
    /// <see cref="HankoHandOffResult.Duplicate"/> for a copy (a durable store shared by every instance). Then the receiver
    /// takes no replay claim, and also hands it authentic deliveries whose data does not fit the SDK's models, with the reason,
    /// to keep (not dispatch) instead of refusing them with <c>422</c>. When <see langword="false"/> (an in-process queue),
    /// the receiver claims each delivery before handing it off, keeps the claim when it is taken, and releases it when it is
    /// declined or when its handlers fail later.
    /// </summary>
    bool ClaimsDeliveries { get; }

    /// <summary>Takes one authentic delivery: stores or queues it.</summary>
    /// <param name="delivery">The verified parts of the delivery (<see cref="HankoEvent.ToParts"/>); keep them protected, never log the data.</param>
    /// <param name="unprocessableReason">
    /// <see langword="null"/> for a verified event; otherwise (only when <see cref="ClaimsDeliveries"/>) why its data does not
    /// fit the SDK's models: keep it where it is not dispatched but can be retried after an upgrade.
    /// </param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Whether the delivery was taken, already taken, or declined.</returns>
    ValueTask<HankoHandOffResult> HandOffAsync(HankoEventParts delivery, string? unprocessableReason, CancellationToken cancellationToken);
}
