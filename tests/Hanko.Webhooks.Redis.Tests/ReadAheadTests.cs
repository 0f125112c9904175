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
/// Read-ahead: with fast handlers a worker holds more entries than it runs (up to 8 × <c>Concurrency</c>), so a runner that
/// finishes does not wait for a read; with slow handlers it holds no more than it runs, and other instances take the rest;
/// the entries read ahead are renewed like running ones; at shutdown those not started go back to the stream at once.
/// Each test has its own redis-server.
/// </summary>
[NonParallelizable]
public sealed class ReadAheadTests
{
    [Test]
    public async Task FastHandlers_WorkerHoldsMoreThanItRuns_AtMostEightTimesConcurrency_EachDeliveryRunsOnce()
    {
        using var redis = RedisServer.StartOrIgnore();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gated = false;
        var outcomes = new Outcomes { Decide = (_, _, _) => Volatile.Read(ref gated) ? gate.Task : Task.CompletedTask };
        var hanko = new FakeHanko();
        await using var app = await DurableHost.StartAsync(redis, hanko, "ahead", outcomes, o => (o.Concurrency, o.VisibilityTimeout) = (2, TimeSpan.FromMinutes(1)));
        using var client = redis.Connect();
        var db = client.GetDatabase();

        var fast = Deliveries.Distinct(hanko, 40);
        await PostAllAsync(app, fast);
        await Outcomes.WaitForAsync(() => fast.All(d => outcomes.SuccessCount(Deliveries.IdOf(d)) == 1) && Pending(db, "ahead") == 0, "40 fast deliveries handled and acknowledged: the pace is known");

        Volatile.Write(ref gated, true); // from now on every handler waits
        var held = Deliveries.Distinct(hanko, 40);
        await PostAllAsync(app, held);
        await Outcomes.WaitForAsync(() => outcomes.Attempts.Count == 42 && Pending(db, "ahead") > 2, "two running and more read ahead");
        await Task.Delay(500); // let the reader fill what it may
        var pending = Pending(db, "ahead");
        TestContext.Out.WriteLine($"in hand with 2 runners: {pending}");
        pending.Should().BeInRange(3, 16, "the worker reads ahead of its 2 runners, never more than 8 × Concurrency in hand");
        outcomes.Attempts.Should().HaveCount(42, "only the 2 runners run handlers");
        db.StreamLength("{ahead}:stream").Should().Be(40, "the rest waits in the stream for whoever reads it");

        gate.SetResult();
        await Outcomes.WaitForAsync(() => held.All(d => outcomes.SuccessCount(Deliveries.IdOf(d)) == 1) && db.StreamLength("{ahead}:stream") == 0, "every delivery handled");
        outcomes.Attempts.Should().HaveCount(80, "each delivery ran once");
    }

    [Test]
    public async Task SlowHandlers_TwoInstances_EachHoldsOnlyWhatItRuns_BothShareTheWork()
    {
        using var redis = RedisServer.StartOrIgnore();
        var hanko = new FakeHanko();
        var slow = (Func<HankoEvent, HankoDeliveryContext, CancellationToken, Task>)((_, _, ct) => Task.Delay(300, ct)); // slower than the 50 ms read-ahead horizon
        var (onA, onB) = (new Outcomes { Decide = slow }, new Outcomes { Decide = slow });
        await using var a = await DurableHost.StartAsync(redis, hanko, "slow", onA, o => (o.Concurrency, o.VisibilityTimeout) = (2, TimeSpan.FromMinutes(1)));
        await using var b = await DurableHost.StartAsync(redis, hanko, "slow", onB, o => (o.Concurrency, o.VisibilityTimeout) = (2, TimeSpan.FromMinutes(1)));

        var deliveries = Deliveries.Distinct(hanko, 24);
        await PostAllAsync(a, deliveries);
        await Outcomes.WaitForAsync(() => deliveries.All(d => onA.SuccessCount(Deliveries.IdOf(d)) + onB.SuccessCount(Deliveries.IdOf(d)) == 1), "all 24 handled once, by one instance or the other");

        TestContext.Out.WriteLine($"a ran {onA.Attempts.Count}, b ran {onB.Attempts.Count}");
        (onA.Attempts.Count + onB.Attempts.Count).Should().Be(24, "nothing ran twice");
        onA.Attempts.Count.Should().BeGreaterThanOrEqualTo(8, "a slow instance does not read ahead of its runners, so neither takes most of the work");
        onB.Attempts.Count.Should().BeGreaterThanOrEqualTo(8, "a slow instance does not read ahead of its runners, so neither takes most of the work");
    }

