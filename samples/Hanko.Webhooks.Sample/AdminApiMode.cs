using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Hanko.Webhooks.Sample;

/// <summary>
/// Admin API mode (<c>--Sample:AdminApi=&lt;admin base url&gt;</c>): ensures the sample's hook at
/// <c>--Sample:CallbackUrl</c> from its handlers when it starts, watches it every <c>--Sample:WatchSeconds</c>
/// (default 60), re-enables it when <c>--Sample:Reenable=true</c>, and serves the health checks at <c>/healthz</c> as JSON.
/// <c>--Sample:AdminApiKey</c> is the Hanko Cloud API key (none for a self-hosted admin server).
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
        return true;
    }

    /// <summary>Serves <c>/healthz</c>: the overall status and each entry's status, description and data (the package's JSON writer).</summary>
    public static void Map(WebApplication app) => app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HankoWebhooksHealthChecks.WriteJsonResponse });
}
