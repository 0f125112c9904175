using System.Diagnostics;
using Hanko.Webhooks.Diagnostics;
using Hanko.Webhooks.Verification;
using static Hanko.Webhooks.Diagnostics.HankoTelemetryNames;

namespace Hanko.Webhooks.Receiving;

/// <summary>
/// What the receiver decided, named for Diagnostics (which takes names and numbers): the outcome of a
/// <see cref="HankoReceiveResult"/> as its <c>hanko.webhook.outcome</c> value, beside <see cref="HankoReceiveOutcome"/>.
/// </summary>
internal static class ReceiveTelemetry
{
    /// <summary>The <c>hanko.webhook.outcome</c> value of a delivery's result.</summary>
    public static string OutcomeName(HankoReceiveResult result) => result.Outcome switch
    {
        HankoReceiveOutcome.Refused => Outcomes.Refused,
        HankoReceiveOutcome.Ignored => Outcomes.Filtered,
        HankoReceiveOutcome.Duplicate => Outcomes.Duplicate,
        HankoReceiveOutcome.Dispatched => DispatchOutcomeName(result.Dispatch!),
        HankoReceiveOutcome.Accepted => Outcomes.Accepted,
        _ => Outcomes.Unavailable, // HandOffDeclined, ReplayCheckUnavailable
    };

    /// <summary>The <c>hanko.webhook.outcome</c> value of a dispatch: <c>handled</c> or <c>handler_failed</c>.</summary>
    public static string DispatchOutcomeName(HankoDispatchResult dispatch) => dispatch.Succeeded ? Outcomes.Handled : Outcomes.HandlerFailed;

    /// <summary>Counts a delivery whose answer is decided (a handed-off one as accepted) and completes its span.</summary>
    public static void Complete(Activity? delivery, HankoReceiveResult result, string? project)
    {
        var outcome = OutcomeName(result);
        var failure = FailureName(result);
        HankoMetrics.RecordDelivery(outcome, result.EventName, failure, project);
        if (delivery is null)
        {
            return;
        }

        var (eventName, deliveryId) = result.Event is { } @event ? (@event.Name, @event.DeliveryId)
            : result.Outcome == HankoReceiveOutcome.Accepted && result.Verification.AuthenticParts is { } parts ? (parts.Name, parts.DeliveryId)
            : ((string?)null, (string?)null);
        HankoSpans.CompleteDelivery(delivery, outcome, eventName, deliveryId, failure, result.StatusCode);
    }

    /// <summary>Starts the span of one run of a handed-off delivery; <see langword="null"/> when nobody listens.</summary>
    public static Activity? StartHandedOff(string? project, HankoEventParts delivery, int attempt) =>
        HankoSpans.StartHandedOff(project, delivery.Name, delivery.DeliveryId, attempt);

    /// <summary>Counts one run of a handed-off delivery and completes its span.</summary>
    public static void CompleteHandedOff(Activity? run, string eventName, HankoReceiveResult result, string? project)
    {
        var outcome = OutcomeName(result);
        HankoMetrics.RecordHandedOffRun(eventName, outcome, project);
        HankoSpans.CompleteHandedOff(run, outcome, FailureName(result));
    }

    /// <summary>The failure's name when there is one (a refusal, or an accepted delivery kept as unprocessable).</summary>
    private static string? FailureName(HankoReceiveResult result) =>
        result.Failure == HankoWebhookFailure.None ? null : HankoWebhookFailureNames.Of(result.Failure);
}