    [Test]
    public async Task EntriesReadAhead_WaitLongerThanTheVisibilityTimeout_RenewedNotTakenOver_EachRunsOnceWhereRead()
    {
        using var redis = RedisServer.StartOrIgnore();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gated = false;
        var onA = new Outcomes { Decide = (_, _, _) => Volatile.Read(ref gated) ? gate.Task : Task.CompletedTask };
        var hanko = new FakeHanko();
        await using var a = await DurableHost.StartAsync(redis, hanko, "renew-ahead", onA, o => (o.Concurrency, o.VisibilityTimeout) = (1, TimeSpan.FromSeconds(1)));
        using var client = redis.Connect();
        var db = client.GetDatabase();
        var fast = Deliveries.Distinct(hanko, 20);
        await PostAllAsync(a, fast);
        await Outcomes.WaitForAsync(() => onA.Successes.Count == 20 && Pending(db, "renew-ahead") == 0, "the pace is known");

        Volatile.Write(ref gated, true);
        var waiting = Deliveries.Distinct(hanko, 5);
        await PostAllAsync(a, waiting);
        await Outcomes.WaitForAsync(() => onA.Attempts.Count == 21 && Pending(db, "renew-ahead") > 1, "one runs, more wait in a's hand");
        await Task.Delay(200);
        TestContext.Out.WriteLine($"in a's hand: {Pending(db, "renew-ahead")} of 5");

        // b takes over whatever is idle longer than the visibility timeout (1 s) — for 3 s.
        var onB = new Outcomes();
        await using (var b = await DurableHost.StartAsync(redis, hanko, "renew-ahead", onB, o => (o.Concurrency, o.VisibilityTimeout) = (4, TimeSpan.FromSeconds(1))))
        {
            await Task.Delay(3000);
            onB.Attempts.Should().BeEmpty("a renews the entries it read ahead, as it renews the running one");
        }

        gate.SetResult();
        await Outcomes.WaitForAsync(() => waiting.All(d => onA.SuccessCount(Deliveries.IdOf(d)) == 1), "a runs all five");
        onA.Attempts.Where(x => waiting.Any(d => Deliveries.IdOf(d) == x.DeliveryId)).Select(x => x.Attempt).Should().Equal([1, 1, 1, 1, 1], "each ran once, on a");
        onB.Attempts.Should().BeEmpty();
    }

    [Test]
    public async Task EntryReadAhead_TakenOverByAnotherConsumerWhileItWaits_NotStartedHere_LoggedAsLost()
    {
        using var redis = RedisServer.StartOrIgnore();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gated = false;
        var onA = new Outcomes { Decide = (_, _, _) => Volatile.Read(ref gated) ? gate.Task : Task.CompletedTask };
        var hanko = new FakeHanko();

        // A visibility timeout of 3 s: a's heartbeat checks what it holds every second.
        await using var a = await DurableHost.StartAsync(redis, hanko, "lost-ahead", onA, o => (o.Concurrency, o.VisibilityTimeout) = (1, TimeSpan.FromSeconds(3)));
        using var client = redis.Connect();
        var db = client.GetDatabase();
        var fast = Deliveries.Distinct(hanko, 20);
        await PostAllAsync(a, fast);
        await Outcomes.WaitForAsync(() => onA.Successes.Count == 20 && Pending(db, "lost-ahead") == 0, "the pace is known");

        Volatile.Write(ref gated, true);
        await PostAllAsync(a, Deliveries.Distinct(hanko, 3));
        await Outcomes.WaitForAsync(() => onA.Attempts.Count == 21 && Pending(db, "lost-ahead") == 3, "one runs, two wait in a's hand");
        var running = onA.Attempts.Last().DeliveryId;
        var waiting = (await db.StreamRangeAsync("{lost-ahead}:stream")).Where(e => (string?)e["d"] != running).ToList();
        waiting.Should().HaveCount(2);
        var stolen = waiting[0];

        // Another consumer claims one of the waiting entries (as after a failover) and keeps it alive, as a live instance would.
        using var keepAlive = new CancellationTokenSource();
        var renewals = Task.Run(async () =>
        {
            while (!keepAlive.IsCancellationRequested)
            {
                await db.StreamClaimIdsOnlyAsync("{lost-ahead}:stream", "hanko-workers", "other-instance", 0, [stolen.Id]);
                await Task.Delay(300);
            }
        });
        await Outcomes.WaitForAsync(() => a.Logs.GetSnapshot().Any(r => r.Id.Id == 307), "a's heartbeat finds the entry taken over", seconds: 10);

        gate.SetResult();
        var other = (string?)waiting[1]["d"];
        await Outcomes.WaitForAsync(() => onA.SuccessCount(running) == 1 && onA.SuccessCount(other!) == 1, "a runs the running one and the other waiting one");
        await Task.Delay(500);
        await keepAlive.CancelAsync();
        await renewals;
        onA.Attempts.Select(x => x.DeliveryId).Should().NotContain((string?)stolen["d"], "an entry another instance holds now is not started here as well");
        (await db.StreamPendingMessagesAsync("{lost-ahead}:stream", "hanko-workers", 10, "other-instance")).Select(p => p.MessageId).Should().Equal(stolen.Id);
    }

