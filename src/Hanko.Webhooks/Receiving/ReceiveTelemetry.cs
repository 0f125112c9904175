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
        HankoReceiveOutcome.HandedOff => Outcomes.Queued,
        HankoReceiveOutcome.Stored or HankoReceiveOutcome.StoredUnprocessable => Outcomes.Stored,
        _ => Outcomes.Unavailable, // HandOffDeclined, ReplayCheckUnavailable
    };

    /// <summary>The <c>hanko.webhook.outcome</c> value of a dispatch: <c>handled</c> or <c>handler_failed</c>.</summary>
    public static string DispatchOutcomeName(HankoDispatchResult dispatch) => dispatch.Succeeded ? Outcomes.Handled : Outcomes.HandlerFailed;

    /// <summary>Counts a delivery whose answer is decided and completes its span.</summary>
    public static void Complete(Activity? delivery, HankoReceiveResult result, string? project)
    {
        var outcome = OutcomeName(result);
        var failure = result.Outcome is HankoReceiveOutcome.Refused or HankoReceiveOutcome.StoredUnprocessable ? HankoWebhookFailureNames.Of(result.Failure) : null;
        if (result.Outcome != HankoReceiveOutcome.HandedOff)
        {
            // A handed-off delivery is counted when its handlers have run (RecordHandedOffProcessed).
            HankoMetrics.RecordDelivery(outcome, result.EventName, failure, project);
        }

        if (delivery is null)
        {
            return;
        }

        var (eventName, deliveryId) = result.Event is { } @event ? (@event.Name, @event.DeliveryId)
            : result.Outcome == HankoReceiveOutcome.StoredUnprocessable && result.Verification.AuthenticParts is { } parts ? (parts.Name, parts.DeliveryId)
            : ((string?)null, (string?)null);
        HankoSpans.CompleteDelivery(delivery, outcome, eventName, deliveryId, failure, result.StatusCode);
    }

    /// <summary>Counts a handed-off delivery once its handlers have run.</summary>
    public static void RecordHandedOffProcessed(HankoDispatchResult dispatch) =>
        HankoMetrics.RecordHandedOffProcessed(dispatch.Event.Name, DispatchOutcomeName(dispatch), dispatch.Event.Project);
}
