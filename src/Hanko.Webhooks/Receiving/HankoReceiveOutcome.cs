namespace Hanko.Webhooks;

/// <summary>What <see cref="IHankoWebhookReceiver"/> did with a delivery; <see cref="HankoReceiveResult.StatusCode"/> is the answer that goes with it.</summary>
public enum HankoReceiveOutcome
{
    /// <summary>Refused before any handler ran (see <see cref="HankoReceiveResult.Failure"/>): 400, 401, 413, 415, 422 or 503.</summary>
    Refused = 0,

    /// <summary>Verified, but outside <see cref="HankoReceiveOptions.Accept"/>: acknowledged (200), not claimed, not dispatched.</summary>
    Ignored,

    /// <summary>Verified, and the same delivery was already received: acknowledged (200) and not dispatched again.</summary>
    Duplicate,

    /// <summary>Verified and dispatched; <see cref="HankoReceiveResult.Dispatch"/> says how the handlers did (200, or 500 when one failed).</summary>
    Dispatched,

    /// <summary>
    /// Taken by the project's <see cref="IHankoHandOff"/> (queued in this process with <c>UseBackgroundProcessing()</c>, or
    /// stored durably with <c>UseDurableProcessing()</c>): <c>202 Accepted</c>, the handlers run later, through
    /// <see cref="IHankoWebhookReceiver.ProcessHandedOffAsync"/>. What a 202 guarantees is the hand-off's: an in-memory queue
    /// loses what it holds when the process dies, a durable store does not. When <see cref="HankoReceiveResult.Failure"/> is
    /// <see cref="HankoWebhookFailure.InvalidPayload"/>, the delivery is authentic but its data does not fit the SDK's models:
    /// a hand-off that claims deliveries itself kept it with the reason, not to be dispatched (its dead letters), so that it
    /// can be retried after an upgrade, and <see cref="HankoReceiveResult.Event"/> is <see langword="null"/>.
    /// </summary>
    Accepted,

    /// <summary>
    /// Verified, but the project's <see cref="IHankoHandOff"/> declined it (a full or closing queue, an unreachable store;
    /// nothing was kept, a claim the receiver took was released): 503, so that Hanko records a failure.
    /// </summary>
    HandOffDeclined,

    /// <summary>
    /// Verified, but the replay cache failed and <see cref="HankoWebhookOptions.ReplayCacheFailureMode"/> is
    /// <see cref="HankoReplayCacheFailureMode.FailClosed"/>: not dispatched (503).
    /// </summary>
    ReplayCheckUnavailable,
}
