using Hanko.Webhooks;
using Hanko.Webhooks.Verification;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Hanko webhooks health check to <see cref="HankoWebhooksBuilder"/>.</summary>
public static class HankoWebhooksHealthCheckBuilderExtensions
{
    /// <summary>The default name of the health check: <c>hanko-webhooks</c>, and <c>hanko-webhooks-{project}</c> for a named project.</summary>
    public const string DefaultHealthCheckName = "hanko-webhooks";

    /// <summary>
    /// Registers a health check (with <c>services.AddHealthChecks()</c>) that reports whether deliveries can be verified:
    /// <b>Unhealthy</b> when the Hanko JWKS could never be fetched (deliveries are refused), <b>Degraded</b> when the keys
    /// in use are stale because refreshing them failed, <b>Healthy</b> otherwise. Its data holds <c>keyCount</c>,
    /// <c>fetchedAt</c>, <c>lastError</c> and <c>jwksUri</c> (and <c>project</c> for a named project). Each project has its own
    /// check over its own keys. Expose it with <c>app.MapHealthChecks("/healthz")</c>.
    /// </summary>
    /// <param name="builder">The builder from <c>services.AddHankoWebhooks()</c> or <c>services.AddHankoWebhooks("eu")</c>.</param>
    /// <param name="name">The name of the check; <see langword="null"/> for <c>hanko-webhooks</c>, or <c>hanko-webhooks-{project}</c> for a named project.</param>
    /// <param name="failureStatus">The status reported when no keys are held; <see cref="HealthStatus.Unhealthy"/> when <see langword="null"/>.</param>
    /// <param name="tags">Tags to filter checks by (for example <c>"ready"</c>).</param>
    /// <returns>The builder.</returns>
    public static HankoWebhooksBuilder AddHealthCheck(
        this HankoWebhooksBuilder builder,
        string? name = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (name is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
        }

        var project = builder.Project;
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            name ?? (project is null ? DefaultHealthCheckName : $"{DefaultHealthCheckName}-{project}"),
            sp => new HankoWebhooksHealthCheck(HankoProject.Resolve<JwksKeyStore>(sp, project), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Hanko.Webhooks")),
            failureStatus,
            tags));
        return builder;
    }
}
