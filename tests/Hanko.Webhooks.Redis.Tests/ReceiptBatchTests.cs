using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using NUnit.Framework;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>
/// Batched receipts: the receipts arriving while one script call is in flight go to Redis together in the next call, each
/// claimed and appended on its own. The hosts here have no workers (receipt only), so every script call Redis counts is a
/// receipt call. To hold a call in flight deterministically, Redis is paused for writes (<c>CLIENT PAUSE … WRITE</c>,
/// which holds <c>EVALSHA</c>) while the first receipt waits and the others queue behind it.
/// </summary>
[NonParallelizable]
public sealed class ReceiptBatchTests
{
    [Test]
    public async Task HundredReceiptsQueuedBehindOneInFlight_StoredInFarFewerScriptCalls_AtMost64Each_EveryDeliveryStoredOnce()
    {
        using var redis = RedisServer.StartOrIgnore();
        using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true");
        var hanko = new FakeHanko();
        await using var app = await ReceiptOnlyAsync(redis, hanko, "rb-many");
        var first = hanko.CreateDelivery(HankoEventNames.UserLogin);
        var rest = Deliveries.Distinct(hanko, 100);
        (await app.PostAsync(hanko.CreateDelivery(HankoEventNames.UserCreate))).StatusCode.Should().Be(HttpStatusCode.Accepted, "warm: keys fetched, script loaded");
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        await server.ConfigResetStatisticsAsync();

        redis.Command("CLIENT", "PAUSE", "1500", "WRITE");
        var inFlight = app.PostAsync(first);
        await Task.Delay(200); // its call waits on the paused Redis
        var responses = await Task.WhenAll(rest.Select(d => app.PostAsync(d)).Append(inFlight));

        responses.Select(r => r.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.Accepted);
        var calls = ScriptCalls(await server.InfoRawAsync("commandstats") ?? string.Empty);
        TestContext.Out.WriteLine($"101 receipts stored with {calls} script call(s)");
        calls.Should().BeInRange(3, 8, "1 in flight, then the 100 queued behind it in batches of at most 64 (so at least 2)");
        var stored = (await admin.GetDatabase().StreamRangeAsync("{rb-many}:stream")).Select(e => (string)e["d"]!).ToList();
        stored.Should().HaveCount(102).And.OnlyHaveUniqueItems();
        stored.Should().Contain(rest.Append(first).Select(Deliveries.IdOf));
        app.Logs.GetSnapshot().Count(r => r.Id.Id == 301).Should().Be(102, "each stored receipt is logged as before");
    }

    [Test]
    public async Task SameDeliveryTwiceInOneBatch_OneStored_TheOtherAnsweredDuplicate()
    {
        using var redis = RedisServer.StartOrIgnore();
        using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true");
        var hanko = new FakeHanko();
        await using var app = await ReceiptOnlyAsync(redis, hanko, "rb-dup");
        (await app.PostAsync(hanko.CreateDelivery(HankoEventNames.UserCreate))).StatusCode.Should().Be(HttpStatusCode.Accepted, "warm");
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        await server.ConfigResetStatisticsAsync();
        var delivery = hanko.CreateDelivery(HankoEventNames.UserLogin);
        var other = hanko.CreateDelivery(HankoEventNames.UserDelete);

        redis.Command("CLIENT", "PAUSE", "1000", "WRITE");
        var inFlight = app.PostAsync(other);
        await Task.Delay(200);
        var both = await Task.WhenAll(app.PostAsync(delivery), app.PostAsync(delivery));
        (await inFlight).StatusCode.Should().Be(HttpStatusCode.Accepted);

        ScriptCalls(await server.InfoRawAsync("commandstats") ?? string.Empty).Should().Be(2, "the in-flight one, then both copies together");
        both.Select(r => r.StatusCode).Should().BeEquivalentTo([HttpStatusCode.Accepted, HttpStatusCode.OK], "the first copy in the batch is claimed, the second is its duplicate");
        var stored = (await admin.GetDatabase().StreamRangeAsync("{rb-dup}:stream")).Select(e => (string)e["d"]!).ToList();
        stored.Count(d => d == Deliveries.IdOf(delivery)).Should().Be(1);
    }

