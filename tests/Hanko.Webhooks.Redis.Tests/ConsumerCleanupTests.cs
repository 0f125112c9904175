using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NUnit.Framework;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>
/// The consumer group does not grow with every start: an instance that stops cleanly deletes its consumer unless deliveries
/// are still pending for it, and a running instance deletes consumers with nothing pending that have been idle long
/// (never one with pending deliveries). On a real redis-server.
/// </summary>
[NonParallelizable]
public sealed class ConsumerCleanupTests : RedisTests
{
    private const string Group = "hanko-workers";

    [Test]
    public async Task HostStartedAndStopped_LeavesNoConsumerInTheGroup()
    {
        var prefix = "consumers-" + Guid.NewGuid().ToString("N")[..8];
        var stream = "{" + prefix + "}:stream";
        var outcomes = new Outcomes();
        var app = await DurableHost.StartAsync(Redis, new FakeHanko(), prefix, outcomes);
        await using (app)
        {
            var delivery = app.Hanko.CreateDelivery(HankoEventNames.UserCreate);
            (await app.PostAsync(delivery)).StatusCode.Should().Be(HttpStatusCode.Accepted);
            await Outcomes.WaitForAsync(() => outcomes.SuccessCount(Deliveries.IdOf(delivery)) == 1, "the delivery is processed");
            (await Db.StreamConsumerInfoAsync(stream, Group)).Should().ContainSingle("the running instance reads as a consumer of the group");
        }

        (await Db.StreamConsumerInfoAsync(stream, Group)).Should().BeEmpty("the instance deleted its consumer when it stopped");
        (await Db.StreamPendingAsync(stream, Group)).PendingMessageCount.Should().Be(0, "its delivery was acknowledged before");
    }

    [Test]
    public async Task HostStoppedWithADeliveryStillRunning_KeepsItsConsumer_AnotherInstanceTakesTheDeliveryOver_ThenDeletesIt()
    {
        var prefix = "consumers-" + Guid.NewGuid().ToString("N")[..8];
        var stream = "{" + prefix + "}:stream";
        var hanko = new FakeHanko();
        var held = new Outcomes { Decide = (_, _, cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken) };
        var first = await DurableHost.StartAsync(Redis, hanko, prefix, held, services: s => s.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(300)));
        var delivery = hanko.CreateDelivery(HankoEventNames.UserCreate);
        await using (first)
        {
            (await first.PostAsync(delivery)).StatusCode.Should().Be(HttpStatusCode.Accepted);
            await Outcomes.WaitForAsync(() => !held.Attempts.IsEmpty, "the handler runs");
        }

        var kept = (await Db.StreamConsumerInfoAsync(stream, Group)).Should().ContainSingle("its delivery was abandoned at shutdown, still pending for it").Subject;
        kept.PendingMessageCount.Should().Be(1);

        var outcomes = new Outcomes();
        await using var second = await DurableHost.StartAsync(Redis, hanko, prefix, outcomes, o => (o.IdleConsumerAge, o.ConsumerPruneInterval) = (TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(50)));
        await Outcomes.WaitForAsync(() => outcomes.SuccessCount(Deliveries.IdOf(delivery)) == 1, "the second instance takes the delivery over after the visibility timeout");
        await Outcomes.WaitForAsync(
            () => Db.StreamConsumerInfo(stream, Group).All(c => c.Name != kept.Name),
            "with nothing pending any more, the first instance's consumer is deleted once idle for IdleConsumerAge");
        await Task.Delay(1000); // twice IdleConsumerAge: the second instance's consumer, which has read nothing since, is as idle
        (await Db.StreamConsumerInfoAsync(stream, Group)).Should().ContainSingle("an instance never deletes its own consumer while it runs");
        second.Logged(350).Should().BeTrue("the deletion is logged");
    }

    [Test]
    public async Task RunningInstance_DeletesAnIdleConsumerWithNothingPending_KeepsOneWithAPendingEntry()
    {
        var prefix = "consumers-" + Guid.NewGuid().ToString("N")[..8];
        var stream = "{" + prefix + "}:stream";
        await Db.StreamCreateConsumerGroupAsync(stream, Group, "0-0", createStream: true);
        await Db.StreamAddAsync(stream, [new("e", HankoEventNames.UserLogin), new("d", "gone-instance"), new("n", "0"), new("p", "x")]);
        (await Db.StreamReadGroupAsync(stream, Group, "gone-busy", ">", count: 1)).Should().ContainSingle("a gone instance holds an entry");
        await Db.StreamAddAsync(stream, [new("e", HankoEventNames.UserLogin), new("d", "handled"), new("n", "0"), new("p", "x")]);
        var handled = (await Db.StreamReadGroupAsync(stream, Group, "gone-idle", ">", count: 1)).Should().ContainSingle().Subject;
        (await Db.StreamAcknowledgeAsync(stream, Group, handled.Id)).Should().Be(1, "another gone instance handled its entry: it holds nothing");
        await Db.StreamDeleteAsync(stream, [handled.Id]);
        (await Db.StreamConsumerInfoAsync(stream, Group)).Select(c => (c.Name, c.PendingMessageCount)).Should().BeEquivalentTo([("gone-busy", 1), ("gone-idle", 0)]);

        await using var app = await DurableHost.StartAsync(
            Redis,
            new FakeHanko(),
            prefix,
            new Outcomes(),
            o => (o.VisibilityTimeout, o.IdleConsumerAge, o.ConsumerPruneInterval) = (TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(50))); // no take-over of gone-busy's entry here

        await Outcomes.WaitForAsync(() => Db.StreamConsumerInfo(stream, Group).All(c => c.Name != "gone-idle"), "the idle consumer with nothing pending is deleted", seconds: 10);
        (await Db.StreamConsumerInfoAsync(stream, Group)).Should().ContainSingle(c => c.Name == "gone-busy", "a consumer with a pending entry is never deleted, however long idle")
            .Which.PendingMessageCount.Should().Be(1);
        app.Logged(350).Should().BeTrue("the deletion is logged");
    }

    [Test]
    public void IdleConsumerAge_IsTenVisibilityTimeouts_AtLeastTenMinutes()
    {
        new HankoDurableProcessingOptions().IdleConsumerAge.Should().Be(TimeSpan.FromMinutes(10), "1 minute's ten times is below the floor");
        new HankoDurableProcessingOptions { VisibilityTimeout = TimeSpan.FromMinutes(3) }.IdleConsumerAge.Should().Be(TimeSpan.FromMinutes(30));
        new HankoDurableProcessingOptions { VisibilityTimeout = TimeSpan.MaxValue }.IdleConsumerAge.Should().Be(TimeSpan.MaxValue, "never earlier than the visibility timeout");
    }
}
