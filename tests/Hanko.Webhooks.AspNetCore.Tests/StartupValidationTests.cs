using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>
/// docs/configuration.md: options are "validated when the host starts, with messages that say what to set". Mapping the endpoint reads no
/// options, so a configuration mistake fails the host's start (with the validator's message), not <c>MapHankoWebhooks</c>.
/// </summary>
public sealed class StartupValidationTests
{
    [TestCase(null, null, "No Hanko key source is configured. Set Hanko:Webhooks:TenantId (Hanko Cloud project id)*")]
    [TestCase("tenant-1", "https://auth.example.com", "Set only one of Hanko:Webhooks:TenantId, ApiUrl and JwksUrl; found TenantId and ApiUrl.")]
    public async Task BadOptions_MapHankoWebhooksSucceeds_TheHostsStartFailsWithTheMessageThatSaysWhatToSet(string? tenantId, string? apiUrl, string message)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddFakeLogging();
        builder.Services.AddHankoWebhooks(o =>
        {
            o.TenantId = tenantId;
            o.ApiUrl = apiUrl;
        });
        await using var app = builder.Build();

        var map = () => app.MapHankoWebhooks();
        map.Should().NotThrow("mapping reads no options");
        var start = () => app.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).WithMessage(message);
        app.Services.GetFakeLogCollector().GetSnapshot().Should().Contain(r => r.Category == "Microsoft.Extensions.Hosting.Internal.Host" && r.Level == LogLevel.Error,
            "the host logs 'Hosting failed to start' with the same message");
    }

    [TestCase("Development", null, "No Hanko key source is configured. Set Hanko:Webhooks:TenantId (Hanko Cloud project id), Hanko:Webhooks:ApiUrl (your Hanko public API URL) or Hanko:Webhooks:JwksUrl.; "
        + "To try webhooks without a Hanko first, add the Hanko.Webhooks.DevConsole package and call builder.Services.AddHankoWebhooks().UseDevelopmentHanko(): in Development a local Hanko then signs the deliveries.")]
    [TestCase("Development", "eu", "*Hanko project \"eu\": To try webhooks without a Hanko first, add the Hanko.Webhooks.DevConsole package and call builder.Services.AddHankoWebhooks(\"eu\").UseDevelopmentHanko(): in Development a local Hanko then signs the deliveries.")]
    [TestCase("Production", null, "No Hanko key source is configured. Set Hanko:Webhooks:TenantId (Hanko Cloud project id), Hanko:Webhooks:ApiUrl (your Hanko public API URL) or Hanko:Webhooks:JwksUrl.")]
    [TestCase("Staging", "eu", "Hanko project \"eu\": No Hanko key source is configured. Set Hanko:Webhooks:Projects:eu:TenantId (Hanko Cloud project id), Hanko:Webhooks:Projects:eu:ApiUrl (your Hanko public API URL) or Hanko:Webhooks:Projects:eu:JwksUrl.")]
    public async Task NoKeySource_TheHostsStartFails_InDevelopmentEndingWithHowToTryWithoutHanko(string environment, string? project, string message)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        _ = project is null ? builder.Services.AddHankoWebhooks() : builder.Services.AddHankoWebhooks(project);
        await using var app = builder.Build();
        app.MapHankoWebhooks("/webhooks/hanko", project, configure: null);

        var start = () => app.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).WithMessage(message);
    }

    [Test]
    public void AddHankoWebhooksNotCalled_MapHankoWebhooks_StillThrowsAtMappingTime()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        using var app = builder.Build();

        var map = () => app.MapHankoWebhooks();

        map.Should().Throw<InvalidOperationException>().WithMessage("MapHankoWebhooks needs the Hanko webhook services. Call services.AddHankoWebhooks()*");
    }
}
