using System.Net;
using FluentAssertions;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>The endpoint's answers for repeated deliveries and for a replay cache that is down.</summary>
public sealed class ReplayEndpointTests
{
    [Test]
    public async Task Inline_SameDeliveryTwice_Both200_DispatchedOnce()
    {
        await using var t = await TestApp.StartAsync(h => h.AddHandler<AllEventsHandler>());
        var delivery = t.Hanko.CreateDelivery(HankoEventNames.UserCreate);

        using var first = await t.PostAsync(delivery);
        using var second = await t.PostAsync(delivery);

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        t.Recorder.Calls.Should().ContainSingle();
        t.Logged(40).Should().BeTrue();
    }

    [Test]
    public async Task Inline_HandlerFailed_SecondCopyIsProcessedAgain()
    {
        await using var t = await TestApp.StartAsync(h => h.AddHandler<ThrowingUserCreateHandler>().AddHandler<AllEventsHandler>());
        var delivery = t.Hanko.CreateDelivery(HankoEventNames.UserCreate);

        using var first = await t.PostAsync(delivery);
        using var second = await t.PostAsync(delivery);

        first.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        second.StatusCode.Should().Be(HttpStatusCode.InternalServerError, "the first copy's claim was released, so the second ran the handlers again");
        t.Recorder.Calls.Should().HaveCount(2);
    }

    [Test]
    public async Task Queued_SecondCopy_Is200NotQueuedAgain()
    {
        await using var t = await TestApp.StartAsync(h => h.UseBackgroundProcessing().AddHandler<AllEventsHandler>());
        var delivery = t.Hanko.CreateDelivery(HankoEventNames.UserCreate);

        using var first = await t.PostAsync(delivery);
        using var second = await t.PostAsync(delivery);

        first.StatusCode.Should().Be(HttpStatusCode.Accepted);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        await t.Recorder.WaitForAsync(r => r.Calls.Count == 1, "the queued event is processed");
        await Task.Delay(100);
        t.Recorder.Calls.Should().ContainSingle();
    }

    [Test]
    public async Task Queued_HandlerFailed_ClaimReleased_NextCopyQueuedAgain()
    {
        await using var t = await TestApp.StartAsync(h => h.UseBackgroundProcessing().AddHandler<ThrowingUserCreateHandler>().AddHandler<AllEventsHandler>());
        var delivery = t.Hanko.CreateDelivery(HankoEventNames.UserCreate);

        using var first = await t.PostAsync(delivery);
        await t.Recorder.WaitForAsync(_ => t.Logged(44), "the failed event's claim is released");
        using var second = await t.PostAsync(delivery);

        first.StatusCode.Should().Be(HttpStatusCode.Accepted);
        second.StatusCode.Should().Be(HttpStatusCode.Accepted);
        await t.Recorder.WaitForAsync(r => r.Calls.Count == 2, "both copies are processed");
    }

    [Test]
    public async Task FilteredOnOnePath_StillDispatchedOnAPathThatAcceptsIt()
    {
        await using var t = await TestApp.StartAsync(
            h => h.AddHandler<AllEventsHandler>(),
            map: app =>
            {
                app.MapHankoWebhooks("/mail", o => o.AcceptEvent<EmailSendEvent>());
                app.MapHankoWebhooks("/users", o => o.AcceptEvent<UserEvent>());
            });
        var delivery = t.Hanko.CreateDelivery(HankoEventNames.UserCreate);

        using var ignored = await t.PostAsync(delivery, "/mail");
        using var accepted = await t.PostAsync(delivery, "/users");

        ignored.StatusCode.Should().Be(HttpStatusCode.OK);
        accepted.StatusCode.Should().Be(HttpStatusCode.OK);
        t.Recorder.Calls.Should().ContainSingle("a filtered delivery is not claimed");
    }

    // A Redis that is not there: nothing listens on port 1, and abortConnect=false makes every command fail fast.
    private const string UnreachableRedis = "127.0.0.1:1,abortConnect=false,connectTimeout=200,syncTimeout=500";

    [Test]
    public async Task RedisDown_FailOpen_Default_Dispatches200()
    {
        await using var t = await TestApp.StartAsync(
            h => h.AddHandler<AllEventsHandler>(),
            configure: b => b.Services.AddStackExchangeRedisCache(o => o.Configuration = UnreachableRedis),
            options: o => o.ReplayCacheTimeout = TimeSpan.FromSeconds(1));

        using var response = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserCreate));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        t.Recorder.Calls.Should().ContainSingle();
        t.Logged(41).Should().BeTrue();
    }

    [Test]
    public async Task RedisDown_FailClosed_Answers503_NotDispatched()
    {
        await using var t = await TestApp.StartAsync(
            h => h.AddHandler<AllEventsHandler>(),
            configure: b => b.Services.AddStackExchangeRedisCache(o => o.Configuration = UnreachableRedis),
            options: o => (o.ReplayCacheTimeout, o.ReplayCacheFailureMode) = (TimeSpan.FromSeconds(1), HankoReplayCacheFailureMode.FailClosed));

        using var response = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserCreate));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).Should().Contain("ReplayCheckUnavailable");
        t.Recorder.Calls.Should().BeEmpty();
        t.Logged(42).Should().BeTrue();
    }
}
