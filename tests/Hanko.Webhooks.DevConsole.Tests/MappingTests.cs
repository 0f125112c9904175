using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Hanko.Webhooks.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Hanko.Webhooks.DevConsole.Tests;

/// <summary>Where the console is mapped, and what it does when it may not sign.</summary>
[NonParallelizable]
public sealed class MappingTests
{
    [Test]
    public async Task MapHankoWebhooksDevConsole_InProduction_MapsNothingAnd404s_AndLogsWhy()
    {
        var logs = new LogSink();
        await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseEnvironment("Production")
            .UseSetting("Hanko:Webhooks:JwksUrl", "https://hanko.example/.well-known/jwks.json")
            .UseSetting("Hanko:Webhooks:Audience", "example.com")
            .UseSetting("Hanko:Webhooks:FetchKeysOnStart", "false")
            .ConfigureLogging(l => l.AddProvider(logs)));
        using var client = app.CreateClient();

        (await client.GetAsync("/_hanko")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync("/_hanko/api/events")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.PostAsJsonAsync("/_hanko/api/send", new { @event = "user.create" })).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText).ToList();
        routes.Should().Contain("/webhooks/hanko").And.NotContain(r => r!.StartsWith("/_hanko", StringComparison.Ordinal));

        var local = app.Services.GetRequiredService<HankoDevelopmentHanko>();
        local.CanSign.Should().BeFalse();
        local.Invoking(l => l.Hanko).Should().Throw<InvalidOperationException>().WithMessage("*environment is Production*");
        app.Services.GetRequiredService<IOptions<HankoWebhookOptions>>().Value.JwksUrl.Should().Be("https://hanko.example/.well-known/jwks.json", "the verifier is left alone");
        logs.Messages.Should().Contain(m => m.Id == 202 && m.Text.Contains("/_hanko", StringComparison.Ordinal) && m.Text.Contains("environment is Production", StringComparison.Ordinal));
    }

    [Test]
    public async Task MapHankoWebhooksDevConsole_InDevelopmentWithoutOptIn_MapsNothing()
    {
        var logs = new LogSink();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddHankoWebhooks(o => { o.JwksUrl = "https://hanko.example/.well-known/jwks.json"; o.Audience = "example.com"; o.FetchKeysOnStart = false; });
        await using var app = builder.Build();
        app.MapHankoWebhooks();
        app.MapHankoWebhooksDevConsole();
        await app.StartAsync();

        (await app.GetTestClient().GetAsync("/_hanko")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        logs.Messages.Should().Contain(m => m.Id == 202 && m.Text.Contains("UseDevelopmentHanko()", StringComparison.Ordinal));
    }

    [Test]
    public async Task Console_WithARealKeySource_ShowsDeliveriesButCannotSign()
    {
        using var realHanko = new FakeHanko(new FakeHankoOptions { Audience = "example.com" }); // stands in for the Hanko the app is configured for
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddHankoWebhooks(o => { o.JwksUrl = "https://hanko.example/.well-known/jwks.json"; o.Audience = "example.com"; })
            .UseDevelopmentHanko()
            .AddHandler<FailingHandler>();
        builder.Services.AddHttpClient(HankoWebhookOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(realHanko.CreateJwksHandler);
        await using var app = builder.Build();
        app.MapHankoWebhooks();
        app.MapHankoWebhooksDevConsole();
        await app.StartAsync();
        using var client = app.GetTestClient();

        var status = JsonNode.Parse(await client.GetStringAsync("/_hanko/api/status"))!;
        status["canSign"]!.GetValue<bool>().Should().BeFalse();
        status["mode"]!.GetValue<string>().Should().Be("view-only");
        status["reason"]!.GetValue<string>().Should().Contain("JwksUrl https://hanko.example/.well-known/jwks.json");
        var page = await client.GetStringAsync("/_hanko");
        page.Should().Contain("Sending is off");

        var send = await client.PostAsJsonAsync("/_hanko/api/send", new { @event = "user.create" });
        send.StatusCode.Should().Be(HttpStatusCode.Conflict);
        JsonNode.Parse(await send.Content.ReadAsStringAsync())!["title"]!.GetValue<string>().Should().Be("CannotSign");

        // A delivery from the real Hanko still shows up, with the handler's exception (type and message, development only).
        var delivery = realHanko.CreateDelivery("user.login");
        (await client.PostAsync("/webhooks/hanko", delivery.ToHttpContent())).StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        (await client.PostAsync("/webhooks/hanko", realHanko.CreateExpiredDelivery().ToHttpContent())).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var list = JsonNode.Parse(await client.GetStringAsync("/_hanko/api/deliveries"))!["deliveries"]!.AsArray();
        list.Should().HaveCount(2);
        var expired = list[0]!;
        expired["outcome"]!.GetValue<string>().Should().Be("refused");
        expired["status"]!.GetValue<int>().Should().Be(401);
        expired["failure"]!.GetValue<string>().Should().Be("Expired");
        var login = list[1]!;
        login["event"]!.GetValue<string>().Should().Be("user.login");
        login["outcome"]!.GetValue<string>().Should().Be("handler_failed");
        login["status"]!.GetValue<int>().Should().Be(500);
        login["path"]!.GetValue<string>().Should().Be("/webhooks/hanko");
        login["deliveryId"]!.GetValue<string>().Should().MatchRegex("^[0-9a-f]{64}$");
        login["hasPayload"]!.GetValue<bool>().Should().BeFalse("spans never carry a payload, and the console did not send this one");
        var handler = login["handlers"]!.AsArray().Should().ContainSingle().Subject!;
        handler["name"]!.GetValue<string>().Should().Be(typeof(FailingHandler).FullName);
        handler["outcome"]!.GetValue<string>().Should().Be("failure");
        handler["errorType"]!.GetValue<string>().Should().Be("System.InvalidOperationException");
        handler["errorMessage"]!.GetValue<string>().Should().Be("The CRM is down.");
        handler["durationMs"]!.GetValue<double>().Should().BeGreaterThanOrEqualTo(0);
    }

    [Test]
    public async Task Console_BackgroundProcessing_ShowsTheDeliveryAccepted_WithTheHandlerRunOfItsOwnDelivery()
    {
        using var realHanko = new FakeHanko(new FakeHankoOptions { Audience = "example.com" });
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddHankoWebhooks(o => { o.JwksUrl = "https://hanko.example/.well-known/jwks.json"; o.Audience = "example.com"; })
            .UseDevelopmentHanko()
            .AddHandler<FailingHandler>()
            .UseBackgroundProcessing();
        builder.Services.AddHttpClient(HankoWebhookOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(realHanko.CreateJwksHandler);
        await using var app = builder.Build();
        app.MapHankoWebhooks();
        app.MapHankoWebhooksDevConsole();
        await app.StartAsync();
        using var client = app.GetTestClient();

        var first = realHanko.CreateDelivery("user.login");
        var second = realHanko.CreateDelivery("user.login", o => o.EditData = d => d["id"] = Guid.NewGuid().ToString());
        (await client.PostAsync("/webhooks/hanko", first.ToHttpContent())).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await client.PostAsync("/webhooks/hanko", second.ToHttpContent())).StatusCode.Should().Be(HttpStatusCode.Accepted);

        JsonArray list = [];
        for (var waited = 0; waited < 10_000; waited += 50)
        {
            list = JsonNode.Parse(await client.GetStringAsync("/_hanko/api/deliveries"))!["deliveries"]!.AsArray();
            if (list.Count == 2 && list.All(d => d!["attempts"]!.AsArray().Count == 1))
            {
                break;
            }

            await Task.Delay(50);
        }

        list.Should().HaveCount(2);
        list.Select(d => d!["outcome"]!.GetValue<string>()).Should().Equal("accepted", "accepted");
        list.Select(d => d!["status"]!.GetValue<int>()).Should().Equal(202, 202);
        list.Should().OnlyContain(d => d!["attempts"]!.AsArray().Count == 1, "each run is shown with its own delivery, not both with one");
        list.Should().OnlyContain(d => d!["attempts"]![0]!["handlers"]![0]!["errorMessage"]!.GetValue<string>() == "The CRM is down.");
    }

    [TestCase(null)]
    [TestCase("eu")]
    public async Task MapHankoWebhooksDevConsole_WithBrokenOptions_MapsWithoutThrowing_AndTheHostsStartFailsWithTheMessage(string? project)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        Action<HankoWebhookOptions> broken = o => (o.TenantId, o.ApiUrl) = ("tenant-1", "https://auth.example.com");
        var hanko = project is null ? builder.Services.AddHankoWebhooks(broken) : builder.Services.AddHankoWebhooks(project, broken);
        hanko.UseDevelopmentHanko();
        await using var app = builder.Build();
        app.MapHankoWebhooks("/webhooks/hanko", project, configure: null);

        var map = () => app.MapHankoWebhooksDevConsole();
        map.Should().NotThrow("mapping reads no options; they are validated when the host starts");
        var start = () => app.StartAsync();

        var section = project is null ? "Hanko:Webhooks" : "Hanko:Webhooks:Projects:eu";
        (await start.Should().ThrowAsync<OptionsValidationException>())
            .Which.Message.Should().Contain($"Set only one of {section}:TenantId, ApiUrl and JwksUrl; found TenantId and ApiUrl.");
    }

    public sealed class FailingHandler : IHankoEventHandler<UserLoginEvent>
    {
        public Task HandleAsync(UserLoginEvent @event, CancellationToken cancellationToken) => throw new InvalidOperationException("The CRM is down.");
    }

    private sealed class LogSink : ILoggerProvider
    {
        private readonly List<(int Id, string Text)> _messages = [];

        public IReadOnlyList<(int Id, string Text)> Messages
        {
            get
            {
                lock (_messages)
                {
                    return [.. _messages];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new Sink(this);

        public void Dispose()
        {
        }

        private sealed class Sink(LogSink owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner._messages)
                {
                    owner._messages.Add((eventId.Id, formatter(state, exception)));
                }
            }
        }
    }
}
