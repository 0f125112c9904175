using Hanko.Webhooks;
using Hanko.Webhooks.Handling;
using Hanko.Webhooks.Internal;
using Hanko.Webhooks.Receiving;
using Hanko.Webhooks.Verification;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Hanko.Webhooks: the verifier, the JWKS cache, the dispatcher and your handlers.</summary>
public static class HankoWebhooksServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Hanko webhook services, bound to the configuration section <c>Hanko:Webhooks</c>
    /// (<c>TenantId</c>, <c>ApiUrl</c> or <c>JwksUrl</c>, and <c>Audience</c>; see <see cref="HankoWebhookOptions"/>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to add handlers with.</returns>
    public static HankoWebhooksBuilder AddHankoWebhooks(this IServiceCollection services) =>
        services.AddHankoWebhooks(configure: null);

    /// <summary>Adds the Hanko webhook services, bound to <paramref name="configuration"/> (a section shaped like <see cref="HankoWebhookOptions"/>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section to bind.</param>
    /// <returns>A builder to add handlers with.</returns>
    public static HankoWebhooksBuilder AddHankoWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<HankoWebhookOptions>(configuration);
        return services.AddHankoWebhooks(configure: null, bindDefaultSection: false);
    }

    /// <summary>
    /// Adds the Hanko webhook services, bound to the configuration section <c>Hanko:Webhooks</c> and then changed by
    /// <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options in code; runs after configuration binding.</param>
    /// <returns>A builder to add handlers with.</returns>
    public static HankoWebhooksBuilder AddHankoWebhooks(this IServiceCollection services, Action<HankoWebhookOptions>? configure) =>
        services.AddHankoWebhooks(configure, bindDefaultSection: true);

    private static HankoWebhooksBuilder AddHankoWebhooks(this IServiceCollection services, Action<HankoWebhookOptions>? configure, bool bindDefaultSection)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new HankoWebhooksBuilder(services);
        if (!services.Any(d => d.ServiceType == typeof(HankoWebhooksMarker)))
        {
            AddServices(services, bindDefaultSection);
        }

        // After the configuration binding (options setup runs in registration order), so code wins over appsettings.
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return builder;
    }

    private static void AddServices(IServiceCollection services, bool bindDefaultSection)
    {
        services.AddSingleton<HankoWebhooksMarker>();
        var options = services.AddOptions<HankoWebhookOptions>();
        if (bindDefaultSection)
        {
            // Bound when the app has configuration (every ASP.NET Core or generic host app does); skipped otherwise.
            options.Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection(HankoWebhookOptions.SectionName).Bind(o));
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<HankoWebhookOptions>, HankoWebhookOptionsPostConfigure>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HankoWebhookOptions>, HankoWebhookOptionsValidator>());
        options.ValidateOnStart();

        // Redirects are never followed for the JWKS: one could lead from an allowed URL to plain http on another host.
        // The SDK logs every fetch itself (ids 1-3); the factory's default loggers would add four lines per fetch and two
        // stack traces per failed one. AddDefaultLogger() on the same named client brings them back.
        services.AddHttpClient(HankoWebhookOptions.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(static () => new HttpClientHandler { AllowAutoRedirect = false })
            .RemoveAllLoggers();
        services.TryAddSingleton(TimeProvider.System);
        // The key store is its own service: the verifier, the start-up warm-up and the health check share it, whatever
        // IHankoWebhookVerifier is registered.
        services.TryAddSingleton(sp =>
        {
            var clients = sp.GetRequiredService<IHttpClientFactory>();
            return JwksKeyStore.Create(
                sp.GetRequiredService<IOptions<HankoWebhookOptions>>().Value,
                () => clients.CreateClient(HankoWebhookOptions.HttpClientName),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("Hanko.Webhooks"));
        });
        services.TryAddSingleton<IHankoWebhookVerifier>(sp => new HankoWebhookVerifier(
            sp.GetRequiredService<IOptions<HankoWebhookOptions>>().Value,
            sp.GetRequiredService<JwksKeyStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Hanko.Webhooks")));
        services.TryAddSingleton<IHankoEventDispatcher, HankoEventDispatcher>();

        // The replay guard's store: the app's IDistributedCache (Redis for several instances), else an in-memory one.
        services.AddDistributedMemoryCache();
        services.TryAddSingleton<IHankoReplayClaimStore>(sp => new DistributedCacheReplayClaimStore(sp.GetRequiredService<IDistributedCache>()));
        services.TryAddScoped<HankoDeliveryContext>();
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<HankoWebhookOptions>>().Value;
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Hanko.Webhooks");
            var guard = o.ReplayProtection
                ? new ReplayGuard(sp.GetRequiredService<IHankoReplayClaimStore>(), o, sp.GetRequiredService<TimeProvider>(), logger)
                : null;
            return new HankoWebhookReceiver(sp.GetRequiredService<IHankoWebhookVerifier>(), sp.GetRequiredService<IHankoEventDispatcher>(), guard, o, logger)
            {
                DurableHandOff = sp.GetService<IHankoDurableHandOff>(),
            };
        });
        services.TryAddSingleton<IHankoWebhookReceiver>(sp => sp.GetRequiredService<HankoWebhookReceiver>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, HankoWebhooksStartup>());
    }

    /// <summary>Marks that the services were added, so that a second call adds nothing twice.</summary>
    internal sealed class HankoWebhooksMarker;
}
