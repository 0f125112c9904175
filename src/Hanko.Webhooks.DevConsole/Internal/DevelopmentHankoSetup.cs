using Hanko.Webhooks.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Hanko.Webhooks.DevConsole.Internal;

/// <summary>How <c>UseDevelopmentHanko()</c> points the verifier at the local Hanko: derived in PostConfigure, after every other setting.</summary>
internal static class DevelopmentHankoSetup
{
    /// <summary>The JWKS address of the local Hanko. Never fetched over the network: the JWKS client's handler is the fake's.</summary>
    public const string LocalJwksUrl = "https://development-hanko.localhost/.well-known/jwks.json";

    public const string DefaultAudience = "localhost";

    public static bool HasRealKeySource(HankoWebhookOptions o) =>
        !string.IsNullOrEmpty(o.TenantId) || !string.IsNullOrEmpty(o.ApiUrl) || (!string.IsNullOrEmpty(o.JwksUrl) && o.JwksUrl != LocalJwksUrl);

    public static void PostConfigure(HankoWebhookOptions o, IHostEnvironment environment)
    {
        if (!environment.IsDevelopment() || HasRealKeySource(o))
        {
            return;
        }

        o.JwksUrl = LocalJwksUrl;
        if (string.IsNullOrEmpty(o.Audience))
        {
            o.Audience = DefaultAudience;
        }
    }

    /// <summary>The local Hanko, set up from the options of <paramref name="project"/> (the first project that called <c>UseDevelopmentHanko()</c>).</summary>
    public static HankoDevelopmentHanko Create(IServiceProvider services, string project)
    {
        var environment = services.GetRequiredService<IHostEnvironment>();
        var o = services.GetRequiredService<IOptionsMonitor<HankoWebhookOptions>>().Get(project);
        if (!environment.IsDevelopment())
        {
            return new(null, environment.EnvironmentName, $"the environment is {environment.EnvironmentName}, and the development Hanko only runs in Development.");
        }

        if (o.JwksUrl != LocalJwksUrl)
        {
            return new(null, environment.EnvironmentName, $"a real key source is configured ({KeySource(o)}), so deliveries are verified against that Hanko's keys, which this console does not hold. It shows what the endpoints receive.");
        }

        var hanko = new FakeHanko(new FakeHankoOptions { Audience = o.Audience ?? DefaultAudience });
        return new(hanko, environment.EnvironmentName, $"no key source (TenantId, ApiUrl, JwksUrl) is configured, so the app verifies against the key of this local Hanko (audience \"{o.Audience}\").");
    }

    /// <summary>
    /// Serves the JWKS client of <paramref name="project"/> (an options name) from the fake, in process, when that project is in
    /// local mode: pointed at the local Hanko's JWKS address, not at a real key source of its own.
    /// </summary>
    public static void UseFakeJwks(HttpMessageHandlerBuilder handlers, string project)
    {
        var local = handlers.Services.GetRequiredService<HankoDevelopmentHanko>();
        var options = handlers.Services.GetRequiredService<IOptionsMonitor<HankoWebhookOptions>>().Get(project);
        if (local.CanSign && options.JwksUrl == LocalJwksUrl)
        {
            handlers.PrimaryHandler = local.Hanko.CreateJwksHandler();
        }
    }

    /// <summary>Whether the host registered an environment that is not Development before this call (WebApplicationBuilder and HostBuilder do).</summary>
    public static bool IsKnownNonDevelopment(IServiceCollection services) =>
        services.LastOrDefault(d => d.ServiceType == typeof(IHostEnvironment))?.ImplementationInstance is IHostEnvironment environment
        && !environment.IsDevelopment();

    private static string KeySource(HankoWebhookOptions o) =>
        !string.IsNullOrEmpty(o.TenantId) ? "TenantId " + o.TenantId
        : !string.IsNullOrEmpty(o.ApiUrl) ? "ApiUrl " + o.ApiUrl
        : "JwksUrl " + o.JwksUrl;
}
