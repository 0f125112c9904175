using Hanko.Webhooks;
using Hanko.Webhooks.Diagnostics;
using Hanko.Webhooks.Verification;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Hanko webhooks health check to <see cref="HankoWebhooksBuilder"/>.</summary>
public static class HankoWebhooksHealthCheckBuilderExtensions
{
    /// <summary>The default name of the health check: <c>hanko-webhooks</c>.</summary>
    public const string DefaultName = "hanko-webhooks";

    /// <summary>
    /// Registers a health check (with <c>services.AddHealthChecks()</c>) that reports whether deliveries can be verified:
    /// <b>Unhealthy</b> when the Hanko JWKS could never be fetched (deliveries are refused), <b>Degraded</b> when the keys
    /// in use are stale because refreshing them failed, <b>Healthy</b> otherwise. Its data holds <c>keyCount</c>,
    /// <c>fetchedAt</c>, <c>lastError</c> and <c>jwksUri</c>. Expose it with <c>app.MapHealthChecks("/healthz")</c>.
    /// </summary>
    /// <param name="builder">The builder from <c>services.AddHankoWebhooks()</c>.</param>
    /// <param name="name">The name of the check.</param>
    /// <param name="failureStatus">The status reported when no keys are held; <see cref="HealthStatus.Unhealthy"/> when <see langword="null"/>.</param>
    /// <param name="tags">Tags to filter checks by (for example <c>"ready"</c>).</param>
    /// <returns>The builder.</returns>
    public static HankoWebhooksBuilder AddHealthCheck(
        this HankoWebhooksBuilder builder,
        string name = DefaultName,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            name,
            sp => new HankoWebhooksHealthCheck(sp.GetRequiredService<JwksKeyStore>()),
            failureStatus,
            tags));
        return builder;
    }
}
