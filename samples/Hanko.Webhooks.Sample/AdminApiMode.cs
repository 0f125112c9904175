using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Hanko.Webhooks.Sample;

/// <summary>
/// Admin API mode (<c>--Sample:AdminApi=&lt;admin base url&gt;</c>): ensures the sample's hook at
/// <c>--Sample:CallbackUrl</c> from its handlers when it starts, watches it every <c>--Sample:WatchSeconds</c>
/// (default 60), re-enables it when <c>--Sample:Reenable=true</c>, and serves the health checks at <c>/healthz</c> as JSON.
/// <c>--Sample:AdminApiKey</c> is the Hanko Cloud API key (none for a self-hosted admin server). With
/// <c>--Sample:CatchUp=true</c> it also catches up, once it has started, the last <c>--Sample:CatchUpMinutes</c> (default 60)
/// from Hanko's audit log, and logs each user handed over (<see cref="Handlers.CatchUpLog"/>); with <c>--Sample:Redis</c> as well,
/// the SDK instead catches up at each start what came while the sample was not running (docs/catch-up.md, "Across restarts").
/// </summary>
internal static class AdminApiMode
{
    /// <summary>Adds subscription management when <c>Sample:AdminApi</c> is set; returns whether it did.</summary>
    public static bool Configure(WebApplicationBuilder builder)
    {
        var sample = builder.Configuration.GetSection("Sample");
        if (string.IsNullOrEmpty(sample["AdminApi"]))
        {
            return false;
        }

        var callback = sample["CallbackUrl"]
            ?? throw new InvalidOperationException("Admin API mode needs --Sample:CallbackUrl=<the public URL Hanko delivers to, ending in /webhooks/hanko>.");
        builder.Services.AddHealthChecks();
        builder.Services.AddHankoWebhooks()
            .AddHealthCheck()
            .AddSubscriptions(o =>
            {
                o.AdminApiUrl = sample["AdminApi"];
                o.ApiKey = sample["AdminApiKey"];
                o.CallbackUrl = callback;
                o.EnsureOnStart = true;
                o.WatchInterval = TimeSpan.FromSeconds(sample.GetValue("WatchSeconds", 60));
                o.AutoReenable = sample.GetValue("Reenable", false);
            })
            .AddSubscriptionHealthCheck();
        if (sample.GetValue("CatchUp", false))
        {
            builder.Services.AddHankoWebhooks().AddHandler<Handlers.CatchUpLog>(); // IHankoEventHandler<UserCatchUpEvent>
        }

        return true;
    }

    /// <summary>Serves <c>/healthz</c>: the overall status and each entry's status, description and data (the package's JSON writer); starts the catch-up when asked.</summary>
    public static void Map(WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HankoWebhooksHealthChecks.WriteJsonResponse });
        var sample = app.Configuration.GetSection("Sample");
        // With --Sample:Redis the SDK catches up the time no instance ran at each start; without it, the last hour once.
        if (sample.GetValue("CatchUp", false) && string.IsNullOrEmpty(sample["Redis"]))
        {
            var minutes = sample.GetValue("CatchUpMinutes", 60);
            app.Lifetime.ApplicationStarted.Register(() => _ = CatchUpAsync(app, TimeSpan.FromMinutes(minutes)));
        }
    }

    /// <summary>Catches up the last <paramref name="window"/> once; the catch-up logs the window, the users found and handed over.</summary>
    private static async Task CatchUpAsync(WebApplication app, TimeSpan window)
    {
        var to = DateTimeOffset.UtcNow;
        try
        {
            await app.Services.GetRequiredService<IHankoCatchUp>().RunAsync(to - window, to, app.Lifetime.ApplicationStopping);
        }
        catch (Exception ex) when (ex is HankoAdminApiException or OperationCanceledException)
        {
            app.Logger.LogWarning("The catch-up did not finish: {Reason}", ex.Message);
        }
    }
}
