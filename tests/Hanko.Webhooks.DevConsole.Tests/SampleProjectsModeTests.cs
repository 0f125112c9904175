using System.Collections.Concurrent;
using System.Net;
using FluentAssertions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Hanko.Webhooks.DevConsole.Tests;

/// <summary>The sample with <c>Hanko:Webhooks:Projects</c> entries, in Development with no key source: each project on its own path, verified against the local Hanko.</summary>
[NonParallelizable]
public sealed class SampleProjectsModeTests
{
    [Test]
    public async Task Sample_WithTwoProjects_MapsEachAndNotTheUnconfiguredUnnamed_HandlersLogTheProject()
    {
        var logs = new Lines();
        await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseEnvironment("Development")
            .UseSetting("Hanko:Webhooks:Projects:eu:Audience", "localhost")
            .UseSetting("Hanko:Webhooks:Projects:us:Audience", "localhost")
            .ConfigureLogging(l => l.AddProvider(logs)));
        using var client = app.CreateClient();
        var local = app.Services.GetRequiredService<HankoDevelopmentHanko>();

        var user = Guid.NewGuid();
        using var eu = await client.PostAsync("/webhooks/hanko/eu", local.Hanko.CreateDelivery(HankoEventNames.UserCreate, o => o.EditData = d => d["id"] = user.ToString()).ToHttpContent());
        using var us = await client.PostAsync("/webhooks/hanko/us", local.Hanko.CreateDelivery(HankoEventNames.UserLogin, o => o.EditData = d => d["id"] = user.ToString()).ToHttpContent());
        using var unnamed = await client.PostAsync("/webhooks/hanko", local.Hanko.CreateDelivery(HankoEventNames.UserCreate).ToHttpContent());

        eu.StatusCode.Should().Be(HttpStatusCode.OK);
        us.StatusCode.Should().Be(HttpStatusCode.OK);
        unnamed.StatusCode.Should().Be(HttpStatusCode.NotFound, "Hanko:Webhooks itself has no key source, so the unnamed registration is not mapped");
        logs.Messages.Where(m => m.Contains(user.ToString(), StringComparison.Ordinal)).Select(m => m[..m.IndexOf(']', StringComparison.Ordinal)])
            .Should().BeEquivalentTo(new[] { "[eu/user.create", "[us/user.login" });
        app.Services.GetRequiredService<IOptionsMonitor<HankoWebhookOptions>>().Get("eu").JwksUrl.Should().Be("https://development-hanko.localhost/.well-known/jwks.json");
        var health = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        health.Entries.Keys.Should().BeEquivalentTo("hanko-webhooks-eu", "hanko-webhooks-us");
        health.Entries.Values.Should().OnlyContain(e => e.Status == HealthStatus.Healthy);
    }

    private sealed class Lines : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyList<string> Messages => [.. _messages];

        public ILogger CreateLogger(string categoryName) => new Sink(this);

        public void Dispose()
        {
        }

        private sealed class Sink(Lines owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner._messages.Enqueue(formatter(state, exception));
        }
    }
}
