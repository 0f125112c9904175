using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NUnit.Framework;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>A named project's durable deliveries log in its scope once: the handler's lines (the receiver's scope) and the worker's own.</summary>
[NonParallelizable]
public sealed class DurableProjectScopeTests : RedisTests
{
    [Test]
    public async Task DurableDeliveryOfANamedProject_HandlerAndWorkerLines_CarryTheProjectOnce()
    {
        var prefix = "scope-" + Guid.NewGuid().ToString("N")[..8];
        await using var app = await TestApp.StartAsync(
            map: a => a.MapHankoWebhooks("/eu", "eu"),
            configure: b =>
            {
                b.Services.AddDataProtection().SetApplicationName("hanko-tests").PersistKeysToStackExchangeRedis(Client, prefix + ":dp-keys");
                b.Services.AddHankoWebhooks("eu", o => (o.JwksUrl, o.Audience) = ("https://hanko.test/.well-known/jwks.json", "localhost"))
                    .AddHandler<LoggingHandler>()
                    .UseRedis(o => (o.Configuration, o.KeyPrefix) = (Redis.Configuration, prefix))
                    .UseDurableProcessing(o =>
                    {
                        o.RetryDelays = [TimeSpan.FromMinutes(5)]; // the failure is logged as a scheduled retry (302)
                        o.PollInterval = TimeSpan.FromMilliseconds(20);
                    });
            });

        using var response = await app.PostAsync(app.Hanko.CreateDelivery(HankoEventNames.UserCreate), "/eu");

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        await Outcomes.WaitForAsync(() => app.Logged(302), "the worker logs the failed run (retry scheduled)", seconds: 10);
        var logs = app.Logs.GetSnapshot();
        ProjectsOf(logs.Single(r => r.Message == "handling user.create")).Should().Equal(["eu"], "the receiver's scope, once");
        ProjectsOf(logs.Single(r => r.Id.Id == 302)).Should().Equal(["eu"], "the worker's failure line is in the project's scope, once");
        ProjectsOf(logs.Single(r => r.Id.Id == 308)).Should().Equal(["eu"], "the worker's start line too");
    }

    private static List<string?> ProjectsOf(FakeLogRecord record) =>
        [.. record.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>().SelectMany(s => s).Where(kv => kv.Key == "HankoProject").Select(kv => kv.Value as string)];

    private sealed class LoggingHandler(ILogger<LoggingHandler> logger) : IHankoEventHandler<UserCreateEvent>
    {
        public Task HandleAsync(UserCreateEvent @event, CancellationToken cancellationToken)
        {
#pragma warning disable CA1848, CA2254 // a test's plain log line
            logger.LogInformation("handling " + @event.Name);
#pragma warning restore CA1848, CA2254
            throw new InvalidOperationException("fails, so that the worker logs too");
        }
    }
}
