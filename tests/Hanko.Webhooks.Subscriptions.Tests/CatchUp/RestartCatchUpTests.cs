using FluentAssertions;
using Hanko.Webhooks.Subscriptions.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Hanko.Webhooks.Subscriptions.Tests.CatchUp;

/// <summary>
/// Catch-up across restarts on a real redis-server (the store <c>UseRedis()</c> gives the SDK) against the fake Admin API:
/// a heartbeat while the app runs, the window since it at the next start, handed over once across instances, stops and
/// Admin API failures.
/// </summary>
public sealed class RestartCatchUpTests
{
    private static readonly RestartCatchUpTimings Fast = new()
    {
        HeartbeatInterval = TimeSpan.FromMilliseconds(200),
        Margin = TimeSpan.FromMilliseconds(300),
        PendingLeaseRetry = TimeSpan.FromMilliseconds(20),
    };

    private RedisServer _redis = null!;
    private FakeHanko _hanko = null!;
    private FakeHankoAdminApi _admin = null!;
    private string _prefix = null!;

    [OneTimeSetUp]
    public void StartRedis() => _redis = RedisServer.StartOrIgnore();

    [OneTimeTearDown]
    public void StopRedis() => _redis?.Dispose();

    [SetUp]
    public async Task StartAsync()
    {
        _prefix = "restart-" + Guid.NewGuid().ToString("N");
        _hanko = new FakeHanko();
        _admin = await FakeHankoAdminApi.StartAsync(_hanko);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _admin.DisposeAsync();
        _hanko.Dispose();
    }

    private Task<SubscriptionApp> StartAppAsync(CatchUpRecorder recorder, bool redis = true, int requestsPerSecond = 1000, bool keysCheck = false) => SubscriptionApp.StartAsync(
        _hanko,
        _admin,
        o => o.CatchUpRequestsPerSecond = requestsPerSecond,
        handlers: b =>
        {
            b.Services.AddSingleton(recorder).AddSingleton(Fast);
            CatchUpRecorder.AddHandlers(b);
            if (keysCheck)
            {
                b.AddHealthCheck();
            }

            if (redis)
            {
                b.UseRedis(o => (o.Configuration, o.KeyPrefix) = (_redis.Configuration, _prefix));
            }
        });

    /// <summary>Runs an app until it has recorded its first heartbeat and a few more, then stops it.</summary>
    private async Task RunOnceAsync()
    {
        var recorder = new CatchUpRecorder();
        await using var app = await StartAppAsync(recorder);
        await WaitForAsync(() => app.Logs.GetSnapshot().Any(r => r.Id.Id is 79 or 80), "the first start's heartbeat");
        await Task.Delay(Fast.HeartbeatInterval * 3);
    }

    private (Guid Created, Guid Changed, Guid Deleted, Guid LoggedIn) ChangeUsersWhileDown(DateTimeOffset longAgo)
    {
        var changed = _admin.AddUser(longAgo);
        var deleted = _admin.AddUser(longAgo);
        var loggedIn = _admin.AddUser(longAgo);
        var now = DateTimeOffset.UtcNow;
        var created = _admin.AddUser(now);
        _admin.AddEmail(changed, "second@example.com", now);
        _admin.DeleteOwnAccount(deleted, now);
        _admin.Audit("login_success", loggedIn, now);
        return (created, changed, deleted, loggedIn);
    }

