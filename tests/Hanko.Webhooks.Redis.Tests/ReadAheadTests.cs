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
        var gate = new Gate();
        var outcomes = new Outcomes { Decide = gate.Decide };
        var hanko = new FakeHanko();
        using var client = redis.Connect();
        var db = client.GetDatabase();
        await using var app = await StartWithKnownPaceAsync(redis, hanko, "ahead", outcomes, db, o => (o.Concurrency, o.VisibilityTimeout) = (2, TimeSpan.FromMinutes(1)));

        gate.Close(); // from now on every handler waits
        var held = Deliveries.Distinct(hanko, 40);
        await PostAllAsync(app, held);
        await Outcomes.WaitForAsync(() => outcomes.Attempts.Count == 22 && Pending(db, "ahead") > 2, "two running and more read ahead");
        await Task.Delay(500); // let the reader fill what it may
        var pending = Pending(db, "ahead");
        TestContext.Out.WriteLine($"in hand with 2 runners: {pending}");
        pending.Should().BeInRange(3, 16, "the worker reads ahead of its 2 runners, never more than 8 × Concurrency in hand");
        outcomes.Attempts.Should().HaveCount(22, "only the 2 runners run handlers");
        db.StreamLength("{ahead}:stream").Should().Be(40, "the rest waits in the stream for whoever reads it");

        gate.Open();
        await Outcomes.WaitForAsync(() => held.All(d => outcomes.SuccessCount(Deliveries.IdOf(d)) == 1) && db.StreamLength("{ahead}:stream") == 0, "every delivery handled");
        outcomes.Attempts.Should().HaveCount(60, "each delivery ran once");
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
        var gate = new Gate();
        var onA = new Outcomes { Decide = gate.Decide };
        var hanko = new FakeHanko();
        using var client = redis.Connect();
        var db = client.GetDatabase();
        await using var a = await StartWithKnownPaceAsync(redis, hanko, "renew-ahead", onA, db, o => (o.Concurrency, o.VisibilityTimeout) = (1, TimeSpan.FromSeconds(1)));

        gate.Close();
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

        gate.Open();
        await Outcomes.WaitForAsync(() => waiting.All(d => onA.SuccessCount(Deliveries.IdOf(d)) == 1), "a runs all five");
        onA.Attempts.Where(x => waiting.Any(d => Deliveries.IdOf(d) == x.DeliveryId)).Select(x => x.Attempt).Should().Equal([1, 1, 1, 1, 1], "each ran once, on a");
        onB.Attempts.Should().BeEmpty();
    }

    [Test]
    public async Task EntryReadAhead_TakenOverByAnotherConsumerWhileItWaits_NotStartedHere_LoggedAsLost()
    {
        using var redis = RedisServer.StartOrIgnore();
        var gate = new Gate();
        var onA = new Outcomes { Decide = gate.Decide };
        var hanko = new FakeHanko();
        using var client = redis.Connect();
        var db = client.GetDatabase();

        // A visibility timeout of 3 s: a's heartbeat checks what it holds every second.
        await using var a = await StartWithKnownPaceAsync(redis, hanko, "lost-ahead", onA, db, o => (o.Concurrency, o.VisibilityTimeout) = (1, TimeSpan.FromSeconds(3)));

        gate.Close();
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

        gate.Open();
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
        var gate = new Gate();
        var onA = new Outcomes { Decide = gate.Decide };
        var hanko = new FakeHanko();
        using var client = redis.Connect();
        var db = client.GetDatabase();

        // A visibility timeout of 5 minutes: nothing in this test is taken over; what b runs was given back.
        var a = await StartWithKnownPaceAsync(
            redis,
            hanko,
            "give-back",
            onA,
            db,
            o => (o.Concurrency, o.VisibilityTimeout) = (1, TimeSpan.FromMinutes(5)),
            services: s => s.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(500)));

        gate.Close();
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

        // b's acknowledgments are pipelined after its handlers return: wait for them, then only the abandoned run is left.
        await Outcomes.WaitForAsync(() => Pending(db, "give-back") == 1, "b acknowledges what it ran; only the abandoned run stays pending");
        var runningEntry = (await db.StreamRangeAsync("{give-back}:stream")).Single(e => (string?)e["d"] == running);
        var pendingOfA = await db.StreamPendingMessagesAsync("{give-back}:stream", "hanko-workers", 10, RedisValue.Null);
        pendingOfA.Select(p => p.MessageId).Should().Equal([runningEntry.Id], "only the abandoned run is still pending");
    }

    /// <summary>Starts an instance and lets it handle 20 fast deliveries (acknowledged), so that it knows its handlers' pace.</summary>
    private static async Task<TestApp> StartWithKnownPaceAsync(
        RedisServer redis, FakeHanko hanko, string prefix, Outcomes outcomes, IDatabase db, Action<HankoDurableProcessingOptions> durable, Action<IServiceCollection>? services = null)
    {
        var app = await DurableHost.StartAsync(redis, hanko, prefix, outcomes, durable, services);
        var fast = Deliveries.Distinct(hanko, 20);
        await PostAllAsync(app, fast);
        await Outcomes.WaitForAsync(() => fast.All(d => outcomes.SuccessCount(Deliveries.IdOf(d)) == 1) && Pending(db, prefix) == 0, "20 fast deliveries handled and acknowledged: the pace is known");
        return app;
    }

    private static async Task PostAllAsync(TestApp app, IEnumerable<HankoDelivery> deliveries)
    {
        foreach (var delivery in deliveries)
        {
            (await app.PostAsync(delivery)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        }
    }

    /// <summary>Open: handlers return at once. Closed: they wait until it opens again (or they are cancelled).</summary>
    private sealed class Gate
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _closed;

        public Task Decide(HankoEvent @event, HankoDeliveryContext delivery, CancellationToken cancellationToken) =>
            _closed ? _open.Task.WaitAsync(cancellationToken) : Task.CompletedTask;

        public void Close() => _closed = true;

        public void Open() => _open.TrySetResult();
    }

    private static long Pending(IDatabase db, string prefix) => db.StreamPending($"{{{prefix}}}:stream", "hanko-workers").PendingMessageCount;
}
