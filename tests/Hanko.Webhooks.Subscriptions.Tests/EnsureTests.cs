using FluentAssertions;
using Hanko.Webhooks.Subscriptions.Tests.TestSupport;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NUnit.Framework;

namespace Hanko.Webhooks.Subscriptions.Tests;

/// <summary>Ensuring the hook at start against the fake Admin API: create, update, re-enable, leave alone, one hook for many instances.</summary>
public sealed class EnsureTests : FakeAdminApiTests
{
    private static void Ensure(HankoWebhookSubscriptionOptions o) => o.EnsureOnStart = true;

    [Test]
    public async Task EnsureOnStart_NoHook_CreatesOneWithTheHandlersPlan()
    {
        await using var app = await SubscriptionApp.StartAsync(Hanko, Admin, Ensure);
        var health = await app.WaitUntilCheckedAsync();

        var hook = Admin.Hooks.Should().ContainSingle().Subject;
        hook.Callback.Should().Be(app.Callback);
        hook.EventNames.Should().Equal("email.send", "user");
        hook.Enabled.Should().BeTrue();
        health.Status.Should().Be(HealthStatus.Healthy, health.Description);
        health.Data["hookId"].Should().Be(hook.Id.ToString("D"));
        health.Data["failures"].Should().Be(0);
        health.Data["missingSubscriptions"].Should().BeEquivalentTo(Array.Empty<string>());
        Admin.Requests.Select(r => r.Method).Should().Equal("GET", "POST", "GET");
        app.Logs.GetSnapshot().Select(r => r.Id.Id).Should().Contain([51, 52, 55]);
    }

    [Test]
    public async Task EnsureOnStart_NoEndpointMapped_RegistersNothingLogsWhyAndTheHealthCheckSaysSo()
    {
        await using var app = await SubscriptionApp.StartAsync(Hanko, Admin, o => { o.EnsureOnStart = true; o.WatchInterval = TimeSpan.FromMinutes(5); }, mapEndpoint: false);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        Microsoft.Extensions.Logging.Testing.FakeLogRecord? line;
        while ((line = app.Logs.GetSnapshot().SingleOrDefault(r => r.Id.Id == 70)) is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }

        line.Should().NotBeNull("the ensure at start says why it does nothing");
        line!.Message.Should().Be(
            $"Not ensuring the Hanko webhook for {app.Callback}: no Hanko webhook endpoint is mapped for the Hanko webhooks of AddHankoWebhooks(), so Hanko would post to a URL that answers 404. Call app.MapHankoWebhooks(\"/webhooks/hanko\") after builder.Build().");
        var health = await app.HealthAsync();
        health.Status.Should().Be(HealthStatus.Unhealthy);
        health.Data["endpointMapped"].Should().Be(false);
        health.Description.Should().Contain("is not ensured").And.Contain("app.MapHankoWebhooks(\"/webhooks/hanko\")");
        Admin.Requests.Should().NotContain(r => r.Method == "POST" || r.Method == "PUT", "Hanko must not be given a URL that answers 404");
        Admin.Hooks.Should().BeEmpty();
        app.Logs.GetSnapshot().Should().ContainSingle(r => r.Category == "Hanko.Webhooks" && r.Id.Id == 14, "the core's start-up warning comes too");
    }

    [Test]
    public async Task EnsureOnStart_HookLacksSubscriptions_AddsThemKeepsHandAddedOnesAndReadsBack()
    {
        var seeded = Admin.AddHook("placeholder", ["user.create", "session"]);
        await using var app = await StartWithSeededCallbackAsync(seeded.Id, Ensure);

        var hook = Admin.Hooks.Should().ContainSingle().Subject;
        hook.Id.Should().Be(seeded.Id);
        hook.EventNames.Should().BeEquivalentTo("user.create", "session", "user", "email.send");
        var requests = Admin.Requests.Select(r => $"{r.Method} {r.Path}").ToList();
        requests.Should().ContainInOrder($"PUT /webhooks/{seeded.Id}", $"GET /webhooks/{seeded.Id}");
        app.Logs.GetSnapshot().Should().Contain(r => r.Id.Id == 53 && r.Message.Contains("added email.send, user", StringComparison.Ordinal));
    }

    [Test]
    public async Task EnsureOnStart_RemoveUnhandledEvents_MakesTheEventsExactlyThePlan()
    {
        var seeded = Admin.AddHook("placeholder", ["user.create", "session"]);
        await using var app = await StartWithSeededCallbackAsync(seeded.Id, o => { o.EnsureOnStart = true; o.RemoveUnhandledEvents = true; });

        Admin.Hooks.Single().EventNames.Should().BeEquivalentTo("user", "email.send");
    }

    [Test]
    public async Task EnsureOnStart_DisabledHook_ReenablesItWithFailuresReset()
    {
        var seeded = Admin.AddHook("placeholder", ["user", "email.send"], enabled: false, failures: 6);
        await using var app = await StartWithSeededCallbackAsync(seeded.Id, Ensure);

        var hook = Admin.Hooks.Single();
        hook.Enabled.Should().BeTrue();
        hook.Failures.Should().Be(0);
        hook.ExpiresAt.Should().BeCloseTo(DateTimeOffset.UtcNow + FakeHankoAdminApi.ExpireDuration, TimeSpan.FromMinutes(1));
        app.Logs.GetSnapshot().Should().Contain(r => r.Id.Id == 54 && r.Message.Contains("after 6 failed deliveries", StringComparison.Ordinal));
        (await app.HealthAsync()).Status.Should().Be(HealthStatus.Healthy);
    }

