using System.Net;
using FluentAssertions;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>A named project's queued deliveries log in its scope once: the handler's lines and the worker's own.</summary>
public sealed class BackgroundProjectScopeTests
{
    [Test]
    public async Task QueuedDeliveryOfANamedProject_HandlerAndWorkerLines_CarryTheProjectOnce()
    {
        await using var app = await TestApp.StartAsync(
            map: a => a.MapHankoWebhooks("/eu", "eu"),
            configure: b => b.Services.AddHankoWebhooks("eu", o => (o.JwksUrl, o.Audience) = ("https://hanko.test/.well-known/jwks.json", "localhost"))
                .AddHandler<LoggingHandler>().UseBackgroundProcessing());

        using var response = await app.PostAsync(app.Hanko.CreateDelivery(HankoEventNames.UserCreate), "/eu");

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        await WaitForAsync(() => app.Logs.GetSnapshot().Any(r => r.Id.Id == 111), "the worker logs the failed handler");
        var handlerLine = app.Logs.GetSnapshot().Single(r => r.Message == "handling user.create");
        var workerLine = app.Logs.GetSnapshot().Single(r => r.Id.Id == 111);
        ProjectsOf(handlerLine).Should().Equal(["eu"], "the receiver's scope, once");
        ProjectsOf(workerLine).Should().Equal(["eu"], "the worker's own line is in the project's scope too, once");
    }

    private static List<string?> ProjectsOf(FakeLogRecord record) =>
        [.. record.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>().SelectMany(s => s).Where(kv => kv.Key == "HankoProject").Select(kv => kv.Value as string)];

    private static async Task WaitForAsync(Func<bool> condition, string because)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, because);
            await Task.Delay(20);
        }
    }

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
