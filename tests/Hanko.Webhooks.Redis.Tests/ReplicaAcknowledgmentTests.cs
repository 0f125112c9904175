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
/// <see cref="HankoRedisOptions.MinReplicasToAcknowledge"/>: a receipt is answered 202 only once <c>WAIT</c> confirmed
/// that a replica holds it. Real primary, replica and Sentinel; the hosts receive only (no worker reads the entries).
/// </summary>
[NonParallelizable]
public sealed class ReplicaAcknowledgmentTests
{
    [Test]
    public async Task ReplicaInSync_Answered202_AndTheReplicaAlreadyHoldsTheEntry()
    {
        using var redis = ReplicatedRedis.StartOrIgnore();
        var keys = Directory.CreateTempSubdirectory("hanko-keys-");
        var hanko = new FakeHanko();
        await using var app = await ReplicatedHost.StartAsync(redis.Configuration, hanko, new Outcomes(), keys, o => (o.KeyPrefix, o.MinReplicasToAcknowledge) = ("ra-sync", 1), o => o.Concurrency = 0);

        var responses = await Task.WhenAll(Deliveries.Distinct(hanko, 30).Select(d => app.PostAsync(d)));

        responses.Select(r => r.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.Accepted);
        Resp.Call(redis.Replica.Port, "XLEN", "{ra-sync}:stream").Should().Be(30L, "each 202 came after WAIT counted the replica");
    }

    [Test]
    public async Task ReplicaFrozen_Answered503_ReceiptTakenBack_SoTheSameDeliveryIsAcceptedOnceTheReplicaIsBack()
    {
        using var redis = ReplicatedRedis.StartOrIgnore();
        var keys = Directory.CreateTempSubdirectory("hanko-keys-");
        var hanko = new FakeHanko();
        await using var app = await ReplicatedHost.StartAsync(redis.Configuration, hanko, new Outcomes(), keys, o => (o.KeyPrefix, o.MinReplicasToAcknowledge) = ("ra-frozen", 1), o => o.Concurrency = 0);
        (await app.PostAsync(hanko.CreateDelivery(HankoEventNames.UserCreate))).StatusCode.Should().Be(HttpStatusCode.Accepted, "warm");
        var deliveries = Deliveries.Distinct(hanko, 5);

        redis.Replica.Pause();
        HttpResponseMessage[] frozen;
        try
        {
            frozen = await Task.WhenAll(deliveries.Select(d => app.PostAsync(d)));
        }
        finally
        {
            redis.Replica.Resume();
        }

        frozen.Select(r => r.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.ServiceUnavailable, "no replica confirmed them");
        app.Logs.GetSnapshot().Where(r => r.Id.Id == 300).Should().HaveCount(5)
            .And.OnlyContain(r => r.Message.Contains("held by 0 of the 1 replica(s) needed within 1 s", StringComparison.Ordinal));
        Resp.Call(redis.Primary.Port, "XLEN", "{ra-frozen}:stream").Should().Be(1L, "the unconfirmed entries were taken back (none had been read)");
        foreach (var delivery in deliveries)
        {
            Resp.Call(redis.Primary.Port, "EXISTS", "{ra-frozen}:claim:" + Deliveries.IdOf(delivery)).Should().Be(0L, "the claim was given back");
        }

        ReplicatedRedis.WaitUntil(() => ReplicatedRedis.Info(redis.Replica.Port, "master_link_status") == "up", "the replica is back in sync");
        var again = await Task.WhenAll(deliveries.Select(d => app.PostAsync(d)));
        again.Select(r => r.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.Accepted, "a real copy is accepted, not refused as a duplicate");
        Resp.Call(redis.Replica.Port, "XLEN", "{ra-frozen}:stream").Should().Be(6L);
    }