    [Test]
    public async Task EnsureOnStart_HookAlreadyRight_MakesNoChangingRequest()
    {
        var seeded = Admin.AddHook("placeholder", ["user", "email.send", "user.login"], failures: 2);
        await using var app = await StartWithSeededCallbackAsync(seeded.Id, Ensure);

        Admin.Requests.Where(r => r.Method != "GET").Should().BeEmpty("an update would reset failures and expires_at");
        Admin.Hooks.Single().Failures.Should().Be(2);
        var health = await app.HealthAsync();
        health.Status.Should().Be(HealthStatus.Degraded);
        health.Data["failures"].Should().Be(2);
        health.Description.Should().Contain("2 failed deliveries in a row");
        app.Logs.GetSnapshot().Should().Contain(r => r.Id.Id == 55);
    }

    [Test]
    public async Task EnsureOnStart_TwoHostsStartingTogether_LeaveExactlyOneHook()
    {
        Admin.CreateDelay = TimeSpan.FromSeconds(1); // both creates are in flight at once
        const string callback = "http://127.0.0.1:9/webhooks/hanko"; // the public URL both instances sit behind
        var starting = new[]
        {
            SubscriptionApp.StartAsync(Hanko, Admin, Ensure, callback: callback),
            SubscriptionApp.StartAsync(Hanko, Admin, Ensure, callback: callback),
        };
        var apps = await Task.WhenAll(starting);
        try
        {
            var entries = await Task.WhenAll(apps.Select(a => a.WaitUntilCheckedAsync()));

            Admin.Requests.Count(r => r.Method == "POST").Should().Be(2, "both instances found no hook and created one");
            var hook = Admin.Hooks.Should().ContainSingle().Subject;
            hook.EventNames.Should().BeEquivalentTo("user", "email.send");
            entries.Select(e => e.Data["hookId"]).Should().AllBeEquivalentTo(hook.Id.ToString("D"));
            apps.SelectMany(a => a.Logs.GetSnapshot()).Count(r => r.Id.Id == 56).Should().BeInRange(1, 2, "one duplicate was deleted (both may have tried)");
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task EnsureOnStart_DuplicateHooks_KeepsTheOldestWithTheSubscriptionsOfBoth()
    {
        var older = Admin.AddHook("placeholder", ["user"], createdAt: DateTimeOffset.UtcNow.AddDays(-2));
        var newer = Admin.AddHook("placeholder", ["session"], createdAt: DateTimeOffset.UtcNow.AddDays(-1));
        await using var app = await StartWithSeededCallbackAsync(older.Id, Ensure, newer.Id);

        var hook = Admin.Hooks.Should().ContainSingle().Subject;
        hook.Id.Should().Be(older.Id);
        hook.EventNames.Should().BeEquivalentTo("user", "session", "email.send");
    }

    [Test]
    public async Task EnsureOnStart_HankoDoesNotStoreTheUpdate_LogsTheKnownBug()
    {
        Admin.DropEventsOnUpdate = true;
        var seeded = Admin.AddHook("placeholder", ["user"]);
        await using var app = await StartWithSeededCallbackAsync(seeded.Id, Ensure);

        app.Logs.GetSnapshot().Should().Contain(r => r.Id.Id == 67 && r.Message.Contains("#2355", StringComparison.Ordinal));
        var health = await app.HealthAsync();
        health.Status.Should().Be(HealthStatus.Degraded);
        health.Data["missingSubscriptions"].Should().BeEquivalentTo(new[] { "email.send" });
    }

    [Test]
    public async Task EnsureOnStart_ConfigFileHook_MakesNoDatabaseHook()
    {
        const string callback = "http://127.0.0.1:9/webhooks/hanko";
        Admin.AddConfigHook(callback, "user");
        await using var app = await SubscriptionApp.StartAsync(Hanko, Admin, Ensure, callback: callback);
        var health = await app.WaitUntilCheckedAsync();

        Admin.Hooks.Should().BeEmpty();
        health.Status.Should().Be(HealthStatus.Degraded);
        health.Data["source"].Should().Be("config");
        health.Data["missingSubscriptions"].Should().BeEquivalentTo(new[] { "email.send" });
        app.Logs.GetSnapshot().Select(r => r.Id.Id).Should().Contain([57, 58]);
    }

    [Test]
    public async Task EnsureOnStart_AdminApiFails_HostRunsAndHealthSaysWhy()
    {
        Admin.FailNext(10);
        await using var app = await SubscriptionApp.StartAsync(Hanko, Admin, Ensure);
        var health = await app.WaitUntilCheckedAsync();

        health.Status.Should().Be(HealthStatus.Degraded);
        health.Data["lastError"].Should().Be("Hanko's Admin API refused GET webhooks with 500 Internal Server Error: Internal Server Error.");
        app.Logs.GetSnapshot().Should().Contain(r => r.Id.Id == 59);
    }

    /// <summary>Starts an app whose callback is its own endpoint and points the seeded hooks at it first.</summary>
    private async Task<SubscriptionApp> StartWithSeededCallbackAsync(Guid seeded, Action<HankoWebhookSubscriptionOptions> configure, params Guid[] more)
    {
        var callback = $"http://127.0.0.1:{Random.Shared.Next(20000, 60000)}{SubscriptionApp.Path}";
        foreach (var id in more.Prepend(seeded))
        {
            Admin.Mutate(id, h => h.Callback = callback);
        }

        var app = await SubscriptionApp.StartAsync(Hanko, Admin, configure, callback: callback);
        await app.WaitUntilCheckedAsync();
        return app;
    }
}
