using Hanko.Webhooks;
using Hanko.Webhooks.DevConsole.Internal;
using Hanko.Webhooks.Testing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The development additions of Hanko.Webhooks.DevConsole to <see cref="HankoWebhooksBuilder"/>.</summary>
public static class HankoDevConsoleBuilderExtensions
{
    /// <summary>
    /// Opts the app into the development console and its local Hanko. Only in the <c>Development</c> environment: when no real key
    /// source (<c>TenantId</c>, <c>ApiUrl</c>, <c>JwksUrl</c>) is configured, the app's verifier trusts the JWKS of a
    /// <see cref="FakeHanko"/> held by <see cref="HankoDevelopmentHanko"/> (in process, no network) and <c>Audience</c> defaults to
    /// <c>localhost</c>; with a real key source the console only shows deliveries, it cannot sign. In any other environment this call
    /// changes nothing (it logs so at start) and <c>MapHankoWebhooksDevConsole</c> maps nothing.
    /// </summary>
    /// <param name="builder">The builder from <c>services.AddHankoWebhooks()</c>, or from <c>services.AddHankoWebhooks("eu")</c> for that project.</param>
    /// <returns>The builder.</returns>
    public static HankoWebhooksBuilder UseDevelopmentHanko(this HankoWebhooksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        // Per project: on a named project's builder (AddHankoWebhooks("eu")) it points that project at the local Hanko.
        // Every project so pointed shares the one local Hanko; the first one's audience is the local Hanko's. The local
        // Hanko serves the JWKS client of these projects only: each project has its own client.
        var project = builder.Project ?? Options.Options.DefaultName;
        if (!services.Any(d => d.ImplementationInstance is DevelopmentHankoProject p && p.Name == project))
        {
            services.AddSingleton(new DevelopmentHankoProject(project));
            services.AddOptions<HankoWebhookOptions>(project).PostConfigure<IHostEnvironment>(DevelopmentHankoSetup.PostConfigure);
            services.Configure<HttpClientFactoryOptions>(
                HankoWebhookOptions.GetHttpClientName(builder.Project),
                o => o.HttpMessageHandlerBuilderActions.Add(handlers => DevelopmentHankoSetup.UseFakeJwks(handlers, project)));
        }

        if (services.Any(d => d.ServiceType == typeof(HankoDevelopmentHanko)))
        {
            return builder;
        }

        services.AddSingleton(sp => DevelopmentHankoSetup.Create(sp, project));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DevelopmentHankoStartup>());

        // What the console needs to watch deliveries, registered unless the host is already known not to be Development.
        if (!DevelopmentHankoSetup.IsKnownNonDevelopment(services))
        {
            services.AddHttpContextAccessor();
            services.TryAddSingleton<DeliveryLog>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, HandlerFailureLoggerProvider>());
        }

        return builder;
    }

    /// <summary>A project (options name) that <c>UseDevelopmentHanko()</c> points at the local Hanko.</summary>
    internal sealed record DevelopmentHankoProject(string Name);
}
