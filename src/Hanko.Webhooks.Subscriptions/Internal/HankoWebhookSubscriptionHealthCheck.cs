using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Hanko.Webhooks.Subscriptions;

/// <summary>
/// Whether Hanko delivers to this application: <b>Unhealthy</b> when Hanko disabled the hook or no hook delivers to the
/// callback; <b>Degraded</b> when deliveries failed (<c>failures</c> &gt; 0), <c>expires_at</c> is near, handlers lack
/// subscriptions, Hanko could not be asked, or no <c>CallbackUrl</c> is set (then it cannot check anything); <b>Healthy</b> otherwise.
/// </summary>
/// <remarks>
/// It reports the watch's last observation. Without the watch (or before its first poll) it asks Hanko itself, at most once
/// per <see cref="HankoWebhookSubscriptionOptions.UnwatchedCheckInterval"/> (5 minutes), so frequent probes do not flood the Admin API.
/// </remarks>
internal sealed class HankoWebhookSubscriptionHealthCheck(SubscriptionMonitor monitor, IOptions<HankoWebhookSubscriptionOptions> options, TimeProvider time, string? project) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        if (o.CallbackUrl is null)
        {
            // Not Healthy: a check that looks at nothing must not say all is well.
            var setting = HankoWebhookSubscriptionOptionsValidator.SectionFor(project) + ":CallbackUrl";
            return HealthCheckResult.Degraded(
                $"No {setting} is set, so this check has no Hanko webhook to look at and cannot tell whether Hanko delivers to this app. "
                + "Set it to the public URL Hanko delivers to (e.g. https://app.example.com/webhooks/hanko), or remove AddSubscriptionHealthCheck().",
                data: new Dictionary<string, object>(StringComparer.Ordinal) { ["callbackUrlSet"] = false });
        }

        if (monitor.NoEndpoint is { } noEndpoint)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, noEndpoint, data: new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["callback"] = SubscriptionText.Redact(o.CallbackUrl),
                ["endpointMapped"] = false,
            });
        }

        var observation = monitor.Latest;
        if (observation is null && monitor.EnsurePending)
        {
            return HealthCheckResult.Degraded(
                $"The Hanko webhook for {SubscriptionText.Redact(o.CallbackUrl)} is being ensured; it has not been checked yet.",
                data: new Dictionary<string, object>(StringComparer.Ordinal) { ["callback"] = SubscriptionText.Redact(o.CallbackUrl) });
        }

        if (observation is null || (o.WatchInterval is null && time.GetUtcNow() - observation.CheckedAt >= HankoWebhookSubscriptionOptions.UnwatchedCheckInterval))
        {
            observation = await monitor.CheckAsync(cancellationToken).ConfigureAwait(false);
        }

        var callback = SubscriptionText.Redact(o.CallbackUrl);
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["callback"] = callback,
            ["checkedAt"] = observation.CheckedAt,
        };
        if (observation.Seen)
        {
            data["subscribed"] = observation.Subscribed.ToArray();
            data["missingSubscriptions"] = observation.Missing.ToArray();
        }

        if (observation.Hook is { } hook)
        {
            data["hookId"] = hook.Id.ToString("D");
            data["enabled"] = hook.Enabled;
            data["failures"] = hook.Failures;
            data["expiresAt"] = hook.ExpiresAt;
        }
        else if (observation.ConfigHook is not null)
        {
            data["source"] = "config";
        }

        if (observation.Refused.Count > 0)
        {
            data["refusedSubscriptions"] = observation.Refused.ToArray();
        }

        if (observation.Error is { } error)
        {
            data["lastError"] = error;
        }

        if (observation.LastRepairAt is { } repairedAt)
        {
            data["lastRepairAt"] = repairedAt;
        }

        if (monitor.LastCatchUp is { } catchUp)
        {
            data["lastCatchUpFrom"] = catchUp.Window.From;
            data["lastCatchUpTo"] = catchUp.Window.To;
            data["lastCatchUpAt"] = catchUp.At;
            if (catchUp.Result is { } result)
            {
                data["lastCatchUpHandedOver"] = result.HandedOver;
            }

            if (catchUp.Error is { } catchUpError)
            {
                data["lastCatchUpError"] = catchUpError;
            }
        }

        var stale = observation.Error is null ? string.Empty : $" (could not ask Hanko again: {observation.Error})";
        if (!observation.Seen)
        {
            return HealthCheckResult.Degraded($"Could not ask Hanko's Admin API about the webhook for {callback}: {observation.Error}", data: data);
        }

        if (observation.IsMissing)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"No Hanko webhook delivers to {callback}{stale}: the handlers receive nothing.", data: data);
        }

        if (observation.Hook is { Enabled: false } disabled)
        {
            return new HealthCheckResult(
                context.Registration.FailureStatus,
                $"Hanko disabled the webhook {disabled.Id} for {callback} after {disabled.Failures} failed deliveries{stale}. Nothing is delivered, and events sent meanwhile are lost.",
                data: data);
        }

        var problems = new List<string>();
        if (observation.Hook is { Failures: > 0 } failing)
        {
            problems.Add($"{failing.Failures} failed deliveries in a row (Hanko disables it after the 6th)");
        }

        if (observation.Hook is { } h && h.ExpiresAt - time.GetUtcNow() < HankoWebhookSubscriptionOptions.ExpiryWarning)
        {
            problems.Add($"it expires at {h.ExpiresAt:O}");
        }

        if (observation.Missing.Count > 0)
        {
            problems.Add($"it lacks the subscriptions {string.Join(", ", observation.Missing)}");
        }

        if (observation.Error is not null)
        {
            problems.Add($"Hanko could not be asked again: {observation.Error}");
        }

        var name = observation.Hook is { } dbHook ? $"The Hanko webhook {dbHook.Id}" : "The Hanko configuration-file hook";
        return problems.Count > 0
            ? HealthCheckResult.Degraded($"{name} for {callback} is enabled, but {string.Join("; ", problems)}.", data: data)
            : HealthCheckResult.Healthy($"{name} for {callback} is enabled and covers the handlers ({string.Join(", ", observation.Subscribed)}).", data);
    }
}