    [Test]
    public async Task RedisKilledWhileABatchWaits_EveryReceiptInIt503_NothingClaimed_SoEachIsAcceptedLater()
    {
        using var redis = RedisServer.StartOrIgnore();
        var hanko = new FakeHanko();
        await using var app = await ReceiptOnlyAsync(redis, hanko, "rb-down");
        (await app.PostAsync(hanko.CreateDelivery(HankoEventNames.UserCreate))).StatusCode.Should().Be(HttpStatusCode.Accepted, "warm");
        var deliveries = Deliveries.Distinct(hanko, 20);

        redis.Command("CLIENT", "PAUSE", "10000", "WRITE");
        var inFlight = app.PostAsync(deliveries[0]);
        await Task.Delay(200);
        var queued = deliveries.Skip(1).Select(d => app.PostAsync(d)).ToList();
        await Task.Delay(300);
        redis.Kill();
        var responses = await Task.WhenAll(queued.Prepend(inFlight));

        responses.Select(r => r.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.ServiceUnavailable, "none is known to be stored");
        app.Logs.GetSnapshot().Count(r => r.Id.Id == 300).Should().Be(20, "each refusal is logged (StoreFailed)");

        redis.Start();
        using var client = redis.Connect();
        var db = client.GetDatabase();
        (await db.StreamLengthAsync("{rb-down}:stream")).Should().Be(1, "only the warm-up delivery");
        foreach (var delivery in deliveries)
        {
            (await db.KeyExistsAsync("{rb-down}:claim:" + Deliveries.IdOf(delivery))).Should().BeFalse();
        }

        await Outcomes.WaitForAsync(() => app.PostAsync(deliveries[0]).Result.StatusCode == HttpStatusCode.Accepted, "the app reconnects");
        foreach (var delivery in deliveries.Skip(1))
        {
            (await app.PostAsync(delivery)).StatusCode.Should().Be(HttpStatusCode.Accepted, "not claimed by the failed batch");
        }
    }

