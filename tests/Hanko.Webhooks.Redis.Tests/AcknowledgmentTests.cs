using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>
/// Batched acknowledgments: many handled entries settled by one script call, only those whose handlers succeeded; a slot
/// does not wait for its entry's acknowledgment; an acknowledgment that cannot reach Redis is retried, and one given up at
/// shutdown means a second run elsewhere, never a loss. Each test has its own redis-server,
/// which it kills with SIGKILL right after a handler succeeded (the handler first waits for the AOF's once-a-second fsync).
/// </summary>
[NonParallelizable]
public sealed class AcknowledgmentTests
{
    [Test]
    public async Task SixteenHandlersSucceedingTogether_AcknowledgedInFewerScriptCallsThanEntries_EachRunOnce_StreamEmptied()
    {
        using var redis = RedisServer.StartOrIgnore();
        using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outcomes = new Outcomes { Decide = (_, _, _) => release.Task };
        var hanko = new FakeHanko();
        await using var app = await DurableHost.StartAsync(redis, hanko, "batch", outcomes, o => o.Concurrency = 16);
        var deliveries = Deliveries.Distinct(hanko, 16);
        foreach (var delivery in deliveries)
        {
            (await app.PostAsync(delivery)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        }

        await Outcomes.WaitForAsync(() => outcomes.Attempts.Count == 16, "all 16 handlers run at once");
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        await server.ConfigResetStatisticsAsync();
        release.SetResult(); // all 16 succeed together

        var db = admin.GetDatabase();
        await Outcomes.WaitForAsync(() => db.StreamLength("{batch}:stream") == 0 && db.StreamPending("{batch}:stream", "hanko-workers").PendingMessageCount == 0, "every entry acknowledged and deleted");
        var xackCalls = XackCalls(await server.InfoRawAsync("commandstats") ?? string.Empty);
        TestContext.Out.WriteLine($"16 entries acknowledged with {xackCalls} XACK call(s)");
        xackCalls.Should().BeInRange(1, 15, "entries handled while a flush runs go together in the next one");
        deliveries.Select(d => outcomes.SuccessCount(Deliveries.IdOf(d))).Should().OnlyContain(n => n == 1);
        outcomes.Attempts.Should().HaveCount(16, "nothing runs again");
    }

    [Test]
    public async Task OneEntryOfABatchFails_OnlyTheOthersAreAcknowledged_ItRunsAgainAlone()
    {
        using var redis = RedisServer.StartOrIgnore();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hanko = new FakeHanko();
        var deliveries = Deliveries.Distinct(hanko, 8);
        var failing = Deliveries.IdOf(deliveries[3]);
        var outcomes = new Outcomes
        {
            Decide = async (_, context, _) =>
            {
                await release.Task;
                if (context.DeliveryId == failing && context.Attempt == 1)
                {
                    throw new InvalidOperationException("the one failure of the batch");
                }
            },
        };
        await using var app = await DurableHost.StartAsync(redis, hanko, "batch-fail", outcomes, o => o.Concurrency = 8);
        foreach (var delivery in deliveries)
        {
            (await app.PostAsync(delivery)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        }

        await Outcomes.WaitForAsync(() => outcomes.Attempts.Count == 8, "all 8 handlers run at once");
        release.SetResult(); // 7 succeed together, one fails

        using var client = redis.Connect();
        var db = client.GetDatabase();
        await Outcomes.WaitForAsync(() => outcomes.SuccessCount(failing) == 1 && db.StreamLength("{batch-fail}:stream") == 0 && db.StreamPending("{batch-fail}:stream", "hanko-workers").PendingMessageCount == 0, "the failed one retried and everything acknowledged");
        outcomes.Attempts.Where(a => a.DeliveryId == failing).Select(a => a.Attempt).Should().Equal([1, 2], "the failed run was not acknowledged with the batch: it ran again");
        deliveries.Where(d => Deliveries.IdOf(d) != failing).Select(d => outcomes.Attempts.Count(a => a.DeliveryId == Deliveries.IdOf(d))).Should().OnlyContain(n => n == 1, "the others were acknowledged once, not again");
    }

    [Test]
    public async Task RedisRefusesAcknowledgments_TheSlotIsFreeForTheNextDelivery_BothAcknowledgedOnceRedisTakesThem_EachRunOnce()
    {
        using var redis = RedisServer.StartOrIgnore();
        using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        var outcomes = new Outcomes();
        var hanko = new FakeHanko();

        // One slot, and a long visibility timeout: nothing is taken over while the acknowledgments wait.
        await using var app = await DurableHost.StartAsync(redis, hanko, "ack-async", outcomes, o => (o.Concurrency, o.VisibilityTimeout) = (1, TimeSpan.FromMinutes(1)));
        // The acknowledgments fail; reads still work. XDEL is refused too: it is pipelined with the XACK, not conditional on it
        // (deleting a handled entry is harmless, and Redis 7's XAUTOCLAIM then drops its pending entry: it is settled either way).
        await server.ExecuteAsync("ACL", "SETUSER", "default", "-xack", "-xdel");
        var (first, second) = (hanko.CreateDelivery(HankoEventNames.UserLogin), hanko.CreateDelivery(HankoEventNames.UserCreate));
        (await app.PostAsync(first)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await Outcomes.WaitForAsync(() => outcomes.SuccessCount(Deliveries.IdOf(first)) == 1, "the first delivery is handled");
        (await app.PostAsync(second)).StatusCode.Should().Be(HttpStatusCode.Accepted);

        await Outcomes.WaitForAsync(() => outcomes.SuccessCount(Deliveries.IdOf(second)) == 1, "the one slot does not wait for the first delivery's acknowledgment", seconds: 10);
        var db = admin.GetDatabase();
        (await db.StreamPendingAsync("{ack-async}:stream", "hanko-workers")).PendingMessageCount.Should().Be(2, "neither is acknowledged while Redis refuses");

        await server.ExecuteAsync("ACL", "SETUSER", "default", "+xack", "+xdel");
        await Outcomes.WaitForAsync(() => db.StreamLength("{ack-async}:stream") == 0 && db.StreamPending("{ack-async}:stream", "hanko-workers").PendingMessageCount == 0, "both acknowledged once Redis takes them (retried with backoff)");
        app.Logs.GetSnapshot().Should().Contain(r => r.Id.Id == 305, "the refused flush is logged");
        outcomes.Attempts.Should().Equal((Deliveries.IdOf(first), 1), (Deliveries.IdOf(second), 1));
    }

    [Test]
    public async Task RedisDownRightAfterTheHandlerSucceeded_AcknowledgmentRetriedUntilRedisIsBack_NotRunAgain()
    {
        using var redis = RedisServer.StartOrIgnore();
        var hanko = new FakeHanko();
        var outcomes = new Outcomes { Decide = (_, _, _) => SucceedThenKill(redis) };

        // A long visibility timeout: nothing may take the entry over while its acknowledgment waits.
        await using var app = await DurableHost.StartAsync(redis, hanko, "ack-retry", outcomes, o => o.VisibilityTimeout = TimeSpan.FromMinutes(1));
        var delivery = hanko.CreateDelivery(HankoEventNames.UserLogin);
        var id = Deliveries.IdOf(delivery);
        (await app.PostAsync(delivery)).StatusCode.Should().Be(HttpStatusCode.Accepted);

        await Outcomes.WaitForAsync(() => outcomes.SuccessCount(id) == 1, "the handler succeeds, then Redis is killed");
        await Task.Delay(3000); // longer than the client's 2 s timeout: the first flush fails
        redis.Start();

        using var client = redis.Connect();
        var db = client.GetDatabase();
        await Outcomes.WaitForAsync(() => db.StreamLength("{ack-retry}:stream") == 0 && db.StreamPending("{ack-retry}:stream", "hanko-workers").PendingMessageCount == 0, "the retried acknowledgment lands once Redis is back");
        // The acknowledgment goes with the worker's next read: it fails with it ("acknowledging 1 handled deliveries"), or it
        // waits behind a read already sent to the dead server, which fails (XREADGROUP), and lands with the read after it
        // when Redis is back by then. Either way the outage is logged and the delivery is acknowledged once, not run again.
        app.Logs.GetSnapshot().Should().Contain(r => r.Id.Id == 305, "the failure is logged");
        outcomes.Attempts.Should().Equal((id, 1));
    }

    [Test]
    public async Task HostStopsWhileTheAcknowledgmentCannotReachRedis_GivenUpAndLogged_TheDeliveryRunsAgainElsewhere_NotLost()
    {
        using var redis = RedisServer.StartOrIgnore();
        var hanko = new FakeHanko();
        var first = new Outcomes { Decide = (_, _, _) => SucceedThenKill(redis) };
        var a = await DurableHost.StartAsync(redis, hanko, "ack-lost", first, services: s => s.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(500)));
        var delivery = hanko.CreateDelivery(HankoEventNames.UserLogin);
        var id = Deliveries.IdOf(delivery);
        (await a.PostAsync(delivery)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await Outcomes.WaitForAsync(() => first.SuccessCount(id) == 1, "the handler succeeds on a, then Redis is killed");

        var logs = a.Logs;
        await a.DisposeAsync(); // stops with the acknowledgment unsent: like a crash between the handler and the flush
        logs.GetSnapshot().Should().Contain(r => r.Id.Id == 312, "the acknowledgment given up at shutdown is logged");

        redis.Start();
        var second = new Outcomes();
        await using var b = await DurableHost.StartAsync(redis, hanko, "ack-lost", second);
        await Outcomes.WaitForAsync(() => second.SuccessCount(id) == 1, "b takes the unacknowledged entry over after the visibility timeout");
        second.Attempts.Should().Equal([(id, 2)], "a second run of a handled delivery (the handler sees attempt 2), not a loss");
        using var client = redis.Connect();
        await Outcomes.WaitForAsync(() => client.GetDatabase().StreamLength("{ack-lost}:stream") == 0, "b acknowledges it");
    }

    /// <summary>Waits past the AOF's once-a-second fsync (the entry and its pending state are on disk), kills Redis, succeeds.</summary>
    private static async Task SucceedThenKill(RedisServer redis)
    {
        await Task.Delay(1200);
        redis.Kill();
    }

    private static long XackCalls(string commandStats)
    {
        var line = commandStats.Split('\n').Single(l => l.StartsWith("cmdstat_xack:", StringComparison.Ordinal));
        var calls = line.Split(':')[1].Split(',')[0];
        return long.Parse(calls["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
