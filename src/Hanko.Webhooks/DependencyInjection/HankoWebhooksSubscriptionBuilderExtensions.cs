using Hanko.Webhooks;
using Hanko.Webhooks.Subscriptions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds management and watching of the webhook's own subscription on Hanko's side (through Hanko's Admin API).</summary>
public static class HankoWebhooksSubscriptionBuilderExtensions
{
    /// <summary>The default name of the subscription health check: <c>hanko-webhooks-subscription</c>.</summary>
    public const string DefaultHealthCheckName = "hanko-webhooks-subscription";

    /// <summary>
    /// Adds the Admin API client (<see cref="IHankoWebhookSubscriptions"/>), the subscription plan of the registered
    /// handlers (<see cref="HankoWebhookSubscriptionPlan"/>, logged at start) and, as the options say, ensuring the hook at
    /// start and watching it; bound to the configuration section <c>Hanko:Webhooks:Subscriptions</c>.
    /// </summary>
    /// <param name="builder">The builder from <c>services.AddHankoWebhooks()</c>.</param>
    /// <returns>The builder.</returns>
    public static HankoWebhooksBuilder AddSubscriptions(this HankoWebhooksBuilder builder) => builder.AddSubscriptions(configure: null);

    /// <summary>
    /// Adds the Admin API client, the subscription plan and, as the options say, ensuring and watching the hook; bound to
    /// the configuration section <c>Hanko:Webhooks:Subscriptions</c> and then changed by <paramref name="configure"/>.
    /// </summary>
    /// <param name="builder">The builder from <c>services.AddHankoWebhooks()</c>.</param>
    /// <param name="configure">Sets options in code; runs after configuration binding.</param>
    /// <returns>The builder.</returns>
    public static HankoWebhooksBuilder AddSubscriptions(this HankoWebhooksBuilder builder, Action<HankoWebhookSubscriptionOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (!services.Any(d => d.ServiceType == typeof(SubscriptionsMarker)))
        {
            services.AddSingleton<SubscriptionsMarker>();
            var options = services.AddOptions<HankoWebhookSubscriptionOptions>();
            options.Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection(HankoWebhookSubscriptionOptions.SectionName).Bind(o));
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<HankoWebhookSubscriptionOptions>, HankoWebhookSubscriptionPostConfigure>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HankoWebhookSubscriptionOptions>, HankoWebhookSubscriptionOptionsValidator>());
            options.ValidateOnStart();

            // No HttpClientFactory logging on this client: its header log records carry the raw header values (the API key)
            // in their structured state, whatever RedactLoggedHeaders says; the client logs each call itself (event 50).
            services.AddHttpClient(HankoWebhookSubscriptionOptions.HttpClientName).RemoveAllLoggers();
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddSingleton<IHankoWebhookSubscriptions, HankoAdminApiClient>();

            // Read when first resolved, so handlers added after this call count too.
            services.TryAddSingleton(_ => HankoWebhookSubscriptionPlan.ForEventTypes(HandledEventTypes(services)));
            services.TryAddSingleton<SubscriptionReconciler>();
            services.TryAddSingleton<SubscriptionMonitor>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SubscriptionService>());
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return builder;
    }

    /// <summary>
    /// Registers a health check (with <c>services.AddHealthChecks()</c>) for the hook at
    /// <see cref="HankoWebhookSubscriptionOptions.CallbackUrl"/>: <b>Unhealthy</b> when Hanko disabled it or no hook
    /// delivers there; <b>Degraded</b> when deliveries failed, <c>expires_at</c> is near, handlers lack subscriptions, or
    /// the Admin API could not be asked; <b>Healthy</b> otherwise. Its data holds <c>callback</c>, <c>hookId</c>,
    /// <c>enabled</c>, <c>failures</c>, <c>expiresAt</c>, <c>subscribed</c>, <c>missingSubscriptions</c>,
    /// <c>checkedAt</c> and, when there are, <c>lastError</c> and <c>lastRepairAt</c>. Adds <see cref="AddSubscriptions(HankoWebhooksBuilder)"/> too.
    /// </summary>
    /// <param name="builder">The builder from <c>services.AddHankoWebhooks()</c>.</param>
    /// <param name="name">The name of the check.</param>
    /// <param name="failureStatus">The status when the hook is disabled or missing; <see cref="HealthStatus.Unhealthy"/> when <see langword="null"/>.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <returns>The builder.</returns>
    public static HankoWebhooksBuilder AddSubscriptionHealthCheck(
        this HankoWebhooksBuilder builder,
        string name = DefaultHealthCheckName,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.AddSubscriptions();
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            name,
            sp => new HankoWebhookSubscriptionHealthCheck(
                sp.GetRequiredService<SubscriptionMonitor>(),
                sp.GetRequiredService<IOptions<HankoWebhookSubscriptionOptions>>(),
                sp.GetRequiredService<TimeProvider>()),
            failureStatus,
            tags));
        return builder;
    }

    private static IEnumerable<Type> HandledEventTypes(IServiceCollection services) =>
        services
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IHankoEventHandler<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0]);

    /// <summary>Marks that the subscription services were added.</summary>
    internal sealed class SubscriptionsMarker;
}
