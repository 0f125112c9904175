using System.Security.Cryptography;
using FluentAssertions;
using Hanko.Webhooks.Receiving;
using Hanko.Webhooks.Tests.TestSupport;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Internal;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Receiving;

/// <summary>The receiving pipeline and its replay guard, with the in-memory default cache unless a test says otherwise.</summary>
public sealed class HankoWebhookReceiverTests
{
    [Test]
    public async Task DeliveryId_IsSha256HexOfTheDecodedSignature_SameForTheSameToken()
    {
        await using var h = ReceiverHarness.Create();
        var delivery = h.Hanko.CreateDelivery(HankoEventNames.UserCreate);
        var other = h.Hanko.CreateDelivery(HankoEventNames.UserCreate, o => o.IssuedAt = VerifierHarness.Start.AddSeconds(-1));
        var verifier = h.Provider.GetRequiredService<IHankoWebhookVerifier>();

        var first = (await verifier.VerifyAsync(delivery.BodyBytes)).Event!;
        var again = (await verifier.VerifyTokenAsync(delivery.Token)).Event!;
        var different = (await verifier.VerifyAsync(other.BodyBytes)).Event!;

        var signature = delivery.Token[(delivery.Token.LastIndexOf('.') + 1)..].Replace('-', '+').Replace('_', '/');
        signature += new string('=', (4 - (signature.Length % 4)) % 4);
        first.DeliveryId.Should().Be(Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(signature))));
        again.DeliveryId.Should().Be(first.DeliveryId);
        different.DeliveryId.Should().NotBe(first.DeliveryId).And.HaveLength(64);
    }

    [Test]
    public async Task ReceiveAsync_Duplicate_IsCountedAsAReplayAndAsAnUndispatchedDelivery()
    {
        await using var h = ReceiverHarness.Create();
        using var telemetry = new TelemetryCapture();
        var delivery = h.Hanko.CreateDelivery(HankoEventNames.SessionCreateFlow);

        await h.Receiver.ReceiveAsync(delivery.BodyBytes);
        await h.Receiver.ReceiveAsync(delivery.BodyBytes);
        await h.Receiver.ReceiveAsync(delivery.BodyBytes);

        telemetry.Sum("hanko.webhooks.replays", ("hanko.webhook.event", "session.create.flow")).Should().Be(2);
        telemetry.Sum("hanko.webhooks.deliveries", ("hanko.webhook.outcome", "duplicate")).Should().Be(2);
        telemetry.Sum("hanko.webhooks.deliveries", ("hanko.webhook.outcome", "handled")).Should().Be(1);
    }

    [Test]
    public async Task ReceiveAsync_SameDeliveryTwice_InMemoryDefault_DispatchesOnceAndLogsTheRepeat()
    {
        await using var h = ReceiverHarness.Create();
        h.Provider.GetRequiredService<IDistributedCache>().Should().BeOfType<MemoryDistributedCache>("no cache was registered, so the in-memory default is used");
        var delivery = h.Hanko.CreateDelivery(HankoEventNames.UserLogin);

        var first = await h.Receiver.ReceiveAsync(delivery.BodyBytes);
        var second = await h.Receiver.ReceiveAsync(delivery.BodyBytes);
        var escaped = await h.Receiver.ReceiveAsync(delivery.WithBody(delivery.Body.Replace("\"token\":\"e", "\"token\":\"\\u0065", StringComparison.Ordinal)).BodyBytes);

        first.Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        first.Dispatch!.Succeeded.Should().BeTrue();
        second.Outcome.Should().Be(HankoReceiveOutcome.Duplicate);
        second.Event!.DeliveryId.Should().Be(first.Event!.DeliveryId);
        escaped.Outcome.Should().Be(HankoReceiveOutcome.Duplicate, "the same token written with a JSON escape is the same delivery");
        h.Counter.Total.Should().Be(1);
        var log = h.Logs.GetSnapshot().Where(r => r.Id.Id == 40).ToList();
        log.Should().HaveCount(2);
        log[0].Message.Should().Contain("user.login").And.Contain(first.Event.DeliveryId).And.NotContain(delivery.Token[..40]);
    }

    [Test]
    public async Task ReceiveAsync_CopyWithWhitespaceInTheSignature_IsRefusedNotDispatchedAgain()
    {
        await using var h = ReceiverHarness.Create();
        var delivery = h.Hanko.CreateDelivery(HankoEventNames.UserLogin);
        var dot = delivery.Token.LastIndexOf('.');
        var spaced = delivery.Token[..(dot + 10)] + "\\n " + delivery.Token[(dot + 10)..]; // a base64 decoder would skip it

        var first = await h.Receiver.ReceiveAsync(delivery.BodyBytes);
        var copy = await h.Receiver.ReceiveAsync(delivery.WithBody($"{{\"token\":\"{spaced}\",\"event\":\"user.login\"}}").BodyBytes);

        first.Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        copy.Outcome.Should().Be(HankoReceiveOutcome.Refused);
        copy.Verification.Failure.Should().Be(HankoWebhookFailure.MalformedToken, "a compact JWS has no whitespace");
        h.Counter.Total.Should().Be(1);
    }

    [Test]
    public async Task ReceiveAsync_TwoDistinctDeliveries_BothDispatched()
    {
        await using var h = ReceiverHarness.Create();

        (await h.Receiver.ReceiveAsync(h.Hanko.CreateDelivery(HankoEventNames.UserLogin).BodyBytes)).Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        (await h.Receiver.ReceiveAsync(h.Hanko.CreateDelivery(HankoEventNames.UserLogin, o => o.EditData = d => d["id"] = Guid.NewGuid().ToString()).BodyBytes))
            .Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        h.Counter.Total.Should().Be(2);
    }

    [Test]
    public async Task ReceiveAsync_ConcurrentCopiesInOneInstance_DispatchOnce()
    {
        await using var h = ReceiverHarness.Create();
        h.Counter.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var delivery = h.Hanko.CreateDelivery(HankoEventNames.SessionCreateFlow);

        var copies = Enumerable.Range(0, 32).Select(_ => Task.Run(async () => await h.Receiver.ReceiveAsync(delivery.BodyBytes))).ToArray();
        (await h.Counter.Entered.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        await Task.Delay(100);
        h.Counter.Gate.SetResult();
        var results = await Task.WhenAll(copies);

        results.Count(r => r.Outcome == HankoReceiveOutcome.Dispatched).Should().Be(1);
        results.Count(r => r.Outcome == HankoReceiveOutcome.Duplicate).Should().Be(31);
        h.Counter.Total.Should().Be(1);
        ((HankoWebhookReceiver)h.Receiver).Guard!.InFlightCount.Should().Be(0);
    }

    [Test]
    public async Task ReceiveAsync_HandlerFails_ClaimReleased_SoTheNextCopyIsDispatched()
    {
        await using var h = ReceiverHarness.Create();
        var delivery = h.Hanko.CreateDelivery(HankoEventNames.UserCreate);
        h.Counter.FailNext = 1;

        var failed = await h.Receiver.ReceiveAsync(delivery.BodyBytes);
        var retried = await h.Receiver.ReceiveAsync(delivery.BodyBytes);
        var repeat = await h.Receiver.ReceiveAsync(delivery.BodyBytes);

        failed.Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        failed.Dispatch!.Succeeded.Should().BeFalse();
        retried.Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        retried.Dispatch!.Succeeded.Should().BeTrue();
        repeat.Outcome.Should().Be(HankoReceiveOutcome.Duplicate);
        h.Counter.Total.Should().Be(2);
    }

    [Test]
    public async Task ReceiveAsync_SetThatStoredButFailed_HandlerFails_MarkerIsRemovedSoTheNextCopyIsDispatched()
    {
        var cache = new StoreThenThrowCache(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        await using var h = ReceiverHarness.Create(services: s => s.AddSingleton<IDistributedCache>(cache));
        var delivery = h.Hanko.CreateDelivery(HankoEventNames.UserCreate);
        h.Counter.FailNext = 1;

        var failed = await h.Receiver.ReceiveAsync(delivery.BodyBytes);
        cache.Healthy = true;
        var retried = await h.Receiver.ReceiveAsync(delivery.BodyBytes);

        failed.Dispatch!.Succeeded.Should().BeFalse("fail open dispatched it although the cache reported a failure");
        retried.Outcome.Should().Be(HankoReceiveOutcome.Dispatched, "the marker the failed set had stored was removed");
        h.Counter.Total.Should().Be(2);
    }

    /// <summary>Stores the entry, then reports a failure (as a client timeout after the server applied the write would).</summary>
    private sealed class StoreThenThrowCache(IDistributedCache inner) : IDistributedCache
    {
        public bool Healthy { get; set; }

        public byte[]? Get(string key) => inner.Get(key);

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => inner.GetAsync(key, token);

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => inner.Set(key, value, options);

        public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            await inner.SetAsync(key, value, options, token);
            if (!Healthy)
            {
                throw new TimeoutException("the answer was lost");
            }
        }

        public void Refresh(string key) => inner.Refresh(key);

        public Task RefreshAsync(string key, CancellationToken token = default) => inner.RefreshAsync(key, token);

        public void Remove(string key) => inner.Remove(key);

        public Task RemoveAsync(string key, CancellationToken token = default) => inner.RemoveAsync(key, token);
    }

    [Test]
    public async Task ReceiveAsync_CopyWaitingWhileTheFirstFails_IsDispatchedAfterIt()
    {
        await using var h = ReceiverHarness.Create();
        h.Counter.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Counter.FailNext = 1;
        var delivery = h.Hanko.CreateDelivery(HankoEventNames.UserCreate);

        var first = h.Receiver.ReceiveAsync(delivery.BodyBytes).AsTask();
        (await h.Counter.Entered.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        var second = h.Receiver.ReceiveAsync(delivery.BodyBytes).AsTask();
        await Task.Delay(50);
        second.IsCompleted.Should().BeFalse("the copy waits for the first's outcome");
        h.Counter.Gate.SetResult();

        (await first).Dispatch!.Succeeded.Should().BeFalse();
        (await second).Dispatch!.Succeeded.Should().BeTrue("the first was released, so the waiting copy is processed");
    }

    [Test]
    public async Task ReceiveAsync_ReplayProtectionOff_DispatchesEveryCopy()
    {
        await using var h = ReceiverHarness.Create(o => o.ReplayProtection = false);
        var delivery = h.Hanko.CreateDelivery(HankoEventNames.UserCreate);

        (await h.Receiver.ReceiveAsync(delivery.BodyBytes)).Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        (await h.Receiver.ReceiveAsync(delivery.BodyBytes)).Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        h.Counter.Total.Should().Be(2);
    }

    [Test]
    public async Task ReceiveAsync_Refused_IsNotClaimedNorDispatched()
    {
        var cache = new RecordingCache(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        await using var h = ReceiverHarness.Create(services: s => s.AddSingleton<IDistributedCache>(cache));

        var result = await h.Receiver.ReceiveAsync(h.Hanko.CreateTamperedPayloadDelivery().BodyBytes);

        result.Outcome.Should().Be(HankoReceiveOutcome.Refused);
        result.Verification.Failure.Should().Be(HankoWebhookFailure.BadSignature);
        cache.Writes.Should().BeEmpty();
        h.Counter.Total.Should().Be(0);
    }

    [Test]
    public async Task ReceiveAsync_IgnoredByTheFilter_IsNotClaimed_SoAnAcceptingCallStillDispatches()
    {
        await using var h = ReceiverHarness.Create();
        var delivery = h.Hanko.CreateDelivery(HankoEventNames.UserCreate);

        var ignored = await h.Receiver.ReceiveAsync(delivery.BodyBytes, new HankoReceiveOptions { Accept = e => e is EmailSendEvent });
        var accepted = await h.Receiver.ReceiveAsync(delivery.BodyBytes);

        ignored.Outcome.Should().Be(HankoReceiveOutcome.Ignored);
        accepted.Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        h.Counter.Total.Should().Be(1);
    }

    [Test]
    public async Task Claim_LivesUntilExpiryPlusClockSkew_ThenTheTokenIsRefusedAsExpired()
    {
        await using var h = ReceiverHarness.Create(
            o => o.ClockSkew = TimeSpan.FromSeconds(30),
            s => s.AddSingleton<IDistributedCache>(sp => new RecordingCache(new MemoryDistributedCache(
                Options.Create(new MemoryDistributedCacheOptions { Clock = new FakeClock(sp.GetRequiredService<TimeProvider>()) })))));
        var cache = (RecordingCache)h.Provider.GetRequiredService<IDistributedCache>();
        var delivery = h.Hanko.CreateDelivery(HankoEventNames.UserCreate); // iat = Start, exp = Start + 5 min
        h.Time.Advance(TimeSpan.FromSeconds(20));

        (await h.Receiver.ReceiveAsync(delivery.BodyBytes)).Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        var (key, entry) = cache.Writes.Should().ContainSingle().Subject;
        key.Should().StartWith("Hanko.Webhooks:delivery:");
        entry.AbsoluteExpirationRelativeToNow.Should().Be(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(30) - TimeSpan.FromSeconds(20));

        var justBefore = TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(29) - TimeSpan.FromSeconds(20);
        h.Time.Advance(justBefore);
        (await h.Receiver.ReceiveAsync(delivery.BodyBytes)).Outcome.Should().Be(HankoReceiveOutcome.Duplicate, "one second before exp + skew the entry is still there");

        h.Time.Advance(TimeSpan.FromSeconds(2));
        (await cache.GetAsync(key)).Should().BeNull("the entry expired at exp + skew");
        var late = await h.Receiver.ReceiveAsync(delivery.BodyBytes);
        late.Outcome.Should().Be(HankoReceiveOutcome.Refused);
        late.Verification.Failure.Should().Be(HankoWebhookFailure.Expired, "after exp + skew the verifier refuses the token, so nothing can replay it");
    }

    [Test]
    public async Task CopyHalfASecondPastExpPlusSkew_WhenTheCacheHasForgottenIt_IsRefusedNotDispatchedAgain()
    {
        await using var h = ReceiverHarness.Create(
            o => o.ClockSkew = TimeSpan.FromSeconds(30),
            s => s.AddSingleton<IDistributedCache>(sp => new MemoryDistributedCache(
                Options.Create(new MemoryDistributedCacheOptions { Clock = new FakeClock(sp.GetRequiredService<TimeProvider>()) }))));
        var delivery = h.Hanko.CreateDelivery(HankoEventNames.UserCreate); // exp = Start + 5 min
        (await h.Receiver.ReceiveAsync(delivery.BodyBytes)).Outcome.Should().Be(HankoReceiveOutcome.Dispatched);

        h.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(30) + TimeSpan.FromMilliseconds(500));
        var copy = await h.Receiver.ReceiveAsync(delivery.BodyBytes);

        copy.Outcome.Should().Be(HankoReceiveOutcome.Refused, "the cache forgot the delivery at exp + skew, so the verifier must refuse it from that instant");
        copy.Verification.Failure.Should().Be(HankoWebhookFailure.Expired);
        h.Counter.Total.Should().Be(1);
    }

    [Test]
    public async Task TokenExpiringAtTheEndOfTime_IsStillRecognisedAsARepeat()
    {
        // exp = 9999-12-31T23:59:59Z, the last second DateTimeOffset holds: exp + skew overflowed, the claim failed and
        // fail-open dispatched every copy.
        await using var h = ReceiverHarness.Create();
        h.Time.AdjustTime(DateTimeOffset.FromUnixTimeSeconds(253402300799 - 300));
        var delivery = h.Hanko.CreateDelivery(HankoEventNames.UserCreate);

        var first = await h.Receiver.ReceiveAsync(delivery.BodyBytes);
        var second = await h.Receiver.ReceiveAsync(delivery.BodyBytes);

        first.Outcome.Should().Be(HankoReceiveOutcome.Dispatched, first.Verification.FailureMessage);
        second.Outcome.Should().Be(HankoReceiveOutcome.Duplicate);
        h.Counter.Total.Should().Be(1);
        h.Logged(41).Should().BeFalse("the replay cache did not fail");
    }

    [TestCase(false, TestName = "CacheThrows_FailOpen_DispatchesAndLogs")]
    [TestCase(true, TestName = "CacheHangs_FailOpen_DispatchesAfterTheTimeoutAndLogs")]
    public async Task CacheFailure_FailOpen(bool hang)
    {
        var cache = new BrokenCache(hang);
        await using var h = ReceiverHarness.Create(o => o.ReplayCacheTimeout = TimeSpan.FromMilliseconds(100), s => s.AddSingleton<IDistributedCache>(cache));
        var delivery = h.Hanko.CreateDelivery(HankoEventNames.UserCreate);

        var first = await h.Receiver.ReceiveAsync(delivery.BodyBytes);
        var second = await h.Receiver.ReceiveAsync(delivery.BodyBytes);

        first.Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        second.Outcome.Should().Be(HankoReceiveOutcome.Dispatched, "with the cache down a repeat cannot be recognised; fail open prefers a duplicate to a lost event");
        h.Counter.Total.Should().Be(2);
        h.Logged(41).Should().BeTrue();
        cache.Calls.Should().BeGreaterThan(0);
    }

    [TestCase(false, TestName = "CacheThrows_FailClosed_NotDispatched")]
    [TestCase(true, TestName = "CacheHangs_FailClosed_NotDispatched")]
    public async Task CacheFailure_FailClosed(bool hang)
    {
        await using var h = ReceiverHarness.Create(
            o => (o.ReplayCacheTimeout, o.ReplayCacheFailureMode) = (TimeSpan.FromMilliseconds(100), HankoReplayCacheFailureMode.FailClosed),
            s => s.AddSingleton<IDistributedCache>(new BrokenCache(hang)));

        var result = await h.Receiver.ReceiveAsync(h.Hanko.CreateDelivery(HankoEventNames.UserCreate).BodyBytes);

        result.Outcome.Should().Be(HankoReceiveOutcome.ReplayCheckUnavailable);
        result.Event.Should().BeOfType<UserCreateEvent>();
        h.Counter.Total.Should().Be(0);
        h.Logged(41).Should().BeTrue();
        h.Logged(42).Should().BeTrue();
        ((HankoWebhookReceiver)h.Receiver).Guard!.InFlightCount.Should().Be(0);
    }

    [Test]
    public async Task CacheFailure_FailOpen_ConcurrentCopiesInOneInstance_StillDispatchOnce()
    {
        await using var h = ReceiverHarness.Create(services: s => s.AddSingleton<IDistributedCache>(new BrokenCache(hang: false)));
        h.Counter.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var delivery = h.Hanko.CreateDelivery(HankoEventNames.UserCreate);

        var copies = Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await h.Receiver.ReceiveAsync(delivery.BodyBytes))).ToArray();
        (await h.Counter.Entered.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        await Task.Delay(100);
        h.Counter.Gate.SetResult();
        var results = await Task.WhenAll(copies);

        results.Count(r => r.Outcome == HankoReceiveOutcome.Dispatched).Should().Be(1, "the in-process check does not need the cache");
        h.Counter.Total.Should().Be(1);
    }

    [Test]
    public async Task AppRegisteredCache_IsUsedInsteadOfTheDefault_WhicheverComesFirst()
    {
        var mine = new RecordingCache(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        var services = new ServiceCollection().AddLogging();
        services.AddHankoWebhooks(o => o.JwksUrl = "https://hanko.test/.well-known/jwks.json");
        services.AddSingleton<IDistributedCache>(mine); // after AddHankoWebhooks, as AddStackExchangeRedisCache would be
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IDistributedCache>().Should().BeSameAs(mine);
    }

#pragma warning disable CS0618 // ISystemClock is how MemoryDistributedCache takes a clock in the 8.0 package.
    private sealed class FakeClock(TimeProvider time) : ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
#pragma warning restore CS0618
}
