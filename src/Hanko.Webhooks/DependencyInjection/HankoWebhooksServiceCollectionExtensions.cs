using Hanko.Webhooks;
using Hanko.Webhooks.Handling;
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
    /// Adds the Hanko webhook services, bound to the configuration section <c>Hanko:Webhooks</c> (<c>TenantId</c>,
    /// <c>ApiUrl</c> or <c>JwksUrl</c>, and <c>Audience</c>; see <see cref="HankoWebhookOptions"/>) and then changed by
    /// <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options in code; runs after configuration binding.</param>
    /// <returns>A builder to add handlers with.</returns>
    public static HankoWebhooksBuilder AddHankoWebhooks(this IServiceCollection services, Action<HankoWebhookOptions>? configure = null) =>
        Register(services, project: null, configure);

    /// <summary>
    /// Adds a named Hanko project, bound to <c>Hanko:Webhooks</c> and then to <c>Hanko:Webhooks:Projects:{project}</c>
    /// (a key the project's section does not set falls back to <c>Hanko:Webhooks</c>), then changed by
    /// <paramref name="configure"/> (for this project only). It has its own keys, audience, replay namespace, health check
    /// entry and telemetry tag; map it with <c>app.MapHankoWebhooks(pattern, project)</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="project">The project's name: 1 to 64 letters, digits, <c>-</c>, <c>_</c> or <c>.</c>.</param>
    /// <param name="configure">Sets the project's options in code; runs after configuration binding.</param>
    /// <returns>A builder to add the project's own handlers with.</returns>
    /// <exception cref="ArgumentException"><paramref name="project"/> is not a valid name, or differs from a registered one only in case.</exception>
    public static HankoWebhooksBuilder AddHankoWebhooks(this IServiceCollection services, string project, Action<HankoWebhookOptions>? configure = null)
    {
        HankoProject.ThrowIfInvalidName(project, nameof(project));
        return Register(services, project, configure);
    }

    private static HankoWebhooksBuilder Register(IServiceCollection services, string? project, Action<HankoWebhookOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(HankoWebhooksMarker)))
        {
            AddSharedServices(services);
        }

        var registered = HankoProjectRegistration.In(services).Select(r => r.Name).ToList();
        if (!registered.Contains(project, StringComparer.Ordinal))
        {
            if (project is not null && registered.Find(n => string.Equals(n, project, StringComparison.OrdinalIgnoreCase)) is { } other)
            {
                throw new ArgumentException(
                    $"The Hanko project \"{project}\" differs from the registered project \"{other}\" only in case; configuration keys are case-insensitive, so both would read the same section. Use one spelling.",
                    nameof(project));
            }

            AddProjectServices(services, project);
        }

        // After the configuration binding (options setup runs in registration order), so code wins over appsettings.
        if (configure is not null)
        {
            services.Configure(HankoProject.OptionsName(project), configure);
        }

        return new HankoWebhooksBuilder(services, project);
    }

    /// <summary>What every project shares: options derivation and validation, the dispatcher, the cache, the start-up.</summary>
    private static void AddSharedServices(IServiceCollection services)
    {
        services.AddSingleton<HankoWebhooksMarker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<HankoWebhookOptions>, HankoWebhookOptionsPostConfigure>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HankoWebhookOptions>, HankoWebhookOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IHankoEventDispatcher, HankoEventDispatcher>();

        // The replay guard's store: the app's IDistributedCache (Redis for several instances), else an in-memory one.
        services.AddDistributedMemoryCache();
        services.TryAddSingleton<IHankoReplayClaimStore>(sp => new DistributedCacheReplayClaimStore(sp.GetRequiredService<IDistributedCache>()));
        services.TryAddScoped(_ => new HankoDeliveryContext());
        services.TryAddSingleton(new HandlerRegistrations(services));
        services.TryAddSingleton(sp => new HankoWebhookEndpoints(sp));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, HankoWebhooksStartup>());
    }

    /// <summary>
    /// One project's own services: its options (validated at start), JWKS client, key store, verifier and receiver. Unkeyed for the unnamed
    /// project (so that an app's own <see cref="IHankoWebhookVerifier"/> registered before still wins), keyed by name otherwise.
    /// </summary>
    private static void AddProjectServices(IServiceCollection services, string? project)
    {
        services.AddSingleton(new HankoProjectRegistration(project));
        var options = services.AddOptions<HankoWebhookOptions>(HankoProject.OptionsName(project));
        if (project is not null)
        {
            options.Configure<IServiceProvider>((o, sp) => BindProjectSection(o, sp.GetService<IConfiguration>(), project));
        }
        else
        {
            // Bound when the app has configuration (every ASP.NET Core or generic host app does); skipped otherwise.
            options.Configure<IServiceProvider>((o, sp) =>
            {
                if (sp.GetService<IConfiguration>() is { } configuration)
                {
                    HankoWebhookOptionsBinder.Bind(configuration.GetSection(HankoWebhookOptions.SectionName), o);
                }
            });
        }

        options.ValidateOnStart();

        // Each project fetches its keys with a client of its own: a handler configured for one project (a proxy, the
        // development console's local Hanko) never answers for another's JWKS. Redirects are never followed: one could lead
        // from an allowed URL to plain http on another host. The SDK logs every fetch itself (ids 1-3); the factory's default
        // loggers would add four lines per fetch and two stack traces per failed one. AddDefaultLogger() on the client brings them back.
        var jwksClient = HankoWebhookOptions.GetHttpClientName(project);
        services.AddHttpClient(jwksClient)
            .ConfigurePrimaryHttpMessageHandler(static () => new HttpClientHandler { AllowAutoRedirect = false })
            .RemoveAllLoggers();

        // The key store is its own service: the verifier, the start-up warm-up and the health check share it, whatever
        // IHankoWebhookVerifier is registered.
        services.TryAdd(ServiceDescriptor.KeyedSingleton(project, (sp, _) =>
        {
            var clients = sp.GetRequiredService<IHttpClientFactory>();
            return JwksKeyStore.Create(
                HankoProject.OptionsFor(sp, project),
                () => clients.CreateClient(jwksClient),
                sp.GetRequiredService<TimeProvider>(),
                Logger(sp),
                project);
        }));
        services.TryAdd(ServiceDescriptor.KeyedSingleton<IHankoWebhookVerifier>(project, (sp, _) => new WebhookVerifier(
            HankoProject.OptionsFor(sp, project),
            HankoProject.Resolve<JwksKeyStore>(sp, project),
            sp.GetRequiredService<TimeProvider>(),
            Logger(sp),
            project)));
        services.TryAdd(ServiceDescriptor.KeyedSingleton(project, (sp, _) =>
        {
            var o = HankoProject.OptionsFor(sp, project);
            var logger = Logger(sp);
            var guard = o.ReplayProtection
                ? new ReplayGuard(ProjectReplayClaimStore.For(sp, project), o, sp.GetRequiredService<TimeProvider>(), logger)
                : null;
            return new HankoWebhookReceiver(HankoProject.Resolve<IHankoWebhookVerifier>(sp, project), sp.GetRequiredService<IHankoEventDispatcher>(), guard, o, logger, project)
            {
                HandOff = project is null ? sp.GetService<IHankoHandOff>() : sp.GetKeyedService<IHankoHandOff>(project),
                Time = sp.GetRequiredService<TimeProvider>(),
            };
        }));
        services.TryAdd(ServiceDescriptor.KeyedSingleton<IHankoWebhookReceiver>(project, (sp, _) => HankoProject.Resolve<HankoWebhookReceiver>(sp, project)));
    }

    /// <summary>
    /// Binds <c>Hanko:Webhooks</c>, then <c>Hanko:Webhooks:Projects:{project}</c> over it. The key source is taken whole: when
    /// the project sets one of <c>TenantId</c>, <c>ApiUrl</c>, <c>JwksUrl</c>, none of the three is inherited.
    /// </summary>
    private static void BindProjectSection(HankoWebhookOptions options, IConfiguration? configuration, string project)
    {
        if (configuration is null)
        {
            return;
        }

        var shared = configuration.GetSection(HankoWebhookOptions.SectionName);
        HankoWebhookOptionsBinder.Bind(shared, options);
        var own = shared.GetSection(HankoProject.ProjectsSection).GetSection(project);
        if (own.GetSection(nameof(HankoWebhookOptions.TenantId)).Value is not null
            || own.GetSection(nameof(HankoWebhookOptions.ApiUrl)).Value is not null
            || own.GetSection(nameof(HankoWebhookOptions.JwksUrl)).Value is not null)
        {
            options.TenantId = options.ApiUrl = options.JwksUrl = null;
        }

        HankoWebhookOptionsBinder.Bind(own, options);
    }

    private static ILogger Logger(IServiceProvider services) => services.GetRequiredService<ILoggerFactory>().CreateLogger("Hanko.Webhooks");

    /// <summary>Marks that the services were added, so that a second call adds nothing twice.</summary>
    internal sealed class HankoWebhooksMarker;
}
