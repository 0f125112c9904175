namespace Hanko.Webhooks;

/// <summary>
/// What <see cref="IHankoWebhookReceiver"/> did with a delivery, and the answer that goes with it: a host writes
/// <see cref="StatusCode"/> (and, for a refusal, <see cref="ProblemTitle"/> and <see cref="ProblemDetail"/>) and adds nothing.
/// Also what <see cref="IHankoWebhookReceiver.ProcessHandedOffAsync"/> did with a handed-off delivery:
/// <see cref="HankoReceiveOutcome.Dispatched"/>, or <see cref="HankoReceiveOutcome.Refused"/> with
/// <see cref="HankoWebhookFailure.InvalidPayload"/> when its data does not fit the SDK's models.
/// </summary>
/// <remarks>
/// The status table, decided here and nowhere else (Hanko counts any status below 400 as delivered and never retries):
/// <list type="table">
/// <listheader><term>Outcome</term><description>Status</description></listheader>
/// <item><term><see cref="HankoReceiveOutcome.Dispatched"/>, every handler succeeded (or none is registered)</term><description>200</description></item>
/// <item><term><see cref="HankoReceiveOutcome.Ignored"/>, <see cref="HankoReceiveOutcome.Duplicate"/></term><description>200</description></item>
/// <item><term><see cref="HankoReceiveOutcome.Accepted"/> (the project's <see cref="IHankoHandOff"/> took it)</term><description>202</description></item>
/// <item><term><see cref="HankoReceiveOutcome.Dispatched"/>, a handler threw</term><description>500</description></item>
/// <item><term>Refused: <see cref="HankoWebhookFailure.MalformedBody"/>, <see cref="HankoWebhookFailure.BodyUnreadable"/></term><description>400</description></item>
/// <item><term>Refused: <see cref="HankoWebhookFailure.BodyTooLarge"/></term><description>413</description></item>
/// <item><term>Refused: <see cref="HankoWebhookFailure.UnsupportedMediaType"/></term><description>415</description></item>
/// <item><term>Refused: <see cref="HankoWebhookFailure.InvalidPayload"/></term><description>422</description></item>
/// <item><term>Refused: <see cref="HankoWebhookFailure.KeysUnavailable"/>; <see cref="HankoReceiveOutcome.HandOffDeclined"/>; <see cref="HankoReceiveOutcome.ReplayCheckUnavailable"/></term><description>503</description></item>
/// <item><term>Refused: every other failure (the token is not proven to come from Hanko)</term><description>401</description></item>
/// </list>
/// </remarks>
public sealed class HankoReceiveResult
{
    private HankoReceiveResult(HankoReceiveOutcome outcome, HankoVerificationResult verification, HankoDispatchResult? dispatch, int statusCode, string? title, string? detail)
    {
        Outcome = outcome;
        Verification = verification;
        Dispatch = dispatch;
        StatusCode = statusCode;
        ProblemTitle = title;
        ProblemDetail = detail;
    }

    /// <summary>What happened.</summary>
    public HankoReceiveOutcome Outcome { get; }

    /// <summary>The HTTP status to answer Hanko with (see the table above).</summary>
    public int StatusCode { get; }

    /// <summary>
    /// The <c>title</c> of an <c>application/problem+json</c> answer (the <see cref="HankoWebhookFailure"/> name for a
    /// refusal, <c>HandlerFailed</c>, <c>ReplayCheckUnavailable</c>, or the hand-off's reason); <see langword="null"/> for a 2xx.
    /// </summary>
    public string? ProblemTitle { get; }

    /// <summary>The <c>detail</c> of the problem answer; never contains the token or the payload. <see langword="null"/> for a 2xx.</summary>
    public string? ProblemDetail { get; }

    /// <summary>Why the delivery was refused (or, for an <see cref="HankoReceiveOutcome.Accepted"/> one, why it cannot be dispatched); <see cref="HankoWebhookFailure.None"/> otherwise.</summary>
    public HankoWebhookFailure Failure => Verification.Failure;

    /// <summary>The verification result: the event, or why the delivery was refused.</summary>
    internal HankoVerificationResult Verification { get; }

    /// <summary>The verified event, or <see langword="null"/> when <see cref="Outcome"/> is <see cref="HankoReceiveOutcome.Refused"/> or <see cref="Failure"/> is not <see cref="HankoWebhookFailure.None"/>.</summary>
    public HankoEvent? Event => Verification.Event;

    /// <summary>The signed event name, also of an accepted unprocessable delivery; <see langword="null"/> for a refusal.</summary>
    internal string? EventName => Verification.Event?.Name ?? (Outcome == HankoReceiveOutcome.Accepted ? Verification.AuthenticParts?.Name : null);

    /// <summary>How the handlers did, when <see cref="Outcome"/> is <see cref="HankoReceiveOutcome.Dispatched"/>; otherwise <see langword="null"/>.</summary>
    public HankoDispatchResult? Dispatch { get; }

    internal static HankoReceiveResult Refused(HankoVerificationResult verification)
    {
        var status = verification.Failure switch
        {
            HankoWebhookFailure.MalformedBody or HankoWebhookFailure.BodyUnreadable => 400,
            HankoWebhookFailure.BodyTooLarge => 413,
            HankoWebhookFailure.UnsupportedMediaType => 415,
            HankoWebhookFailure.InvalidPayload => 422,
            HankoWebhookFailure.KeysUnavailable => 503,
            _ => 401, // every token failure: the delivery is not proven to come from Hanko
        };
        return new(HankoReceiveOutcome.Refused, verification, null, status, verification.Failure.ToString(), verification.FailureMessage);
    }

    internal static HankoReceiveResult Acknowledged(HankoReceiveOutcome outcome, HankoVerificationResult verification) =>
        new(outcome, verification, null, outcome == HankoReceiveOutcome.Accepted ? 202 : 200, null, null);

    internal static HankoReceiveResult Dispatched(HankoVerificationResult verification, HankoDispatchResult dispatch) => dispatch.Succeeded
        ? new(HankoReceiveOutcome.Dispatched, verification, dispatch, 200, null, null) // processing has finished (also when no handler exists)
        : new(HankoReceiveOutcome.Dispatched, verification, dispatch, 500, "HandlerFailed", $"{dispatch.Failures.Count} of {dispatch.HandlerCount} handler(s) failed for {dispatch.Event.Name}.");

    internal static HankoReceiveResult HandOffDeclined(HankoVerificationResult verification, HankoHandOffResult handOff) =>
        new(HankoReceiveOutcome.HandOffDeclined, verification, null, 503, handOff.DeclinedTitle ?? "HandOffDeclined", handOff.DeclinedDetail ?? "The event could not be handed off.");

    internal static HankoReceiveResult ReplayCheckUnavailable(HankoVerificationResult verification) =>
        new(HankoReceiveOutcome.ReplayCheckUnavailable, verification, null, 503, "ReplayCheckUnavailable", "The replay cache is unavailable.");

    /// <inheritdoc />
    public override string ToString() => Outcome switch
    {
        HankoReceiveOutcome.Refused => $"{StatusCode} Refused: {Verification}",
        HankoReceiveOutcome.Dispatched => $"{StatusCode} Dispatched {Event!.Name} ({(Dispatch!.Succeeded ? "handlers succeeded" : $"{Dispatch.Failures.Count} handler(s) failed")})",
        _ => $"{StatusCode} {Outcome} {EventName}",
    };
}
