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
}