    [Test]
    public async Task PrimaryLostItsScriptsAndConnections_ReplicaFrozen_Answered503_TheWaitCoversThisBatch()
    {
        using var redis = ReplicatedRedis.StartOrIgnore();
        var keys = Directory.CreateTempSubdirectory("hanko-keys-");
        var hanko = new FakeHanko();
        await using var app = await ReplicatedHost.StartAsync(redis.Configuration, hanko, new Outcomes(), keys, o => (o.KeyPrefix, o.MinReplicasToAcknowledge) = ("ra-noscript", 1), o => o.Concurrency = 0);
        (await app.PostAsync(hanko.CreateDelivery(HankoEventNames.UserCreate))).StatusCode.Should().Be(HttpStatusCode.Accepted, "warm: the replica confirmed this write");

        // As after a restart of the primary: its script cache is empty (the client still knows the receipt script by hash),
        // and the client is on a new connection, which has written nothing yet.
        Resp.Call(redis.Primary.Port, "SCRIPT", "FLUSH");
        Resp.Call(redis.Primary.Port, "CLIENT", "KILL", "TYPE", "normal");
        ReplicatedRedis.WaitUntil(() => ((string)Resp.Call(redis.Primary.Port, "CLIENT", "LIST")!).Contains("name=hanko-webhooks-receipts", StringComparison.Ordinal), "the receipts' connection is back");
        await Task.Delay(3000); // and StackExchange.Redis has settled on it (a receipt right after the reconnect waits out its bound)
        redis.Replica.Pause();
        HttpResponseMessage response;
        try
        {
            response = await app.PostAsync(hanko.CreateDelivery(HankoEventNames.UserLogin));
        }
        finally
        {
            redis.Replica.Resume();
        }

        // EVALSHA → NOSCRIPT → the script sent again behind the WAIT: that WAIT, on a connection that had written nothing,
        // returned at once with the replica counted — a 202 for a write no replica had.
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "no replica holds this delivery");
        app.Logs.GetSnapshot().Where(r => r.Id.Id == 300).Should().ContainSingle()
            .Which.Message.Should().Contain("held by 0 of the 1 replica(s) needed within 1 s");
        Resp.Call(redis.Primary.Port, "XLEN", "{ra-noscript}:stream").Should().Be(1L, "the unconfirmed entry was taken back");
    }

    [Test]
    public async Task ReplicaFrozen_TheAppsOwnCommandsOnItsMultiplexerAreNotHeldBehindTheReceiptsWait()
    {
        using var redis = ReplicatedRedis.StartOrIgnore();
        using var appRedis = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var keys = Directory.CreateTempSubdirectory("hanko-keys-");
        var hanko = new FakeHanko();
        await using var app = await ReplicatedHost.StartAsync(
            redis.Configuration,
            hanko,
            new Outcomes(),
            keys,
            o => (o.Configuration, o.KeyPrefix, o.MinReplicasToAcknowledge) = (null, "ra-shared", 1), // the app's multiplexer from DI
            o => o.Concurrency = 0,
            services: s => s.AddSingleton<IConnectionMultiplexer>(appRedis));
        (await app.PostAsync(hanko.CreateDelivery(HankoEventNames.UserCreate))).StatusCode.Should().Be(HttpStatusCode.Accepted, "warm");
        var db = appRedis.GetDatabase();
        await db.StringGetAsync("{ra-shared}:app-key");

        var statuses = new List<HttpStatusCode>();
        var latencies = new List<TimeSpan>();
        using var stop = new CancellationTokenSource();
        redis.Replica.Pause(); // every WAIT now takes its full second
        try
        {
            var receipts = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    foreach (var response in await Task.WhenAll(Deliveries.Distinct(hanko, 3).Select(d => app.PostAsync(d))))
                    {
                        statuses.Add(response.StatusCode);
                        response.Dispose();
                    }
                }
            });
            await Task.Delay(300);
            for (var i = 0; i < 20; i++)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                await db.StringGetAsync("{ra-shared}:app-key"); // on the primary, as the receipts and their WAIT
                latencies.Add(clock.Elapsed);
                await Task.Delay(100);
            }

            await stop.CancelAsync();
            await receipts;
        }
        finally
        {
            redis.Replica.Resume();
        }

        TestContext.Out.WriteLine($"{statuses.Count} receipts during the freeze; the app's GETs took (ms): {string.Join(", ", latencies.Select(l => (int)l.TotalMilliseconds))}");
        statuses.Should().NotBeEmpty().And.OnlyContain(s => s == HttpStatusCode.ServiceUnavailable, "no replica confirmed them");
        latencies.Count(l => l < TimeSpan.FromMilliseconds(300)).Should().BeGreaterThanOrEqualTo(15,
            "the WAITs (1 s each, back to back) run on the receipts' own connection; on the shared one most GETs would wait behind one");
    }

    [Test]
    public async Task WithTheOption_ReceiptsUseAConnectionOfTheirOwn_ClosedWithTheHost()
    {
        using var redis = ReplicatedRedis.StartOrIgnore();
        var keys = Directory.CreateTempSubdirectory("hanko-keys-");
        var hanko = new FakeHanko();
        var app = await ReplicatedHost.StartAsync(redis.Configuration, hanko, new Outcomes(), keys, o => (o.KeyPrefix, o.MinReplicasToAcknowledge) = ("ra-own", 1), o => o.Concurrency = 0);
        string ReceiptClients() => string.Join('\n', ((string)Resp.Call(redis.Primary.Port, "CLIENT", "LIST")!).Split('\n').Where(c => c.Contains("name=hanko-webhooks-receipts", StringComparison.Ordinal)));

        try
        {
            (await app.PostAsync(hanko.CreateDelivery(HankoEventNames.UserCreate))).StatusCode.Should().Be(HttpStatusCode.Accepted);
            ReceiptClients().Should().Contain("cmd=wait", "the receipts and their WAIT went on the receipts' own connection");
        }
        finally
        {
            await app.DisposeAsync();
        }

        ReplicatedRedis.WaitUntil(() => ReceiptClients().Length == 0, "the receipts' connection is closed with the host", 10);
    }

    [Test]
    public async Task NegativeMinReplicasToAcknowledge_FailsTheStart()
    {
        var start = () => TestApp.StartAsync(h => h.UseRedis(o => (o.Configuration, o.MinReplicasToAcknowledge) = ("127.0.0.1:1,abortConnect=false", -1)).UseDurableProcessing());

        (await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>())
            .Which.Message.Should().Contain("HankoRedisOptions.MinReplicasToAcknowledge must be 0 or more.");
    }

    [Test]
    public async Task WithoutTheOption_NoWait_Answered202WhileTheReplicaIsFrozen()
    {
        using var redis = ReplicatedRedis.StartOrIgnore();
        var keys = Directory.CreateTempSubdirectory("hanko-keys-");
        var hanko = new FakeHanko();
        await using var app = await ReplicatedHost.StartAsync(redis.Configuration, hanko, new Outcomes(), keys, o => o.KeyPrefix = "ra-off", o => o.Concurrency = 0);

        redis.Replica.Pause();
        HttpResponseMessage[] responses;
        try
        {
            responses = await Task.WhenAll(Deliveries.Distinct(hanko, 5).Select(d => app.PostAsync(d)));
        }
        finally
        {
            redis.Replica.Resume();
        }

        responses.Select(r => r.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.Accepted, "0 asks for no replica: single-node setups keep working");
        Resp.Call(redis.Primary.Port, "XLEN", "{ra-off}:stream").Should().Be(5L);
    }
}
