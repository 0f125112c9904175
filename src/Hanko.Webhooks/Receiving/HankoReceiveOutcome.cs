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

    /// <summary>Verified, claimed and taken by <see cref="HankoReceiveOptions.HandOff"/> (202).</summary>
    HandedOff,

    /// <summary>
    /// Verified, but <see cref="HankoReceiveOptions.HandOff"/> did not take it (a full queue; the claim was released), or the
    /// <see cref="IHankoDurableHandOff"/> could not store it (nothing was stored or claimed): 503, so that Hanko records a failure.
    /// </summary>
    HandOffDeclined,

    /// <summary>
    /// Verified, but the replay cache failed and <see cref="HankoWebhookOptions.ReplayCacheFailureMode"/> is
    /// <see cref="HankoReplayCacheFailureMode.FailClosed"/>: not dispatched (503).
    /// </summary>
    ReplayCheckUnavailable,

    /// <summary>
    /// Verified and stored by the registered <see cref="IHankoDurableHandOff"/> (durable processing, such as
    /// Hanko.Webhooks.Redis' <c>UseDurableProcessing()</c>), which claimed it in the same step: its workers run the handlers
    /// later, with retries (202).
    /// </summary>
    Stored,

    /// <summary>
    /// Authentic, but its <c>data</c> does not fit the SDK's models (<see cref="HankoWebhookFailure.InvalidPayload"/>), and the
    /// <see cref="IHankoDurableHandOff"/> stored it with the reason, not to be dispatched (its dead letters), so that it can
    /// be retried after an upgrade. <see cref="HankoReceiveResult.Event"/> is <see langword="null"/> (202).
    /// </summary>
    StoredUnprocessable,
}
