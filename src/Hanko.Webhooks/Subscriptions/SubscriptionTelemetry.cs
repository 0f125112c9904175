using System.Diagnostics.Metrics;
using Hanko.Webhooks.Diagnostics;

namespace Hanko.Webhooks.Subscriptions;

/// <summary>The instruments of subscription management, on the <c>Hanko.Webhooks</c> meter.</summary>
internal static class SubscriptionTelemetry
{
    /// <summary>Counted each time the watch sees a hook that was not disabled before (or was not seen yet) disabled by Hanko.</summary>
    public static readonly Counter<long> Disabled = HankoMetrics.Meter.CreateCounter<long>(
        "hanko.webhooks.subscription.disabled", "{transition}", "Times the watch found the Hanko webhook disabled after it had been enabled (or not yet seen).");

    /// <summary>Counted for each automatic repair (re-enable or re-create).</summary>
    public static readonly Counter<long> Repaired = HankoMetrics.Meter.CreateCounter<long>(
        "hanko.webhooks.subscription.repairs", "{repair}", "Automatic repairs (re-enable, re-create) of the Hanko webhook.");
}
