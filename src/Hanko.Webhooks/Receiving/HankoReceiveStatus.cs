namespace Hanko.Webhooks;

/// <summary>What <see cref="IHankoWebhookReceiver"/> did with a delivery.</summary>
public enum HankoReceiveStatus
{
    /// <summary>Verification failed (see <see cref="HankoReceiveResult.Verification"/>); nothing ran.</summary>
    Refused = 0,

    /// <summary>Verified, but outside <see cref="HankoReceiveOptions.Accept"/>: acknowledged, not claimed, not dispatched.</summary>
    Ignored,

    /// <summary>Verified, and the same delivery was already received: acknowledged and not dispatched again.</summary>
    Duplicate,

    /// <summary>Verified and dispatched; <see cref="HankoReceiveResult.Dispatch"/> says how the handlers did.</summary>
    Dispatched,

    /// <summary>Verified, claimed and taken by <see cref="HankoReceiveOptions.HandOff"/>.</summary>
    HandedOff,

    /// <summary>Verified, but <see cref="HankoReceiveOptions.HandOff"/> did not take it (a full queue); the claim was released.</summary>
    HandOffDeclined,

    /// <summary>
    /// Verified, but the replay cache failed and <see cref="HankoWebhookOptions.ReplayCacheFailureMode"/> is
    /// <see cref="HankoReplayCacheFailureMode.FailClosed"/>: not dispatched (the endpoint answers <c>503</c>).
    /// </summary>
    ReplayCheckUnavailable,

    /// <summary>
    /// Authentic, but its <c>data</c> does not fit the SDK's models (<see cref="HankoWebhookFailure.InvalidPayload"/>), and the
    /// <see cref="IHankoDurableHandOff"/> stored it with the reason, not to be dispatched (its dead letters), so that it can
    /// be retried after an upgrade. <see cref="HankoReceiveResult.Event"/> is <see langword="null"/>; the endpoint answers <c>202</c>.
    /// </summary>
    StoredUnprocessable,
}
