using Hanko.Webhooks;
using Hanko.Webhooks.Subscriptions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds management and watching of the webhook's own subscription on Hanko's side (through Hanko's Admin API).</summary>
public static class HankoWebhooksSubscriptionBuilderExtensions
{
    /// <summary>The default name of the subscription health check: <c>hanko-webhooks-subscription</c>, and <c>hanko-webhooks-subscription-{project}</c> for a named project.</summary>
    public const string DefaultHealthCheckName = "hanko-webhooks-subscription";

    /// <summary>
    /// Adds the Admin API client (<see cref="IHankoWebhookSubscriptions"/>), the catch-up of what Hanko could not deliver
    /// (<see cref="IHankoCatchUp"/>), the subscription plan of the registered
    /// handlers (<see cref="HankoWebhookSubscriptionPlan"/>, logged at start) and, as the options say, ensuring the hook at
    /// start and watching it; bound to the configuration section <c>Hanko:Webhooks:Subscriptions</c> and then changed by
    /// <paramref name="configure"/>.
    /// </summary>
    /// <remarks>
    /// On a named project's builder (<c>AddHankoWebhooks("eu")</c>) everything is that project's: its options (bound to
    /// <c>Hanko:Webhooks:Subscriptions</c>, then <c>Hanko:Webhooks:Projects:eu:Subscriptions</c> over it, its Admin API derived
    /// from its own tenant id), its plan (the shared handlers and its own), its monitor, and the client as a keyed
    /// <see cref="IHankoWebhookSubscriptions"/> (key <c>"eu"</c>).
    /// </remarks>
    /// <param name="builder">The builder from <c>services.AddHankoWebhooks()</c>.</param>
    /// <param name="configure">Sets options in code; runs after configuration binding. <see langword="null"/> for none.</param>
    /// <returns>The builder.</returns>
    public static HankoWebhooksBuilder AddSubscriptions(this HankoWebhooksBuilder builder, Action<HankoWebhookSubscriptionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var project = builder.Project;
        var name = SubscriptionProject.OptionsName(project);
        if (!services.Any(d => d.ServiceType == typeof(SharedSubscriptionsMarker)))
        {
            services.AddSingleton<SharedSubscriptionsMarker>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<HankoWebhookSubscriptionOptions>, HankoWebhookSubscriptionPostConfigure>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HankoWebhookSubscriptionOptions>, HankoWebhookSubscriptionOptionsValidator>());

            // No HttpClientFactory logging on this client: its header log records carry the raw header values (the API key)
            // in their structured state, whatever RedactLoggedHeaders says; the client logs each call itself (event 50).
            services.AddHttpClient(HankoWebhookSubscriptionOptions.HttpClientName).RemoveAllLoggers();

            // No redirects: one would carry the API key to wherever it points and make its answer pass for Hanko's. Added in
            // PostConfigure, so it runs after every other configuration of the client and also covers a primary handler the
            // app sets later (a proxy's). The client refuses a 3xx, and an answer a handler followed a redirect for.
            // The request timeout, put first so that the app's own ConfigureHttpClient (before or after this call) wins.
            services.PostConfigure<HttpClientFactoryOptions>(
                HankoWebhookSubscriptionOptions.HttpClientName,
                o =>
                {
                    o.HttpMessageHandlerBuilderActions.Add(static b => FollowNoRedirects(b.PrimaryHandler));
                    o.HttpClientActions.Insert(0, static c => c.Timeout = HankoWebhookSubscriptionOptions.DefaultRequestTimeout);
                });
            services.TryAddSingleton(TimeProvider.System);
        }

        if (!services.Any(d => d.ServiceType == typeof(SubscriptionsMarker) && Equals(d.ServiceKey, project)))
        {
            services.Add(ServiceDescriptor.KeyedSingleton<SubscriptionsMarker, SubscriptionsMarker>(project));

            var options = services.AddOptions<HankoWebhookSubscriptionOptions>(name);
            options.Configure<IServiceProvider>((o, sp) =>
            {
                if (sp.GetService<IConfiguration>() is not { } configuration)
                {
                    return;
                }

                HankoWebhookSubscriptionOptionsBinder.Bind(configuration.GetSection(HankoWebhookSubscriptionOptions.SectionName), o);
                if (project is not null)
                {
                    HankoWebhookSubscriptionOptionsBinder.Bind(configuration.GetSection(HankoWebhookSubscriptionOptionsValidator.SectionFor(project)), o);
                }
            });
            options.ValidateOnStart();

            IOptions<HankoWebhookSubscriptionOptions> OptionsOf(IServiceProvider sp) =>
                Options.Options.Create(sp.GetRequiredService<IOptionsMonitor<HankoWebhookSubscriptionOptions>>().Get(name));

            services.TryAdd(ServiceDescriptor.KeyedSingleton(project, (sp, _) =>
                new HankoAdminApiClient(sp.GetRequiredService<IHttpClientFactory>(), OptionsOf(sp), sp.GetRequiredService<ILoggerFactory>())));
            services.TryAdd(ServiceDescriptor.KeyedSingleton<IHankoWebhookSubscriptions>(project, (sp, _) => SubscriptionProject.Resolve<HankoAdminApiClient>(sp, project)));

            // The catch-up reads through the same client and hands users over through the project's own receiver.
            services.TryAdd(ServiceDescriptor.KeyedSingleton<IHankoCatchUp>(project, (sp, _) => new HankoCatchUp(
                SubscriptionProject.Resolve<HankoAdminApiClient>(sp, project),
                SubscriptionProject.Resolve<IHankoWebhookReceiver>(sp, project),
                OptionsOf(sp),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>(),
                project)));

            // Read when first resolved, so handlers added after this call count too.
            services.TryAdd(ServiceDescriptor.KeyedSingleton(project, (_, _) => HankoWebhookSubscriptionPlan.ForEventTypes(builder.GetHandledEventTypes())));
            services.TryAdd(ServiceDescriptor.KeyedSingleton(project, (sp, _) => new SubscriptionReconciler(
                SubscriptionProject.Resolve<IHankoWebhookSubscriptions>(sp, project),
                SubscriptionProject.Resolve<HankoWebhookSubscriptionPlan>(sp, project),
                OptionsOf(sp),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>())));
            services.TryAdd(ServiceDescriptor.KeyedSingleton(project, (sp, _) => new SubscriptionMonitor(
                SubscriptionProject.Resolve<SubscriptionReconciler>(sp, project),
                OptionsOf(sp),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>())));
            services.AddSingleton<IHostedService>(sp => new SubscriptionService(
                SubscriptionProject.Resolve<HankoWebhookSubscriptionPlan>(sp, project),
                SubscriptionProject.Resolve<SubscriptionMonitor>(sp, project),
                OptionsOf(sp),
                sp.GetRequiredService<HankoWebhookEndpoints>(),
                sp.GetService<IHostApplicationLifetime>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>())
            {
                Project = project,
                CatchUp = SubscriptionProject.Resolve<HankoWebhookSubscriptionPlan>(sp, project).EventTypes.Contains(typeof(UserCatchUpEvent))
                    ? SubscriptionProject.Resolve<IHankoCatchUp>(sp, project)
                    : null,
            });

            // Catch-up across restarts: a heartbeat in the shared store while the project receives, the missed window at start.
            services.AddSingleton<IHostedService>(sp => new RestartCatchUp(sp, project));
        }

        if (configure is not null)
        {
            services.Configure(name, configure);
        }

        return builder;
    }

    /// <summary>
    /// Registers a health check (with <c>services.AddHealthChecks()</c>) for the hook at
    /// <see cref="HankoWebhookSubscriptionOptions.CallbackUrl"/>: <b>Unhealthy</b> when Hanko disabled it or no hook
    /// delivers there; <b>Degraded</b> when deliveries failed, <c>expires_at</c> is near, handlers lack subscriptions, or
    /// the Admin API could not be asked, or no <see cref="HankoWebhookSubscriptionOptions.CallbackUrl"/> is set (nothing to check); <b>Healthy</b> otherwise. Its data holds <c>callback</c>, <c>hookId</c>,
    /// <c>enabled</c>, <c>failures</c>, <c>expiresAt</c>, <c>subscribed</c>, <c>missingSubscriptions</c>,
    /// <c>checkedAt</c> and, when there are, <c>lastError</c>, <c>lastRepairAt</c> and the last window caught up (after refusals or across restarts)
    /// (<c>lastCatchUpFrom</c>, <c>lastCatchUpTo</c>, <c>lastCatchUpAt</c>, <c>lastCatchUpHandedOver</c> or <c>lastCatchUpError</c>).
    /// Adds <see cref="AddSubscriptions"/> too.
    /// </summary>
    /// <param name="builder">The builder from <c>services.AddHankoWebhooks()</c>.</param>
    /// <param name="name">The name of the check; by default <see cref="DefaultHealthCheckName"/>, and for a named project
    /// <c>hanko-webhooks-subscription-{project}</c>.</param>
    /// <param name="failureStatus">The status when the hook is disabled or missing; <see cref="HealthStatus.Unhealthy"/> when <see langword="null"/>.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <returns>The builder.</returns>
    public static HankoWebhooksBuilder AddSubscriptionHealthCheck(
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
        builder.AddSubscriptions();
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            name ?? (project is null ? DefaultHealthCheckName : $"{DefaultHealthCheckName}-{project}"),
            sp => new HankoWebhookSubscriptionHealthCheck(
                SubscriptionProject.Resolve<SubscriptionMonitor>(sp, project),
                Options.Options.Create(sp.GetRequiredService<IOptionsMonitor<HankoWebhookSubscriptionOptions>>().Get(SubscriptionProject.OptionsName(project))),
                sp.GetRequiredService<TimeProvider>(),
                project),
            failureStatus,
            tags));
        return builder;
    }

    /// <summary>Turns automatic redirects off on the handler that sends (inside the app's delegating handlers, if any).</summary>
    private static void FollowNoRedirects(HttpMessageHandler? handler)
    {
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler;
        }

        switch (handler)
        {
            case SocketsHttpHandler sockets:
                sockets.AllowAutoRedirect = false;
                break;
            case HttpClientHandler client:
                client.AllowAutoRedirect = false;
                break;
        }
    }

    /// <summary>Marks that the services every project's subscriptions share were added.</summary>
    internal sealed class SharedSubscriptionsMarker;

    /// <summary>Marks that a project's subscription services were added (keyed by the project; unkeyed for the unnamed one).</summary>
    internal sealed class SubscriptionsMarker;
}
