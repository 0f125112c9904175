namespace Hanko.Webhooks;

/// <summary>
/// The names under which Hanko.Webhooks publishes traces and metrics, for OpenTelemetry:
/// <c>.WithTracing(t =&gt; t.AddSource(HankoWebhooksDiagnostics.ActivitySourceName))</c> and
/// <c>.WithMetrics(m =&gt; m.AddMeter(HankoWebhooksDiagnostics.MeterName))</c>.
/// </summary>
/// <remarks>
/// Spans and measurements carry event names, outcomes, failure reasons and handler type names; never a token, a payload,
/// an OTP code or metadata.
/// </remarks>
public static class HankoWebhooksDiagnostics
{
    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/>: <c>Hanko.Webhooks</c>.</summary>
    public const string ActivitySourceName = "Hanko.Webhooks";

    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/>: <c>Hanko.Webhooks</c>.</summary>
    public const string MeterName = "Hanko.Webhooks";

    /// <summary>The span of one delivery, from the body to the answer: <c>hanko.webhooks.delivery</c>.</summary>
    public const string DeliverySpan = "hanko.webhooks.delivery";

    /// <summary>The span of one handler's run for one event: <c>hanko.webhooks.handler</c>.</summary>
    public const string HandlerSpan = "hanko.webhooks.handler";

    /// <summary>
    /// The span of one run of a handed-off delivery, when the hand-off's worker brings it back in
    /// (<see cref="IHankoWebhookReceiver.ProcessHandedOffAsync"/>): <c>hanko.webhooks.handed_off</c>.
    /// </summary>
    /// <remarks>
    /// A worker that decides more after the run (a retry, a dead letter) starts this span itself, on an
    /// <see cref="System.Diagnostics.ActivitySource"/> named <see cref="ActivitySourceName"/>, and calls
    /// <see cref="IHankoWebhookReceiver.ProcessHandedOffAsync"/> inside it: the receiver then tags that span (event, delivery id,
    /// attempt, outcome) instead of opening another, and leaves it open for the worker's <see cref="WorkerOutcomeTag"/> and
    /// <see cref="RetryDueTag"/>. One run, one span, with every fact of the run.
    /// </remarks>
    public const string HandedOffSpan = "hanko.webhooks.handed_off";

    /// <summary>The tag with the event name (the signed <c>evt</c> claim): <c>hanko.webhook.event</c>.</summary>
    public const string EventTag = "hanko.webhook.event";

    /// <summary>
    /// The tag with the project of a named registration (<c>AddHankoWebhooks("eu")</c>), absent for the unnamed one:
    /// <c>hanko.webhook.project</c>.
    /// </summary>
    public const string ProjectTag = "hanko.webhook.project";

    /// <summary>The tag with what became of a delivery or a handler run (for example <c>handled</c>, <c>refused</c>): <c>hanko.webhook.outcome</c>.</summary>
    public const string OutcomeTag = "hanko.webhook.outcome";

    /// <summary>The tag with why a delivery was refused (a <see cref="HankoWebhookFailure"/> name): <c>hanko.webhook.failure</c>.</summary>
    public const string FailureTag = "hanko.webhook.failure";

    /// <summary>The tag with the delivery id (<see cref="HankoEvent.DeliveryId"/>): <c>hanko.webhook.delivery_id</c>.</summary>
    public const string DeliveryIdTag = "hanko.webhook.delivery_id";

    /// <summary>The tag with a handler's type name: <c>hanko.webhook.handler</c>.</summary>
    public const string HandlerTag = "hanko.webhook.handler";

    /// <summary>The tag with the number of a handed-off run (1 for the first; <see cref="HankoDeliveryContext"/>'s attempt): <c>hanko.webhook.attempt</c>.</summary>
    public const string AttemptTag = "hanko.webhook.attempt";

    /// <summary>
    /// The tag with what the hand-off's worker did after a run (on <see cref="HandedOffSpan"/>): <c>handled</c> (done),
    /// <c>retry</c> (scheduled, see <see cref="RetryDueTag"/>), <c>dead_lettered</c> or <c>abandoned</c> (left for another instance
    /// at shutdown): <c>hanko.webhook.worker.outcome</c>. Durable processing (Hanko.Webhooks.Redis) sets it.
    /// </summary>
    public const string WorkerOutcomeTag = "hanko.webhook.worker.outcome";

    /// <summary>The tag with when a scheduled retry is due, as an ISO 8601 UTC time (with <see cref="WorkerOutcomeTag"/> <c>retry</c>): <c>hanko.webhook.retry.due</c>.</summary>
    public const string RetryDueTag = "hanko.webhook.retry.due";
}
