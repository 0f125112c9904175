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

    /// <summary>Verified, but <see cref="HankoReceiveOptions.HandOff"/> did not take it (a full queue); the claim was released (503).</summary>
    HandOffDeclined,

    /// <summary>
    /// Verified, but the replay cache failed and <see cref="HankoWebhookOptions.ReplayCacheFailureMode"/> is
    /// <see cref="HankoReplayCacheFailureMode.FailClosed"/>: not dispatched (503).
    /// </summary>
    ReplayCheckUnavailable,
}
