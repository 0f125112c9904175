using FluentAssertions;
using Hanko.Webhooks.DevConsole.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Hanko.Webhooks.DevConsole.Tests;

/// <summary>What the app says at start: which project each line is about, and where the console really is.</summary>
[NonParallelizable]
public sealed class StartLinesTests
{
    [Test]
    public async Task StartLines_OfSeveralProjects_NameTheProjectTheyAreAbout()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddFakeLogging();
        builder.Services.AddHankoWebhooks("eu").UseDevelopmentHanko();
        builder.Services.AddHankoWebhooks("us").UseDevelopmentHanko();
        await using var app = builder.Build();
        app.MapHankoWebhooks("/webhooks/hanko/eu", "eu", configure: null);
        app.MapHankoWebhooks("/webhooks/hanko/us", "us", configure: null);
        await app.StartAsync();

        var lines = app.Services.GetFakeLogCollector().GetSnapshot();
        lines.Where(l => l.Id.Id == 1).Select(l => l.Message).Should().BeEquivalentTo(
            [
                "Fetched 1 Hanko signing key(s) from https://development-hanko.localhost/.well-known/jwks.json for the Hanko project \"eu\"; next refresh in 00:10:00.",
                "Fetched 1 Hanko signing key(s) from https://development-hanko.localhost/.well-known/jwks.json for the Hanko project \"us\"; next refresh in 00:10:00.",
            ],
            "two identical lines would not say which project has its keys");
        lines.Should().ContainSingle(l => l.Id.Id == 200).Which.Message.Should().StartWith("Development Hanko: signing webhook deliveries locally for the Hanko projects \"eu\", \"us\" because");
    }

    [Test]
    public async Task StartLine_OfAConsoleBehindHttpsRedirection_SaysSo_AndWhereToOpenIt()
    {
        await using var host = await ConsoleHost.StartAsync(
            _ => { },
            b => b.Services.AddHttpsRedirection(o => o.HttpsPort = 44300),
            app => app.UseHttpsRedirection());

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!host.Logs.GetSnapshot().Any(l => l.Id.Id is 203 or 206) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var line = host.Logs.GetSnapshot().Should().ContainSingle(l => l.Id.Id == 203 || l.Id.Id == 206).Subject;
        line.Id.Id.Should().Be(206);
        line.Level.Should().Be(LogLevel.Warning);
        line.Message.Should().Contain($"{host.Client.BaseAddress}_hanko is redirected (307) to https://127.0.0.1:44300/_hanko by the app's HTTPS redirection (app.UseHttpsRedirection())");
    }

    [Test]
    public async Task StartLine_OfAConsoleReachedDirectly_IsItsAddress()
    {
        await using var host = await ConsoleHost.StartAsync(_ => { });

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!host.Logs.GetSnapshot().Any(l => l.Id.Id is 203 or 206) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        host.Logs.GetSnapshot().Should().ContainSingle(l => l.Id.Id == 203 || l.Id.Id == 206).Which.Message
            .Should().Be($"Hanko webhooks development console: {host.Client.BaseAddress}_hanko (JSON API under /_hanko/api). Development only.");
    }
}
