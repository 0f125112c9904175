using System.Diagnostics;
using FluentAssertions;
using Hanko.Webhooks.Subscriptions.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using NUnit.Framework;

namespace Hanko.Webhooks.Subscriptions.Tests;

/// <summary>
/// The watch against the fake Admin API, which delivers real signed events to the app's real endpoint and disables the
/// hook after six failures in a row, as Hanko's worker does.
/// </summary>
[NonParallelizable]
public sealed class WatchTests : FakeAdminApiTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [Test]
    public async Task Watch_SixFailedDeliveries_HealthyToUnhealthyWithinOneInterval_ManualReenableRecovers()
    {
        using var disabled = new MetricCollector<long>(null, HankoWebhooksDiagnostics.MeterName, "hanko.webhooks.subscription.disabled");
        await using var app = await SubscriptionApp.StartAsync(Hanko, Admin, o => { o.EnsureOnStart = true; o.WatchInterval = Interval; });
        (await app.WaitUntilCheckedAsync()).Status.Should().Be(HealthStatus.Healthy);
        (await Admin.TriggerAsync(HankoEventNames.UserCreate)).Single().Status.Should().Be(200, "the app handles the event");

        app.Switch.Fail = true;
        for (var i = 1; i <= 6; i++)
        {
            (await Admin.TriggerAsync(HankoEventNames.UserCreate)).Single().Status.Should().Be(500);
            Admin.Hooks.Single().Enabled.Should().Be(i < 6, $"Hanko disables the hook at the 6th failure, not before (failure {i})");
        }

        var clock = Stopwatch.StartNew();
        var health = await app.WaitForHealthAsync(e => e.Status == HealthStatus.Unhealthy, TimeSpan.FromSeconds(5));
        clock.Elapsed.Should().BeLessThan(Interval * 1.1 + TimeSpan.FromMilliseconds(500), "one (jittered) interval and the poll itself");
        health.Data["enabled"].Should().Be(false);
        health.Data["failures"].Should().Be(6);
        health.Description.Should().Contain("disabled").And.Contain("lost");
        app.Logs.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 60);
        disabled.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(1);
        (await Admin.TriggerAsync(HankoEventNames.UserCreate)).Should().BeEmpty("Hanko sends nothing to a disabled hook");

        // Re-enable by hand through the client, as an operator would after fixing the cause.
        app.Switch.Fail = false;
        var hook = Admin.Hooks.Single();
        var api = app.App.Services.GetRequiredService<IHankoWebhookSubscriptions>();
        await api.UpdateAsync(hook.Id, hook.Callback, hook.EventNames, enabled: true);
        (await app.WaitForHealthAsync(e => e.Status == HealthStatus.Healthy, TimeSpan.FromSeconds(5))).Data["failures"].Should().Be(0);
        app.Logs.GetSnapshot().Should().Contain(r => r.Id.Id == 69);
        (await Admin.TriggerAsync(HankoEventNames.UserCreate)).Single().Status.Should().Be(200);
    }

    [Test]
    public async Task Watch_AutoReenable_RepairsOnceThenWaitsForTheMinimumInterval()
    {
        using var repairs = new MetricCollector<long>(null, HankoWebhooksDiagnostics.MeterName, "hanko.webhooks.subscription.repairs");
        await using var app = await SubscriptionApp.StartAsync(Hanko, Admin, o =>
        {
            o.EnsureOnStart = true;
            o.WatchInterval = Interval;
            o.AutoReenable = true;
        });
        await app.WaitUntilCheckedAsync();

        app.Switch.Fail = true;
        await FailSixTimesAsync();
        app.Switch.Fail = false;
        var health = await app.WaitForHealthAsync(e => e.Data.ContainsKey("lastRepairAt"), TimeSpan.FromSeconds(5));
        health.Status.Should().Be(HealthStatus.Healthy, health.Description);
        Admin.Hooks.Single().Enabled.Should().BeTrue();
        app.Logs.GetSnapshot().Select(r => r.Id.Id).Should().Contain([60, 64, 54]);
        repairs.GetMeasurementSnapshot().Should().ContainSingle();
        (await Admin.TriggerAsync(HankoEventNames.UserCreate)).Single().Status.Should().Be(200, "deliveries flow again");

        // Disabled again within the minimum interval: reported, not repaired.
        app.Switch.Fail = true;
        await FailSixTimesAsync();
        health = await app.WaitForHealthAsync(e => e.Status == HealthStatus.Unhealthy, TimeSpan.FromSeconds(5));
        await Task.Delay(Interval * 1.5);
        (await app.HealthAsync()).Status.Should().Be(HealthStatus.Unhealthy);
        Admin.Hooks.Single().Enabled.Should().BeFalse();
        var heldBack = app.Logs.GetSnapshot().First(r => r.Id.Id == 65);
        var times = System.Text.RegularExpressions.Regex.Match(heldBack.Message, "repair was at (\\S+); the next is possible after (\\S+)\\.$");
        times.Success.Should().BeTrue(heldBack.Message);
        var repairedAt = DateTimeOffset.Parse(times.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var nextAt = DateTimeOffset.Parse(times.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        (nextAt - repairedAt).Should().Be(TimeSpan.FromHours(1), "automatic repairs are at least an hour apart");
        repairs.GetMeasurementSnapshot().Should().ContainSingle();
    }

    [Test]
    public async Task Watch_HookDeleted_Unhealthy()
    {
        await using var app = await SubscriptionApp.StartAsync(Hanko, Admin, o => { o.EnsureOnStart = true; o.WatchInterval = Interval; });
        await app.WaitUntilCheckedAsync();

        await app.App.Services.GetRequiredService<IHankoWebhookSubscriptions>().DeleteAsync(Admin.Hooks.Single().Id);

        var health = await app.WaitForHealthAsync(e => e.Status == HealthStatus.Unhealthy, TimeSpan.FromSeconds(5));
        health.Description.Should().Contain("No Hanko webhook delivers to");
        health.Data["missingSubscriptions"].Should().BeEquivalentTo(new[] { "email.send", "user" });
        app.Logs.GetSnapshot().Should().Contain(r => r.Id.Id == 61);
    }

    [Test]
    public async Task HealthCheck_WithoutWatch_ReportsFailuresAndNearExpiryAsDegraded()
    {
        var callback = "http://127.0.0.1:9/webhooks/hanko";
        var expiresAt = DateTimeOffset.UtcNow.AddDays(2);
        var hook = Admin.AddHook(callback, ["user", "email.send"], failures: 3, expiresAt: expiresAt);
        await using var app = await SubscriptionApp.StartAsync(Hanko, Admin, callback: callback);

        var health = await app.HealthAsync();

        health.Status.Should().Be(HealthStatus.Degraded);
        health.Data["hookId"].Should().Be(hook.Id.ToString("D"));
        health.Data["failures"].Should().Be(3);
        ((DateTimeOffset)health.Data["expiresAt"]).Should().BeCloseTo(expiresAt, TimeSpan.FromMilliseconds(1));
        health.Description.Should().Contain("3 failed deliveries").And.Contain("expires at");
        Admin.Requests.Should().ContainSingle("the check asked Hanko once");
        await app.HealthAsync();
        Admin.Requests.Should().ContainSingle("a second probe within five minutes reuses the observation");
    }

    [Test]
    public async Task HealthCheck_WithoutCallbackUrl_IsDegraded_AndSaysWhatToSet_NotAPermanentHealthy()
    {
        await using var app = await SubscriptionApp.StartAsync(Hanko, Admin, configure: o => o.CallbackUrl = null);

        var health = await app.HealthAsync();

        health.Status.Should().Be(HealthStatus.Degraded, "a check that has nothing to look at cannot say Hanko delivers");
        health.Description.Should().Contain("No Hanko:Webhooks:Subscriptions:CallbackUrl is set").And.Contain("cannot tell whether Hanko delivers");
        health.Data["callbackUrlSet"].Should().Be(false);
        Admin.Requests.Should().BeEmpty("there is no hook to ask about");
    }

    private async Task FailSixTimesAsync()
    {
        for (var i = 0; i < 6; i++)
        {
            (await Admin.TriggerAsync(HankoEventNames.UserCreate)).Single().Status.Should().Be(500);
        }

        Admin.Hooks.Single().Enabled.Should().BeFalse();
    }
}
