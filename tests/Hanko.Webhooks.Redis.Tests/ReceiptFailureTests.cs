using System.Net;
using System.Security.Cryptography;
using FluentAssertions;
using Hanko.Webhooks.Redis.Internal;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>
/// Receipts that fail in ways Redis itself does not report: an unexpected exception in the flush, a Data Protection key
/// ring that cannot protect, a caller that gave up, too many receipts waiting. Each is answered 503 (logged as id 300),
/// never 500, and the receipts after it are served.
/// </summary>
[NonParallelizable]
public sealed class ReceiptFailureTests : RedisTests
{
    private static readonly AsyncLocal<string?> Caller = new();

    private static string NewPrefix() => "rf-" + Guid.NewGuid().ToString("N")[..8];

    [Test]
    public async Task MalformedAnswerToABatch_ThatReceiptAnswered503_AndTheNextReceiptIsStillStored()
    {
        using var real = Redis.Connect();
        var multiplexer = InterceptingMultiplexer.Around(real, out var interceptor);
        var malformed = 1;
        interceptor.OnScript = (script, call) => script is Scripts.ReceiveBatch && Interlocked.Exchange(ref malformed, 0) == 1
            ? call.ContinueWith(_ => RedisResult.Create([RedisResult.Create(Array.Empty<RedisResult>())]), TaskScheduler.Default) // one result, an empty "refused"
            : call;
        var prefix = NewPrefix();
        var hanko = new FakeHanko();
        await using var app = await TestApp.StartAsync(
            h => h.AddHandler<OutcomeHandler>().UseRedis(o => o.KeyPrefix = prefix).UseDurableProcessing(o => o.Concurrency = 0),
            configure: b =>
            {
                b.Services.AddSingleton(multiplexer).AddSingleton(new Outcomes());
                b.Services.AddDataProtection().SetApplicationName("hanko-tests").PersistKeysToStackExchangeRedis(real, prefix + ":dp-keys");
            },
            hanko: hanko);
        var (first, second) = (hanko.CreateDelivery(HankoEventNames.UserCreate), hanko.CreateDelivery(HankoEventNames.UserLogin));

        using var failed = await app.PostAsync(first);
        using var next = await app.PostAsync(second);

        failed.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "its batch failed unexpectedly: nothing is promised");
        next.StatusCode.Should().Be(HttpStatusCode.Accepted, "the flush goes on after a failed batch");
        app.Logged(340).Should().BeTrue("the unexpected failure is logged once for the batch");
        app.Logs.GetSnapshot().Should().Contain(r => r.Id.Id == 300 && r.Message.Contains("RedisException", StringComparison.Ordinal));
        (await Db.StreamRangeAsync($"{{{prefix}}}:stream")).Select(e => (string?)e["d"]).Should().Contain(Deliveries.IdOf(second));
    }

    [Test]
    public async Task BatchesAreSentInNoCallersExecutionContext()
    {
        using var real = Redis.Connect();
        var multiplexer = InterceptingMultiplexer.Around(real, out var interceptor);
        var seen = new List<string?>();
        interceptor.OnScript = (script, call) =>
        {
            lock (seen)
            {
                seen.Add(Caller.Value);
            }

            return call;
        };
        using var batches = Batches(multiplexer, NewPrefix());

        Caller.Value = "the first request";
        var stored = await batches.StoreAsync("d-1", 60_000, HankoEventNames.UserCreate, [1, 2, 3], null, 0, TimeSpan.FromSeconds(5), CancellationToken.None);
        Caller.Value = null;

        stored.Should().NotBeNull();
        seen.Should().Equal([null], "the flush runs for every later receipt, so it carries no request's Activity or log scopes");
    }

    [Test]
    public async Task MoreReceiptsWaitingThanTheBound_TheRestAreRefusedAtOnce_NotQueued()
    {
        using var real = Redis.Connect();
        var prefix = NewPrefix();
        using var batches = Batches(real, prefix);
        (await batches.StoreAsync("warm", 60_000, HankoEventNames.UserCreate, [1], null, 0, TimeSpan.FromSeconds(5), CancellationToken.None)).Should().NotBeNull();
        const int Extra = 100;

        List<Task<string?>> receipts;
        Redis.Pause();
        try
        {
            receipts = [.. Enumerable.Range(0, ReceiptBatches.MaxQueued + Extra).Select(i => batches.StoreAsync(
                "d-" + i, 60_000, HankoEventNames.UserCreate, [1], null, 0, TimeSpan.FromSeconds(2), CancellationToken.None))];
            var refused = receipts.Where(t => t.IsFaulted).ToList();

            refused.Should().HaveCountGreaterThanOrEqualTo(Extra - ReceiptBatches.MaxBatch, "at most one batch left the queue for the frozen Redis")
                .And.OnlyContain(t => t.Exception!.InnerException is ReceiptsQueueFullException);
            receipts.Count(t => !t.IsCompleted).Should().BeGreaterThanOrEqualTo(ReceiptBatches.MaxQueued - ReceiptBatches.MaxBatch, "the ones within the bound wait");
        }
        finally
        {
            Redis.Resume();
        }

        await Task.WhenAll(receipts.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        (await batches.StoreAsync("after", 60_000, HankoEventNames.UserCreate, [1], null, 0, TimeSpan.FromSeconds(5), CancellationToken.None))
            .Should().NotBeNull("the queue drains: receipts are taken again");
    }

    [Test]
    public async Task DataProtectionCannotProtect_Answered503_LoggedAsStoreFailed_NothingClaimed()
    {
        var provider = new FailingProtection(new EphemeralDataProtectionProvider());
        var prefix = NewPrefix();
        await using var app = await DurableHost.StartAsync(Redis, new FakeHanko(), prefix, new Outcomes(), durable: o => o.Concurrency = 0, services: s => s.AddSingleton<IDataProtectionProvider>(provider));
        var delivery = app.Hanko.CreateDelivery(HankoEventNames.UserCreate);

        provider.Failing = true;
        using var refused = await app.PostAsync(delivery);
        provider.Failing = false;

        refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "the hand-off declines rather than throw");
        app.Logs.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 300)
            .Which.Message.Should().Contain("Data Protection could not protect it: CryptographicException");
        (await Db.KeyExistsAsync($"{{{prefix}}}:claim:" + Deliveries.IdOf(delivery))).Should().BeFalse("nothing was claimed");
        using var again = await app.PostAsync(delivery);
        again.StatusCode.Should().Be(HttpStatusCode.Accepted, "a real copy is stored once the key ring works");
    }

    private static ReceiptBatches Batches(IConnectionMultiplexer multiplexer, string prefix)
    {
        var services = new ServiceCollection().AddSingleton(multiplexer).BuildServiceProvider();
        var connection = new RedisConnection(new HankoRedisOptions { KeyPrefix = prefix }, null, new RedisMultiplexers(), services);
        return new ReceiptBatches(connection, "receipt:test", NullLogger.Instance);
    }

    /// <summary>Data Protection whose protectors throw on Protect while <see cref="Failing"/> (a key ring it cannot read or write).</summary>
    private sealed class FailingProtection(IDataProtectionProvider inner) : IDataProtectionProvider
    {
        public volatile bool Failing;

        public IDataProtector CreateProtector(string purpose) => new Protector(inner.CreateProtector(purpose), this);

        private sealed class Protector(IDataProtector inner, FailingProtection owner) : IDataProtector
        {
            public IDataProtector CreateProtector(string purpose) => new Protector(inner.CreateProtector(purpose), owner);

            public byte[] Protect(byte[] plaintext) => owner.Failing ? throw new CryptographicException("The key ring could not be read.") : inner.Protect(plaintext);

            public byte[] Unprotect(byte[] protectedData) => inner.Unprotect(protectedData);
        }
    }
}