    [Test]
    public async Task InstanceStops_EntriesReadAheadGoBackAtOnce_AnotherInstanceRunsThemAsFirstAttempts_TheRunningOneWaitsForItsTakeOver()
    {
        using var redis = RedisServer.StartOrIgnore();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gated = false;
        var onA = new Outcomes { Decide = (_, _, ct) => Volatile.Read(ref gated) ? gate.Task.WaitAsync(ct) : Task.CompletedTask };
        var hanko = new FakeHanko();

        // A visibility timeout of 5 minutes: nothing in this test is taken over; what b runs was given back.
        var a = await DurableHost.StartAsync(
            redis,
            hanko,
            "give-back",
            onA,
            o => (o.Concurrency, o.VisibilityTimeout) = (1, TimeSpan.FromMinutes(5)),
            services: s => s.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(500)));
        using var client = redis.Connect();
        var db = client.GetDatabase();
        var fast = Deliveries.Distinct(hanko, 20);
        await PostAllAsync(a, fast);
        await Outcomes.WaitForAsync(() => onA.Successes.Count == 20 && Pending(db, "give-back") == 0, "the pace is known");

        Volatile.Write(ref gated, true);
        var waiting = Deliveries.Distinct(hanko, 12);
        await PostAllAsync(a, waiting);
        await Outcomes.WaitForAsync(() => onA.Attempts.Count == 21 && Pending(db, "give-back") > 1, "one runs, more wait in a's hand");
        var running = onA.Attempts.Last().DeliveryId;

        var logs = a.Logs;
        await a.DisposeAsync(); // the running handler is cancelled at the shutdown timeout and abandoned; the others go back
        var givenBack = logs.GetSnapshot().Where(r => r.Id.Id == 353).ToList();
        givenBack.Should().ContainSingle("the entries read ahead were given back, logged once");

        var onB = new Outcomes();
        await using var b = await DurableHost.StartAsync(redis, hanko, "give-back", onB, o => (o.Concurrency, o.VisibilityTimeout) = (4, TimeSpan.FromMinutes(5)));
        var others = waiting.Select(Deliveries.IdOf).Where(id => id != running).ToList();
        await Outcomes.WaitForAsync(() => others.All(id => onB.SuccessCount(id) == 1), "b runs the 11 others at once (given back, or never read), not after the 5-minute visibility timeout", seconds: 15);
        onB.Attempts.Select(x => x.Attempt).Should().OnlyContain(n => n == 1, "an entry given back was never started: its first attempt");
        onB.Attempts.Select(x => x.DeliveryId).Should().NotContain(running, "the abandoned run stays pending for a's consumer until its take-over");
        var pendingOfA = await db.StreamPendingAsync("{give-back}:stream", "hanko-workers");
        pendingOfA.PendingMessageCount.Should().Be(1, "only the abandoned run is still pending");
    }

    private static async Task PostAllAsync(TestApp app, IEnumerable<HankoDelivery> deliveries)
    {
        foreach (var delivery in deliveries)
        {
            (await app.PostAsync(delivery)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        }
    }

    private static long Pending(IDatabase db, string prefix) => db.StreamPending($"{{{prefix}}}:stream", "hanko-workers").PendingMessageCount;
}
