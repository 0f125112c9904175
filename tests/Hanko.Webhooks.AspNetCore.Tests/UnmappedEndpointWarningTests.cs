using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>
/// Handlers with no endpoint to receive for them: Hanko's deliveries get 404 until it disables the hook. The application
/// is told once, at start, after its endpoints are mapped; a host that receives without ASP.NET Core is not.
/// </summary>
public sealed class UnmappedEndpointWarningTests
{
    private const int NoEndpointMapped = 14;

    private static async Task<IReadOnlyList<FakeLogRecord>> StartWebAppAsync(Action<IServiceCollection> register, Action<WebApplication>? map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddFakeLogging();
        register(builder.Services);
        await using var app = builder.Build();
        map?.Invoke(app);
        await app.StartAsync();
        var logs = app.Services.GetFakeLogCollector().GetSnapshot();
        await app.StopAsync();
        return logs;
    }

    private static void Options(HankoWebhookOptions o)
    {
        o.JwksUrl = "https://hanko.test/.well-known/jwks.json";
        o.FetchKeysOnStart = false;
    }

    [Test]
    public async Task KestrelApp_HandlersAndNoMapHankoWebhooks_WarnsOnceSayingWhatToCall()
    {
        var logs = await StartWebAppAsync(s => s.AddHankoWebhooks(Options).AddHandler<UserHandler>(), map: null);

        var warning = logs.Should().ContainSingle(r => r.Id.Id == NoEndpointMapped && r.Id.Name == "NoEndpointMapped").Which;
        warning.Level.Should().Be(LogLevel.Warning);
        warning.Id.Name.Should().Be("NoEndpointMapped");
        warning.Message.Should().Be(
            "Handlers are registered for the Hanko webhooks of AddHankoWebhooks(), but no Hanko webhook endpoint is mapped for it: Hanko's deliveries get 404, six in a row disable the hook, and the handlers receive nothing. Call app.MapHankoWebhooks(\"/webhooks/hanko\") after builder.Build().");
    }

    [Test]
    public async Task KestrelApp_WithTheEndpointMapped_DoesNotWarn()
    {
        var logs = await StartWebAppAsync(s => s.AddHankoWebhooks(Options).AddHandler<UserHandler>(), app => app.MapHankoWebhooks());

        logs.Should().NotContain(r => r.Id.Id == NoEndpointMapped && r.Id.Name == "NoEndpointMapped");
    }

    [Test]
    public async Task KestrelApp_NoHandlers_DoesNotWarn()
    {
        var logs = await StartWebAppAsync(s => s.AddHankoWebhooks(Options), map: null);

        logs.Should().NotContain(r => r.Id.Id == NoEndpointMapped && r.Id.Name == "NoEndpointMapped");
    }

    [Test]
    public async Task KestrelApp_TwoProjectsOneMapped_WarnsForTheOtherOnly()
    {
        var logs = await StartWebAppAsync(
            s =>
            {
                s.AddHankoWebhooks("eu", Options);
                s.AddHankoWebhooks("us", Options);
                s.AddHankoWebhooks(Options).AddHandler<UserHandler>(); // shared by every project
            },
            app => app.MapHankoWebhooks("/webhooks/hanko/eu", "eu"));

        logs.Where(r => r.Id.Id == NoEndpointMapped && r.Id.Name == "NoEndpointMapped").Select(r => r.Message).Should().BeEquivalentTo(
            "Handlers are registered for the Hanko project \"us\", but no Hanko webhook endpoint is mapped for it: Hanko's deliveries get 404, six in a row disable the hook, and the handlers receive nothing. Call app.MapHankoWebhooks(\"/webhooks/hanko/us\", \"us\") after builder.Build().",
            "Handlers are registered for the Hanko webhooks of AddHankoWebhooks(), but no Hanko webhook endpoint is mapped for it: Hanko's deliveries get 404, six in a row disable the hook, and the handlers receive nothing. Call app.MapHankoWebhooks(\"/webhooks/hanko\") after builder.Build().");
    }

    [Test]
    public async Task HostWithoutAspNetCore_Handlers_DoesNotWarn()
    {
        // An HttpListener, Functions or queue host: it calls IHankoWebhookReceiver itself and maps nothing.
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddFakeLogging();
        builder.Services.AddHankoWebhooks(Options).AddHandler<UserHandler>();
        using var host = builder.Build();

        await host.StartAsync();
        var logs = host.Services.GetFakeLogCollector().GetSnapshot();
        await host.StopAsync();

        logs.Should().NotContain(r => r.Id.Id == NoEndpointMapped && r.Id.Name == "NoEndpointMapped");
        logs.Should().Contain(r => r.Message.StartsWith("Application started", StringComparison.Ordinal), "the check runs when the application has started");
    }

    private sealed class UserHandler : IHankoEventHandler<UserEvent>
    {
        public Task HandleAsync(UserEvent @event, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
