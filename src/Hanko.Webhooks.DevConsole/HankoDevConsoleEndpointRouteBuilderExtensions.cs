using Hanko.Webhooks;
using Hanko.Webhooks.DevConsole;
using Hanko.Webhooks.DevConsole.Internal;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Hanko webhooks development console: a page and a JSON API to send events to this app and watch its handlers.</summary>
public static class HankoDevConsoleEndpointRouteBuilderExtensions
{
    /// <summary>The path <see cref="MapHankoWebhooksDevConsole"/> maps by default.</summary>
    public const string DefaultPattern = "/_hanko";

    /// <summary>
    /// Maps the development console at <paramref name="pattern"/> (the page) and <c><paramref name="pattern"/>/api/…</c> (the JSON API),
    /// but only when the host environment is <c>Development</c> <b>and</b> the app opted in with
    /// <c>services.AddHankoWebhooks().UseDevelopmentHanko()</c>. Anywhere else it maps nothing and logs why (event id 202): in
    /// production the path answers 404. The console answers loopback clients only, addressed as <c>localhost</c>, <c>127.0.0.1</c> or
    /// <c>[::1]</c> with the port the app listens on (no DNS rebinding), and takes POST/DELETE calls and payload reveals from its
    /// own origin only (no cross-site requests); anything else is refused with a 403 that says which check failed.
    /// </summary>
    /// <param name="endpoints">The application's endpoint route builder.</param>
    /// <param name="pattern">The path of the page; the default is <c>/_hanko</c>.</param>
    /// <returns>A builder for conventions on the console's endpoints (a no-op builder when nothing was mapped).</returns>
    public static IEndpointConventionBuilder MapHankoWebhooksDevConsole(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);

        var services = endpoints.ServiceProvider;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(Log.Category);
        var environment = services.GetRequiredService<IHostEnvironment>();
        if (!environment.IsDevelopment())
        {
            Log.ConsoleNotMapped(logger, pattern, $"the environment is {environment.EnvironmentName}; the console (which can forge deliveries) only runs in Development.");
            return NothingMapped.Instance;
        }

        if (services.GetService<IServiceProviderIsService>()?.IsService(typeof(HankoDevelopmentHanko)) != true || services.GetService<DeliveryLog>() is not { } log)
        {
            Log.ConsoleNotMapped(logger, pattern, "the app did not opt in: call builder.Services.AddHankoWebhooks().UseDevelopmentHanko().");
            return NothingMapped.Instance;
        }

        // Created on first use, not here: creating it reads the options, which are validated when the host starts
        // (ValidateOnStart); resolving them while mapping would throw a configuration mistake from this line instead.
        var local = new Lazy<HankoDevelopmentHanko>(services.GetRequiredService<HankoDevelopmentHanko>);
        log.Start();
        var sender = new ConsoleSender(local, log, services.GetRequiredService<IServer>(), services.GetRequiredService<EndpointDataSource>());
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStopped.Register(sender.Dispose);
        lifetime.ApplicationStarted.Register(() => _ = sender.AnnounceAsync(logger, pattern, lifetime.ApplicationStopping));

        var group = endpoints.MapGroup(pattern);
        new ConsoleApi(pattern, local, log, sender, logger).Map(group);
        group.ExcludeFromDescription();
        return group;
    }

    /// <summary>What is returned when nothing was mapped: conventions have nothing to apply to.</summary>
    private sealed class NothingMapped : IEndpointConventionBuilder
    {
        public static readonly NothingMapped Instance = new();

        public void Add(Action<EndpointBuilder> convention)
        {
        }
    }
}
