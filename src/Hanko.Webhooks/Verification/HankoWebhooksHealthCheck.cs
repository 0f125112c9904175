using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.Verification;

/// <summary>
/// Whether deliveries can be verified: <b>Unhealthy</b> when no signing keys were ever fetched, <b>Degraded</b> when the keys
/// in use are stale (the last refresh failed, or it is overdue and cannot be made), <b>Healthy</b> otherwise.
/// </summary>
/// <remarks>
/// When the keys are missing or overdue the check asks for a fetch first, exactly as the next delivery would (one fetch at
/// a time, at most one per <see cref="HankoWebhookOptions.JwksRefetchCooldown"/>), so a quiet application is not reported
/// as degraded just because no delivery has come to refresh its keys.
/// </remarks>
internal sealed class HankoWebhooksHealthCheck(JwksKeyStore keys, ILogger logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var scope = HankoProject.BeginScope(logger, keys.Project);
        var status = keys.Status;
        if (status.KeyCount == 0 || status.IsStale)
        {
            await keys.RefreshAsync(cancellationToken).ConfigureAwait(false);
            status = keys.Status;
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["keyCount"] = status.KeyCount,
            ["jwksUri"] = keys.JwksUri.ToString(),
        };
        if (keys.Project is { } project)
        {
            data["project"] = project;
        }

        if (status.FetchedAt is { } fetchedAt)
        {
            data["fetchedAt"] = fetchedAt;
        }

        if (status.LastError is { } lastError)
        {
            data["lastError"] = lastError;
        }

        if (status.KeyCount == 0)
        {
            return new HealthCheckResult(
                context.Registration.FailureStatus,
                $"No Hanko signing keys: the JWKS could not be fetched ({status.LastError ?? "no fetch has completed yet"}). Deliveries are refused.",
                data: data);
        }

        if (status.IsStale)
        {
            return HealthCheckResult.Degraded(
                $"Verifying with {status.KeyCount} Hanko signing key(s) fetched at {status.FetchedAt:O}, which could not be refreshed ({status.LastError ?? "the refresh is overdue"}).",
                data: data);
        }

        return HealthCheckResult.Healthy($"{status.KeyCount} Hanko signing key(s), fetched at {status.FetchedAt:O}.", data);
    }
}