    [Test]
    public async Task AppStoppedUsersChangedWhileDownAppStarted_EachIsHandedOverOnceAndNoOneElse()
    {
        var longAgo = DateTimeOffset.UtcNow.AddHours(-3);
        var untouched = _admin.AddUser(longAgo);
        _admin.Audit("login_success", untouched, DateTimeOffset.UtcNow.AddHours(-1));
        await RunOnceAsync();
        var (created, changed, deleted, loggedIn) = ChangeUsersWhileDown(longAgo);

        var recorder = new CatchUpRecorder();
        await using var app = await StartAppAsync(recorder);
        await WaitForAsync(() => recorder.CaughtUp.Count >= 4, "four users handed over");
        await Task.Delay(Fast.HeartbeatInterval * 5); // more ticks: nothing more, nothing twice

        recorder.CaughtUp.Select(e => e.UserId).Should().BeEquivalentTo([created, changed, deleted, loggedIn]);
        recorder.CaughtUp.Single(e => e.UserId == created).EventNames.Should().StartWith(HankoEventNames.UserCreate);
        recorder.CaughtUp.Single(e => e.UserId == changed).EventNames.Should().Equal(HankoEventNames.UserEmailCreate);
        recorder.CaughtUp.Single(e => e.UserId == deleted).IsDeleted.Should().BeTrue();
        recorder.CaughtUp.Single(e => e.UserId == loggedIn).EventNames.Should().Equal(HankoEventNames.UserLogin);
        recorder.HankoEvents.Should().BeEmpty("a catch-up reaches no handler of Hanko's own events");
        app.Logs.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 79).Which.Level.Should().Be(LogLevel.Warning);
        var health = await app.HealthAsync();
        health.Data.Should().ContainKey("lastCatchUpHandedOver").WhoseValue.Should().Be(4);
    }

    [Test]
    public async Task TwoInstancesStartingTogether_HandEachUserOverOnce()
    {
        var longAgo = DateTimeOffset.UtcNow.AddHours(-3);
        await RunOnceAsync();
        var users = ChangeUsersWhileDown(longAgo);

        var first = new CatchUpRecorder();
        var second = new CatchUpRecorder();
        var apps = await Task.WhenAll(StartAppAsync(first), StartAppAsync(second));
        try
        {
            await WaitForAsync(() => first.CaughtUp.Count + second.CaughtUp.Count >= 4, "four users handed over");
            await Task.Delay(Fast.HeartbeatInterval * 5);

            first.CaughtUp.Concat(second.CaughtUp).Select(e => e.UserId).Should().BeEquivalentTo([users.Created, users.Changed, users.Deleted, users.LoggedIn]);
            apps.Sum(a => a.Logs.GetSnapshot().Count(r => r.Id.Id == 79)).Should().Be(1, "the first to take the pending lease records the window; the other finds the heartbeat at its end");
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
    public async Task AdminApiFailsMidWindow_TheWindowIsRunAgainAndNobodyIsHandedOverTwice()
    {
        var longAgo = DateTimeOffset.UtcNow.AddHours(-3);
        await RunOnceAsync();
        var users = ChangeUsersWhileDown(longAgo);
        var userReads = 0;
        _admin.Intercept = async context =>
        {
            if (context.Request.Path.StartsWithSegments("/users", out var rest) && rest.HasValue && Interlocked.Increment(ref userReads) == 3)
            {
                context.Response.StatusCode = 500;
                await context.Response.WriteAsJsonAsync(new { code = 500, message = "Internal Server Error" });
                return true;
            }

            return false;
        };

        var recorder = new CatchUpRecorder();
        await using var app = await StartAppAsync(recorder);
        await WaitForAsync(() => recorder.CaughtUp.Count >= 4, "four users handed over");
        await Task.Delay(Fast.HeartbeatInterval * 5);

        recorder.CaughtUp.Select(e => e.UserId).Should().BeEquivalentTo([users.Created, users.Changed, users.Deleted, users.LoggedIn], "every user once, none twice");
        var logs = app.Logs.GetSnapshot();
        logs.Should().Contain(r => r.Id.Id == 74, "the failed run says where it stopped");
        logs.Count(r => r.Id.Id == 73).Should().Be(1, "the window completed once, on its second run");
        logs.Where(r => r.Id.Id == 72).Select(r => r.Message).Distinct().Should().ContainSingle("both runs are of the same window");
    }

    [Test]
    public async Task AppStoppedMidWindow_TheNextStartResumesTheSameWindowAndNobodyIsHandedOverTwice()
    {
        await RunOnceAsync();
        var now = DateTimeOffset.UtcNow;
        var users = Enumerable.Range(0, 8).Select(_ => _admin.AddUser(now)).ToList();

        var first = new CatchUpRecorder();
        await using (var app = await StartAppAsync(first, requestsPerSecond: 4))
        {
            await WaitForAsync(() => first.CaughtUp.Count >= 2, "two users handed over");
        }

        first.CaughtUp.Count.Should().BeLessThan(8, "the run was stopped with the application");
        var second = new CatchUpRecorder();
        await using var resumed = await StartAppAsync(second);
        await WaitForAsync(() => first.CaughtUp.Count + second.CaughtUp.Count >= 8, "every user handed over");
        await Task.Delay(Fast.HeartbeatInterval * 5);

        first.CaughtUp.Concat(second.CaughtUp).Select(e => e.UserId).Should().BeEquivalentTo(users, "every user once, none twice");
        resumed.Logs.GetSnapshot().Where(r => r.Id.Id == 72).Should().HaveCount(2, "the stopped window, then the few seconds of this restart");
    }

    [Test]
    public async Task KeysNotHeld_NoHeartbeatUntilTheyAre_ThenThatTimeIsCaughtUp()
    {
        var longAgo = DateTimeOffset.UtcNow.AddHours(-3);
        await RunOnceAsync();
        _hanko.JwksBehavior = FakeJwksBehavior.ServerError;
        var recorder = new CatchUpRecorder();
        await using var app = await StartAppAsync(recorder, keysCheck: true);
        await WaitForAsync(() => app.Logs.GetSnapshot().Any(r => r.Id.Id == 83), "the warning that no keys are held");
        var users = ChangeUsersWhileDown(longAgo); // while every delivery would be refused with 503 KeysUnavailable
        await Task.Delay(Fast.HeartbeatInterval * 3);
        recorder.CaughtUp.Should().BeEmpty();
        app.Logs.GetSnapshot().Should().NotContain(r => r.Id.Id == 79 || r.Id.Id == 80, "no heartbeat is recorded without keys");

        _hanko.JwksBehavior = FakeJwksBehavior.Normal;
        await WaitForAsync(() => recorder.CaughtUp.Count >= 4, "four users handed over once keys are held");
        await Task.Delay(Fast.HeartbeatInterval * 5);

        recorder.CaughtUp.Select(e => e.UserId).Should().BeEquivalentTo([users.Created, users.Changed, users.Deleted, users.LoggedIn]);
        app.Logs.GetSnapshot().Where(r => r.Id.Id == 83).Should().ContainSingle("said once, when the keys were missing");
    }

    [Test]
    public async Task NoSharedStore_SaysAtStartThatCatchUpAcrossRestartsIsOff()
    {
        var recorder = new CatchUpRecorder();
        await using var app = await StartAppAsync(recorder, redis: false);

        await WaitForAsync(() => app.Logs.GetSnapshot().Any(r => r.Id.Id == 78), "the warning");

        app.Logs.GetSnapshot().Single(r => r.Id.Id == 78).Message.Should().Contain("no shared store");
        app.Logs.GetSnapshot().Should().NotContain(r => r.Id.Id == 79 || r.Id.Id == 80);
    }

    [Test]
    public async Task AppWithoutACatchUpHandler_RecordsNothingAndSaysNothing()
    {
        await using var app = await SubscriptionApp.StartAsync(_hanko, _admin, handlers: b => b.AddHandler<SubscriptionApp.MailHandler>().UseRedis(o => (o.Configuration, o.KeyPrefix) = (_redis.Configuration, _prefix)));
        await Task.Delay(Fast.HeartbeatInterval * 3);

        app.Logs.GetSnapshot().Should().NotContain(r => r.Id.Id >= 78 && r.Id.Id <= 82);
        using var redis = _redis.Connect();
        redis.GetServer(redis.GetEndPoints()[0]).Keys(pattern: "*" + _prefix + "*sdk*").Should().BeEmpty();
    }

    [Test]
    public async Task NamedProjects_EachCatchesUpItsOwnDowntimeFromItsOwnHeartbeat()
    {
        await using var adminB = await FakeHankoAdminApi.StartAsync(_hanko);
        var admins = new[] { ("a", _admin), ("b", adminB) };
        await using (var first = await StartProjectsAppAsync(admins, new CatchUpRecorder()))
        {
            await WaitForAsync(() => first.Services.GetFakeLogCollector().GetSnapshot().Count(r => r.Id.Id == 80) == 2, "both projects' first heartbeat");
            await Task.Delay(Fast.HeartbeatInterval * 3);
            await first.StopAsync();
        }

        var now = DateTimeOffset.UtcNow;
        var userA = _admin.AddUser(now);
        var userB = adminB.AddUser(now);
        var recorder = new CatchUpRecorder();
        await using var app = await StartProjectsAppAsync(admins, recorder);
        await WaitForAsync(() => recorder.CaughtUp.Count >= 2, "one user per project");
        await Task.Delay(Fast.HeartbeatInterval * 5);

        recorder.CaughtUp.Select(e => (e.UserId, e.Project)).Should().BeEquivalentTo([(userA, "a"), (userB, "b")]);
        using var redis = _redis.Connect();
        var keys = redis.GetServer(redis.GetEndPoints()[0]).Keys(pattern: "*" + _prefix + "*:sdk:*").Select(k => k.ToString()).ToList();
        keys.Should().Contain(k => k.StartsWith("{" + _prefix + ":a}:sdk:Hanko.Webhooks:project:a:catch-up:heartbeat", StringComparison.Ordinal))
            .And.Contain(k => k.StartsWith("{" + _prefix + ":b}:sdk:Hanko.Webhooks:project:b:catch-up:heartbeat", StringComparison.Ordinal));
        await app.StopAsync();
    }

    private async Task<WebApplication> StartProjectsAppAsync((string Project, FakeHankoAdminApi Admin)[] projects, CatchUpRecorder recorder)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls($"http://127.0.0.1:{SubscriptionApp.FreePort()}");
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddFakeLogging();
        builder.Services.AddSingleton(recorder).AddSingleton(Fast);
        foreach (var (project, admin) in projects)
        {
            builder.Services.AddHankoWebhooks(project, o => (o.JwksUrl, o.Audience) = ($"https://{project}.hanko.test/.well-known/jwks.json", "localhost"))
                .AddHandler<CatchUpRecorder.CatchUpHandler>()
                .UseRedis(o => (o.Configuration, o.KeyPrefix) = (_redis.Configuration, _prefix))
                .AddSubscriptions(o => (o.AdminApiUrl, o.CatchUpRequestsPerSecond) = (admin.BaseAddress.ToString(), 1000));
        }

        var app = builder.Build();
        foreach (var (project, _) in projects)
        {
            app.MapHankoWebhooks("/webhooks/hanko/" + project, project);
        }

        await app.StartAsync();
        return app;
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }
}
