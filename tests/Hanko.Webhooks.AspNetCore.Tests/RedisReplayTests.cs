using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>
/// Two receiver instances (two hosts) sharing a real Redis through <c>AddStackExchangeRedisCache</c>, as in production with
/// several instances behind a load balancer.
/// </summary>
[NonParallelizable]
public sealed class RedisReplayTests
{
    private RedisServer _redis = null!;

    [OneTimeSetUp]
    public void StartRedis() => _redis = RedisServer.StartOrIgnore();

    [OneTimeTearDown]
    public void StopRedis() => _redis?.Dispose();

    private Task<TestApp> StartInstanceAsync(FakeHanko hanko, string instanceName, Action<HankoWebhooksBuilder> handlers) =>
        TestApp.StartAsync(
            handlers,
            configure: b => b.Services.AddStackExchangeRedisCache(o => (o.Configuration, o.InstanceName) = (_redis.Configuration, instanceName)),
            hanko: hanko);

    [Test]
    public async Task SameDelivery_PostedToBothInstances_IsDispatchedExactlyOnce()
    {
        var hanko = new FakeHanko();
        var prefix = $"t{Guid.NewGuid():N}:";
        await using var a = await StartInstanceAsync(hanko, prefix, h => h.AddHandler<AllEventsHandler>());
        await using var b = await StartInstanceAsync(hanko, prefix, h => h.AddHandler<AllEventsHandler>());
        var deliveries = Enumerable.Range(0, 20)
            .Select(i => hanko.CreateDelivery(HankoEventNames.UserLogin, o => o.EditData = d => d["id"] = Guid.NewGuid().ToString()))
            .ToList();

        for (var i = 0; i < deliveries.Count; i++)
        {
            var (first, second) = i % 2 == 0 ? (a, b) : (b, a);
            using var r1 = await first.PostAsync(deliveries[i]);
            using var r2 = await second.PostAsync(deliveries[i]);
            r1.StatusCode.Should().Be(HttpStatusCode.OK);
            r2.StatusCode.Should().Be(HttpStatusCode.OK, "a repeat is acknowledged");
        }

        var dispatched = a.Recorder.Calls.Concat(b.Recorder.Calls).Select(c => c.Event.DeliveryId).ToList();
        dispatched.Should().HaveCount(20).And.OnlyHaveUniqueItems();
        a.Recorder.Calls.Should().HaveCount(10);
        b.Recorder.Calls.Should().HaveCount(10);
        a.Logged(40).Should().BeTrue();
        b.Logged(40).Should().BeTrue();

        // The entry lives in Redis until exp + skew: at most 5 min 30 s, and most of that is left.
        var ttl = _redis.Command("TTL", prefix + "Hanko.Webhooks:delivery:" + dispatched[0]);
        ttl.Should().StartWith(":");
        int.Parse(ttl[1..], System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(300, 330);
    }

    [Test]
    public async Task HandlerFailsOnOneInstance_ClaimReleased_TheOtherInstanceProcessesTheCopy()
    {
        var hanko = new FakeHanko();
        var prefix = $"t{Guid.NewGuid():N}:";
        await using var a = await StartInstanceAsync(hanko, prefix, h => h.AddHandler<ThrowingUserCreateHandler>());
        await using var b = await StartInstanceAsync(hanko, prefix, h => h.AddHandler<AllEventsHandler>());
        var delivery = hanko.CreateDelivery(HankoEventNames.UserCreate);

        using var failed = await a.PostAsync(delivery);
        using var processed = await b.PostAsync(delivery);
        using var repeat = await a.PostAsync(delivery);

        failed.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        processed.StatusCode.Should().Be(HttpStatusCode.OK);
        b.Recorder.Calls.Should().ContainSingle();
        repeat.StatusCode.Should().Be(HttpStatusCode.OK, "instance b kept its claim in Redis");
    }

    [Test]
    public async Task QueuedOnOneInstance_CopyOnTheOther_IsADuplicate()
    {
        var hanko = new FakeHanko();
        var prefix = $"t{Guid.NewGuid():N}:";
        await using var a = await StartInstanceAsync(hanko, prefix, h => h.UseBackgroundProcessing().AddHandler<AllEventsHandler>());
        await using var b = await StartInstanceAsync(hanko, prefix, h => h.UseBackgroundProcessing().AddHandler<AllEventsHandler>());
        var delivery = hanko.CreateDelivery(HankoEventNames.SessionCreateFlow);

        using var queued = await a.PostAsync(delivery);
        using var copy = await b.PostAsync(delivery);

        queued.StatusCode.Should().Be(HttpStatusCode.Accepted);
        copy.StatusCode.Should().Be(HttpStatusCode.OK, "the claim was taken when a queued the event");
        await a.Recorder.WaitForAsync(r => r.Calls.Count == 1, "a processes its queued event");
        b.Recorder.Calls.Should().BeEmpty();
    }
}
