using FluentAssertions;
using Hanko.Webhooks.Subscriptions.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NUnit.Framework;

namespace Hanko.Webhooks.Subscriptions.Tests.CatchUp;

/// <summary>
/// Refusals: when the watch has seen the hook failing (or disabled) and it delivers again, the window since Hanko's last
/// accepted delivery (<c>expires_at</c> minus 30 days) is caught up once, and the health entry shows it.
/// </summary>
[NonParallelizable]
public sealed class RefusalCatchUpTests : FakeAdminApiTests
{
    [Test]
    public async Task Watch_HookFailsThenDeliversAgain_CatchesUpTheWindowSinceTheLastAcceptedDeliveryOnce()
    {
        var recorder = new CatchUpRecorder();
        Admin.AddUser(DateTimeOffset.UtcNow.AddDays(-1)); // older than the window: not caught up
        await using var app = await SubscriptionApp.StartAsync(
            Hanko,
            Admin,
            o => (o.EnsureOnStart, o.WatchInterval, o.CatchUpRequestsPerSecond) = (true, TimeSpan.FromMilliseconds(300), 1000),
            handlers: b =>
            {
                b.Services.AddSingleton(recorder);
                b.AddHandler<SubscriptionApp.FlakyUserHandler>().AddHandler<CatchUpRecorder.CatchUpHandler>();
            });
        (await app.WaitUntilCheckedAsync()).Status.Should().Be(HealthStatus.Healthy);
        (await Admin.TriggerAsync(HankoEventNames.UserCreate)).Single().Status.Should().Be(200);
        var lastAccepted = Admin.Hooks.Single().ExpiresAt - FakeHankoAdminApi.ExpireDuration;

        app.Switch.Fail = true; // the app's user store is down: Hanko's deliveries fail
        (await Admin.TriggerAsync(HankoEventNames.UserCreate)).Single().Status.Should().Be(500);
        var missed = Admin.AddUser(DateTimeOffset.UtcNow); // a user created while deliveries fail
        (await Admin.TriggerAsync(HankoEventNames.UserCreate)).Single().Status.Should().Be(500);
        await app.WaitForHealthAsync(e => e.Status == HealthStatus.Degraded && (int)e.Data["failures"] > 0, TimeSpan.FromSeconds(5));
        recorder.CaughtUp.Should().BeEmpty("nothing is caught up while the hook still fails");

        app.Switch.Fail = false;
        (await Admin.TriggerAsync(HankoEventNames.UserCreate)).Single().Status.Should().Be(200, "deliveries flow again");
        var health = await app.WaitForHealthAsync(e => e.Data.ContainsKey("lastCatchUpTo"), TimeSpan.FromSeconds(10));

        recorder.CaughtUp.Should().ContainSingle("the user created while deliveries failed, and no one older").Which.UserId.Should().Be(missed);
        recorder.CaughtUp.Single().EventNames.Should().Equal(HankoEventNames.UserCreate);
        ((DateTimeOffset)health.Data["lastCatchUpFrom"]).Should().Be(lastAccepted - TimeSpan.FromMinutes(1), "from the last accepted delivery, less a margin");
        health.Data["lastCatchUpHandedOver"].Should().Be(1);
        app.Logs.GetSnapshot().Should().ContainSingle(r => r.Id.Name == "CatchUpAfterRefusals");

        await Task.Delay(TimeSpan.FromSeconds(1)); // more polls of a healthy hook
        recorder.CaughtUp.Should().HaveCount(1, "the window is caught up once");
        app.Logs.GetSnapshot().Count(r => r.Id.Name == "CatchUpAfterRefusals").Should().Be(1);
    }

    [Test]
    public async Task Watch_HookDisabledThenReenabledAutomatically_CatchesUpTheWindowItWasDisabled()
    {
        var recorder = new CatchUpRecorder();
        await using var app = await SubscriptionApp.StartAsync(
            Hanko,
            Admin,
            o => (o.EnsureOnStart, o.WatchInterval, o.AutoReenable, o.CatchUpRequestsPerSecond) = (true, TimeSpan.FromMilliseconds(300), true, 1000),
            handlers: b =>
            {
                b.Services.AddSingleton(recorder);
                b.AddHandler<SubscriptionApp.FlakyUserHandler>().AddHandler<CatchUpRecorder.CatchUpHandler>();
            });
        await app.WaitUntilCheckedAsync();
        (await Admin.TriggerAsync(HankoEventNames.UserCreate)).Single().Status.Should().Be(200);

        app.Switch.Fail = true;
        for (var i = 0; i < 6; i++)
        {
            (await Admin.TriggerAsync(HankoEventNames.UserCreate)).Single().Status.Should().Be(500);
        }

        Admin.Hooks.Single().Enabled.Should().BeFalse("Hanko disabled it after the 6th failure");
        var missed = Admin.AddUser(DateTimeOffset.UtcNow); // Hanko sends nothing now
        var changed = Admin.AddUser(DateTimeOffset.UtcNow.AddDays(-3));
        Admin.AddEmail(changed, "new@example.com", DateTimeOffset.UtcNow);
        app.Switch.Fail = false;

        var health = await app.WaitForHealthAsync(e => e.Data.ContainsKey("lastCatchUpTo"), TimeSpan.FromSeconds(10));

        health.Status.Should().Be(HealthStatus.Healthy, "re-enabled by the watch");
        recorder.CaughtUp.Select(e => e.UserId).Should().BeEquivalentTo([missed, changed]);
        recorder.CaughtUp.Single(e => e.UserId == changed).EventNames.Should().Equal(HankoEventNames.UserEmailCreate);
        app.Logs.GetSnapshot().Select(r => r.Id.Id).Should().Contain([60, 64, 77]);
    }
}