    [Test]
    public async Task AppendRefusedForEveryReceiptOfABatch_Each503_ClaimsGivenBack_DuplicateInTheSameBatchStillAnswered200()
    {
        using var redis = RedisServer.StartOrIgnore();
        using var client = redis.Connect();
        var db = client.GetDatabase();
        var hanko = new FakeHanko();
        await using var app = await ReceiptOnlyAsync(redis, hanko, "rb-refused");
        var stored = hanko.CreateDelivery(HankoEventNames.UserCreate);
        (await app.PostAsync(stored)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await db.KeyDeleteAsync("{rb-refused}:stream");
        await db.StringSetAsync("{rb-refused}:stream", "not a stream"); // every XADD now fails with WRONGTYPE
        var deliveries = Deliveries.Distinct(hanko, 10);

        redis.Command("CLIENT", "PAUSE", "1000", "WRITE");
        var inFlight = app.PostAsync(deliveries[0]);
        await Task.Delay(200);
        var responses = await Task.WhenAll(deliveries.Skip(1).Select(d => app.PostAsync(d)).Prepend(inFlight).Append(app.PostAsync(stored)));

        responses.Take(10).Select(r => r.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.ServiceUnavailable);
        responses[10].StatusCode.Should().Be(HttpStatusCode.OK, "the stored one is still a duplicate: its claim is untouched");
        app.Logs.GetSnapshot().Where(r => r.Id.Id == 300).Should().HaveCount(10).And.OnlyContain(r => r.Message.Contains("RedisServerException", StringComparison.Ordinal));
        foreach (var delivery in deliveries)
        {
            (await db.KeyExistsAsync("{rb-refused}:claim:" + Deliveries.IdOf(delivery))).Should().BeFalse("a refused append gives its claim back");
        }

        await db.KeyDeleteAsync("{rb-refused}:stream");
        var again = await Task.WhenAll(deliveries.Select(d => app.PostAsync(d)));
        again.Select(r => r.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.Accepted);
        (await db.StreamLengthAsync("{rb-refused}:stream")).Should().Be(10);
    }

    [Test]
    public async Task ReceiptsGivenUpWhileRedisIsFrozen_Answered503_AndNeverStoredOnceRedisAnswersAgain()
    {
        using var redis = RedisServer.StartOrIgnore();
        using var client = redis.Connect();
        var db = client.GetDatabase();
        var hanko = new FakeHanko();
        // The client's own timeout (asyncTimeout) longer than the SDK's bound after an unanswered call, so that the flush
        // resumes at that bound, after the queued receipts' callers have given up (2 s after they came).
        await using var app = await ReplicatedHost.StartAsync(
            redis.Configuration.Replace("asyncTimeout=2000", "asyncTimeout=10000", StringComparison.Ordinal),
            hanko,
            new Outcomes(),
            Directory.CreateTempSubdirectory("hanko-keys-"),
            o => o.KeyPrefix = "rb-frozen",
            o => o.Concurrency = 0);
        (await app.PostAsync(hanko.CreateDelivery(HankoEventNames.UserCreate))).StatusCode.Should().Be(HttpStatusCode.Accepted, "warm");
        var inFlight = hanko.CreateDelivery(HankoEventNames.UserLogin);
        var queued = Deliveries.Distinct(hanko, 10);

        HttpResponseMessage[] responses;
        redis.Pause(); // SIGSTOP: the connection stays open, Redis reads nothing until it resumes
        try
        {
            var first = app.PostAsync(inFlight); // its call is written to the socket: it may run once Redis resumes
            await Task.Delay(200);
            responses = await Task.WhenAll(queued.Select(d => app.PostAsync(d)).Prepend(first));
            await Task.Delay(TimeSpan.FromSeconds(4)); // longer than the client's timeout of the call in flight, and the bound after it
        }
        finally
        {
            redis.Resume();
        }

        responses.Select(r => r.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.ServiceUnavailable, "no answer within the receipt timeout");
        await Outcomes.WaitForAsync(() => db.Ping() < TimeSpan.FromSeconds(1), "Redis answers again");
        await Task.Delay(500); // anything still on its way to Redis arrives
        var stored = (await db.StreamRangeAsync("{rb-frozen}:stream")).Select(e => (string?)e["d"]).ToList();
        TestContext.Out.WriteLine($"stream after resume: {stored.Count} entries (the warm-up, and maybe the call that was in flight)");
        foreach (var delivery in queued)
        {
            stored.Should().NotContain(Deliveries.IdOf(delivery), "its caller answered 503 before it was sent: it is never sent");
            (await db.KeyExistsAsync("{rb-frozen}:claim:" + Deliveries.IdOf(delivery))).Should().BeFalse();
        }

        await Outcomes.WaitForAsync(() => app.PostAsync(hanko.CreateDelivery(HankoEventNames.UserCreate)).Result.StatusCode == HttpStatusCode.Accepted, "receipts are stored again");
        var again = await Task.WhenAll(queued.Select(d => app.PostAsync(d)));
        again.Select(r => r.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.Accepted, "a real copy is stored, not refused as a duplicate");
    }

    /// <summary>A durable host that receives only (Concurrency 0, no workers), so Redis's script calls are all receipt calls.</summary>
    private static Task<TestApp> ReceiptOnlyAsync(RedisServer redis, FakeHanko hanko, string prefix) =>
        DurableHost.StartAsync(redis, hanko, prefix, new Outcomes(), durable: o => o.Concurrency = 0);

    private static long ScriptCalls(string commandStats) =>
        commandStats.Split('\n')
            .Where(l => l.StartsWith("cmdstat_evalsha:", StringComparison.Ordinal) || l.StartsWith("cmdstat_eval:", StringComparison.Ordinal))
            .Sum(l => long.Parse(l.Split(':')[1].Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture));
}
