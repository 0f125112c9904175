using System.Globalization;
using FluentAssertions;
using Hanko.Webhooks.DevConsole.Tests.TestSupport;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.DevConsole.Tests;

/// <summary>
/// The console follows a handed-off delivery through the worker: each run is an attempt of its delivery (handlers, outcome,
/// time), with what the worker did after it (retry scheduled and when, dead-lettered, done), for the in-memory queue and for
/// Redis durable processing; its JSON API returns the same.
/// </summary>
[NonParallelizable]
public sealed class HandedOffDeliveriesTests
{
    [Test]
    public async Task BackgroundProcessing_EachRunIsShownAsAnAttemptOfItsDelivery_WithItsHandlersAndOutcome()
    {
        await using var host = await ConsoleHost.StartAsync(h => h.AddHandler<CreatedHandler>().AddHandler<CrmDownHandler>().UseBackgroundProcessing());

        (await host.SendAsync(HankoEventNames.UserCreate))["status"]!.GetValue<int>().Should().Be(202);
        (await host.SendAsync(HankoEventNames.UserLogin))["status"]!.GetValue<int>().Should().Be(202);

        var list = await host.WaitForDeliveriesAsync(l => l.Count == 2 && l.All(d => d!["attempts"]!.AsArray().Count == 1));
        var login = list.Single(d => d!["event"]!.GetValue<string>() == HankoEventNames.UserLogin)!;
        var created = list.Single(d => d!["event"]!.GetValue<string>() == HankoEventNames.UserCreate)!;

        created["outcome"]!.GetValue<string>().Should().Be("accepted");
        created["processing"]!.GetValue<string>().Should().Be("handled");
        var run = created["attempts"]!.AsArray().Should().ContainSingle().Subject!;
        run["attempt"]!.GetValue<int>().Should().Be(1);
        run["outcome"]!.GetValue<string>().Should().Be("handled");
        run["workerOutcome"].Should().BeNull("the in-memory queue does not retry");
        run["handlers"]!.AsArray().Select(h => h!["name"]!.GetValue<string>()).Should().Equal(typeof(CreatedHandler).FullName);
        DateTimeOffset.Parse(run["time"]!.GetValue<string>(), CultureInfo.InvariantCulture).Should().BeOnOrAfter(DateTimeOffset.Parse(created["time"]!.GetValue<string>(), CultureInfo.InvariantCulture));

        login["processing"]!.GetValue<string>().Should().Be("handler_failed");
        var failed = login["attempts"]![0]!;
        failed["outcome"]!.GetValue<string>().Should().Be("handler_failed");
        failed["handlers"]![0]!["errorMessage"]!.GetValue<string>().Should().Be("The CRM is down.");
        login["handlers"]!.AsArray().Should().BeEmpty("no handler ran within the request");
    }

    [Test]
    public async Task DurableProcessing_ShowsEachAttempt_TheRetryScheduledWithItsTime_ThenTheDeadLetter()
    {
        using var redis = RedisServer.StartOrIgnore();
        var prefix = "console-" + Guid.NewGuid().ToString("N")[..8];
        await using var host = await ConsoleHost.StartAsync(
            h => h.AddHandler<CreatedHandler>().AddHandler<CrmDownHandler>()
                .UseRedis(o => (o.Configuration, o.KeyPrefix) = (redis.Configuration, prefix))
                .UseDurableProcessing(o =>
                {
                    o.RetryDelays = [TimeSpan.FromMilliseconds(300)]; // two attempts: the first, one retry
                }),
            b => b.Services.AddDataProtection().SetApplicationName("hanko-console-tests"));

        (await host.SendAsync(HankoEventNames.UserCreate))["status"]!.GetValue<int>().Should().Be(202);
        var sent = await host.SendAsync(HankoEventNames.UserLogin);
        sent["status"]!.GetValue<int>().Should().Be(202);
        sent["delivery"]!["processing"]!.GetValue<string>().Should().Be("waiting", "stored, not yet run");

        var list = await host.WaitForDeliveriesAsync(l => l.Count == 2 && l.All(d => d!["processing"]!.GetValue<string>() is "handled" or "dead_lettered"));
        var created = list.Single(d => d!["event"]!.GetValue<string>() == HankoEventNames.UserCreate)!;
        var login = list.Single(d => d!["event"]!.GetValue<string>() == HankoEventNames.UserLogin)!;

        created["processing"]!.GetValue<string>().Should().Be("handled");
        var done = created["attempts"]!.AsArray().Should().ContainSingle().Subject!;
        (done["attempt"]!.GetValue<int>(), done["outcome"]!.GetValue<string>(), done["workerOutcome"]!.GetValue<string>()).Should().Be((1, "handled", "handled"));
        done["handlers"]![0]!["name"]!.GetValue<string>().Should().Be(typeof(CreatedHandler).FullName);

        login["processing"]!.GetValue<string>().Should().Be("dead_lettered");
        var attempts = login["attempts"]!.AsArray();
        attempts.Select(a => a!["attempt"]!.GetValue<int>()).Should().Equal(1, 2);
        attempts.Select(a => a!["outcome"]!.GetValue<string>()).Should().Equal("handler_failed", "handler_failed");
        attempts.Select(a => a!["workerOutcome"]!.GetValue<string>()).Should().Equal("retry", "dead_lettered");
        attempts.Should().OnlyContain(a => a!["handlers"]![0]!["errorMessage"]!.GetValue<string>() == "The CRM is down.");
        var first = DateTimeOffset.Parse(attempts[0]!["time"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var due = DateTimeOffset.Parse(attempts[0]!["retryDue"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        due.Should().BeAfter(first).And.BeOnOrBefore(DateTimeOffset.Parse(attempts[1]!["time"]!.GetValue<string>(), CultureInfo.InvariantCulture).AddSeconds(1));
        attempts[1]!["retryDue"].Should().BeNull();
    }

    public sealed class CreatedHandler : IHankoEventHandler<UserCreateEvent>
    {
        public Task HandleAsync(UserCreateEvent @event, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    public sealed class CrmDownHandler : IHankoEventHandler<UserLoginEvent>
    {
        public Task HandleAsync(UserLoginEvent @event, CancellationToken cancellationToken) => throw new InvalidOperationException("The CRM is down.");
    }
}
