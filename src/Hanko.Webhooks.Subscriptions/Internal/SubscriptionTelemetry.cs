using System.Diagnostics.Metrics;

namespace Hanko.Webhooks.Subscriptions;

/// <summary>The instruments of subscription management, on the SDK's meter (<see cref="HankoWebhooksDiagnostics.MeterName"/>).</summary>
internal static class SubscriptionTelemetry
{
    private static readonly Meter Meter = new(HankoWebhooksDiagnostics.MeterName, typeof(SubscriptionTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Counted each time the watch sees a hook that was not disabled before (or was not seen yet) disabled by Hanko.</summary>
    public static readonly Counter<long> Disabled = Meter.CreateCounter<long>(
        "hanko.webhooks.subscription.disabled", "{transition}", "Times the watch found the Hanko webhook disabled after it had been enabled (or not yet seen).");

    /// <summary>Counted for each automatic repair (re-enable or re-create).</summary>
    public static readonly Counter<long> Repaired = Meter.CreateCounter<long>(
        "hanko.webhooks.subscription.repairs", "{repair}", "Automatic repairs (re-enable, re-create) of the Hanko webhook.");

    /// <summary>Counted for each catch-up run, tagged <c>result</c>: <c>completed</c>, <c>incomplete</c> (users not handed over) or <c>failed</c> (the Admin API failed).</summary>
    public static readonly Counter<long> CatchUpRuns = Meter.CreateCounter<long>(
        "hanko.webhooks.catch_up.runs", "{run}", "Catch-up runs of a window, by result.");

    /// <summary>Counted for each user a catch-up found, tagged <c>outcome</c>: <c>handed_over</c>, <c>already_handed_over</c> or <c>failed</c>.</summary>
    public static readonly Counter<long> CatchUpUsers = Meter.CreateCounter<long>(
        "hanko.webhooks.catch_up.users", "{user}", "Users a catch-up found, by outcome.");
}
