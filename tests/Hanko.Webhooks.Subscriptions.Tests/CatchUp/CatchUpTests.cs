using System.Diagnostics;
using FluentAssertions;
using Hanko.Webhooks.Subscriptions.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Hanko.Webhooks.Subscriptions.Tests.CatchUp;

/// <summary>
/// The on-demand catch-up (<see cref="IHankoCatchUp"/>) against the fake Admin API on a real Kestrel: what it finds in a
/// window, what it hands over, to whom, and what happens when the Admin API fails or the window is run again.
/// </summary>
public sealed class CatchUpTests
{
    private FakeHanko _hanko = null!;
    private FakeHankoAdminApi _admin = null!;
    private CatchUpRecorder _recorder = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _recorder = new CatchUpRecorder();
        _hanko = new FakeHanko();
        _admin = await FakeHankoAdminApi.StartAsync(_hanko);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _admin.DisposeAsync();
        _hanko.Dispose();
    }

    private Task<SubscriptionApp> StartAppAsync(int requestsPerSecond = 1000) => SubscriptionApp.StartAsync(
        _hanko,
        _admin,
        o => o.CatchUpRequestsPerSecond = requestsPerSecond,
        handlers: b =>
        {
            b.Services.AddSingleton(_recorder);
            CatchUpRecorder.AddHandlers(b);
        });

    [Test]
    public async Task RunAsync_UsersCreatedChangedDeletedAndLoggingInWithinTheWindow_HandsEachOverOnceWithItsStateAndEventNames()
    {
        var now = DateTimeOffset.UtcNow;
        var from = now.AddHours(-2);
        var to = now.AddMinutes(-1);

        var before = _admin.AddUser(now.AddDays(-3));
        _admin.Audit("login_success", before, now.AddDays(-1)); // before the window: not caught up
        var created = _admin.AddUser(now.AddMinutes(-90));
        _admin.Audit("login_success", created, now.AddMinutes(-89));
        var changed = _admin.AddUser(now.AddDays(-2));
        _admin.AddEmail(changed, "second@example.com", now.AddMinutes(-80));
        _admin.Audit("primary_email_changed", changed, now.AddMinutes(-79));
        var deleted = _admin.AddUser(now.AddDays(-2));
        _admin.DeleteOwnAccount(deleted, now.AddMinutes(-70));
        var loggedIn = _admin.AddUser(now.AddDays(-2));
        _admin.Audit("login_success", loggedIn, now.AddMinutes(-60));
        _admin.Audit("login_success", loggedIn, now.AddMinutes(-50));
        _admin.Audit("login_failure", loggedIn, now.AddMinutes(-40)); // changes no user: not asked for
        var passkey = _admin.AddUser(now.AddDays(-2));
        _admin.Audit("passkey_created", passkey, now.AddMinutes(-30));
        var atTheEdge = _admin.AddUser(now.AddDays(-2));
        _admin.Audit("login_success", atTheEdge, to); // the window's end is exclusive, as Hanko filters
        _admin.Audit("login_success", atTheEdge, from);

        await using var app = await StartAppAsync();
        var catchUp = app.App.Services.GetRequiredService<IHankoCatchUp>();
        var result = await catchUp.RunAsync(from, to);

        result.UsersFound.Should().Be(5);
        result.HandedOver.Should().Be(5);
        result.AlreadyHandedOver.Should().Be(0);
        result.Failed.Should().Be(0);
        var caught = _recorder.CaughtUp.ToDictionary(e => e.UserId);
        caught.Should().HaveCount(5, "each user of the window once, and no one else");
        caught.Keys.Should().BeEquivalentTo([created, changed, deleted, loggedIn, passkey]);

        caught[created].IsDeleted.Should().BeFalse();
        caught[created].User!.Id.Should().Be(created);
        caught[created].EventNames.Should().Equal(HankoEventNames.UserCreate, HankoEventNames.UserLogin);
        caught[changed].User!.Emails.Select(e => e.Address).Should().Contain("second@example.com", "the user as Hanko has it now");
        caught[changed].EventNames.Should().Equal(HankoEventNames.UserEmailCreate, HankoEventNames.UserEmailPrimary);
        caught[deleted].IsDeleted.Should().BeTrue();
        caught[deleted].User.Should().BeNull();
        caught[deleted].EventNames.Should().Equal(HankoEventNames.UserDelete);
        caught[loggedIn].EventNames.Should().Equal(HankoEventNames.UserLogin);
        caught[loggedIn].AuditLogTypes.Should().Equal("login_success");
        caught[passkey].EventNames.Should().BeEmpty("Hanko sends no webhook for a passkey");
        caught[passkey].AuditLogTypes.Should().Equal("passkey_created");
        caught.Values.Should().AllSatisfy(e =>
        {
            e.WindowStart.Should().Be(from);
            e.WindowEnd.Should().Be(to);
            e.DeliveryId.Should().MatchRegex("^[0-9a-f]{64}$");
        });
        _recorder.HankoEvents.Should().BeEmpty("a snapshot is no Hanko event: handlers of UserEvent and HankoEvent never see it");

        var again = await catchUp.RunAsync(from, to);
        again.HandedOver.Should().Be(0);
        again.AlreadyHandedOver.Should().Be(5);
        _recorder.CaughtUp.Should().HaveCount(5, "the same window run again hands nobody over twice");

        app.Logs.GetSnapshot().Should().Contain(r => r.Id.Name == "CatchUpCompleted" && r.Message.Contains("5 user(s) found, 5 handed over", StringComparison.Ordinal));
    }

    [Test]
    public async Task RunAsync_SelfHostedWithoutAuditStorage_FindsTheUsersCreatedAndSaysTheAuditLogIsEmpty()
    {
        _admin.AuditLogStorage = false;
        var now = DateTimeOffset.UtcNow;
        var old = _admin.AddUser(now.AddDays(-1));
        var newer = Enumerable.Range(0, 60).Select(i => _admin.AddUser(now.AddMinutes(-50 + (i * 0.5)))).ToList();

        await using var app = await StartAppAsync();
        var result = await app.App.Services.GetRequiredService<IHankoCatchUp>().RunAsync(now.AddHours(-1), now.AddSeconds(-1));

        result.AuditLogEntries.Should().Be(0);
        result.HandedOver.Should().Be(60, "every user created in the window, over two pages of the users list");
        _recorder.CaughtUp.Select(e => e.UserId).Should().BeEquivalentTo(newer).And.NotContain(old);
        _recorder.CaughtUp.Should().AllSatisfy(e => e.EventNames.Should().Equal(HankoEventNames.UserCreate));
        app.Logs.GetSnapshot().Should().ContainSingle(r => r.Id.Name == "AuditLogEmpty" && r.Level == LogLevel.Warning)
            .Which.Message.Should().Contain("audit_log.storage.enabled");
        _admin.Requests.Count(r => r.Path == "/users").Should().Be(2, "the list is read newest first until a user older than the window");
    }

    [Test]
    public async Task RunAsync_TenThousandAuditEntries_ReadsEveryPageWithinTheRequestLimit()
    {
        const int RequestsPerSecond = 100;
        var now = DateTimeOffset.UtcNow;
        var from = now.AddHours(-3);
        var users = Enumerable.Range(0, 200).Select(i => _admin.AddUser(now.AddDays(-5))).ToList();
        for (var i = 0; i < 10_000; i++)
        {
            _admin.Audit("login_success", users[i % users.Count], from.AddSeconds(1 + i));
        }

        await using var app = await StartAppAsync(RequestsPerSecond);
        var clock = Stopwatch.StartNew();
        var result = await app.App.Services.GetRequiredService<IHankoCatchUp>().RunAsync(from, now.AddSeconds(-1));
        clock.Stop();

        result.AuditLogEntries.Should().Be(10_000);
        result.HandedOver.Should().Be(200);
        _recorder.CaughtUp.Should().HaveCount(200).And.OnlyHaveUniqueItems(e => e.UserId);
        var requests = _admin.Requests.Where(r => r.Method == "GET" && r.Path != "/webhooks").ToList();
        requests.Count(r => r.Path == "/audit_logs").Should().Be(100, "100 pages of 100");
        result.AdminApiRequests.Should().Be(requests.Count);
        var busiestSecond = requests.Max(r => requests.Count(o => o.At >= r.At && o.At < r.At.AddSeconds(1)));
        busiestSecond.Should().BeLessThanOrEqualTo(RequestsPerSecond + 5, "requests are spaced 1/{0} s apart", RequestsPerSecond);
        TestContext.Out.WriteLine($"10,000 audit entries: {requests.Count} requests ({requests.Count(r => r.Path == "/audit_logs")} audit pages), busiest second {busiestSecond}, {clock.Elapsed.TotalSeconds:0.0} s at {RequestsPerSecond}/s");
    }

    [Test]
    public async Task RunAsync_AdminApiFailsMidWindow_SaysWhereAndTheSameWindowAgainHandsNobodyOverTwice()
    {
        var now = DateTimeOffset.UtcNow;
        var users = Enumerable.Range(0, 30).Select(i => _admin.AddUser(now.AddMinutes(-50 + i))).ToList();
        var userReads = 0;
        _admin.Intercept = async context =>
        {
            if (context.Request.Path.StartsWithSegments("/users", out var rest) && rest.HasValue && Interlocked.Increment(ref userReads) == 11)
            {
                context.Response.StatusCode = 500;
                await context.Response.WriteAsJsonAsync(new { code = 500, message = "Internal Server Error" });
                return true;
            }

            return false;
        };

        await using var app = await StartAppAsync();
        var catchUp = app.App.Services.GetRequiredService<IHankoCatchUp>();
        var from = now.AddHours(-1);
        var to = now.AddSeconds(-1);
        var failure = await catchUp.Invoking(c => c.RunAsync(from, to)).Should().ThrowAsync<HankoAdminApiException>();
        failure.Which.Message.Should().Contain("stopped after 1 audit log page(s) and 1 user page(s), 10 of 30 user(s) handed over")
            .And.Contain("GET users/").And.Contain("500").And.Contain("Run the same window again");
        _recorder.CaughtUp.Should().HaveCount(10);

        var rerun = await catchUp.RunAsync(from, to);
        rerun.HandedOver.Should().Be(20);
        rerun.AlreadyHandedOver.Should().Be(10);
        _recorder.CaughtUp.Select(e => e.UserId).Should().BeEquivalentTo(users, "every user once, none twice");
    }

    [Test]
    public async Task RunAsync_BackgroundProcessing_HandsEachUserToTheQueueAndItsWorkerRunsTheCatchUpHandler()
    {
        var now = DateTimeOffset.UtcNow;
        var users = Enumerable.Range(0, 5).Select(i => _admin.AddUser(now.AddMinutes(-30 + i))).ToList();
        await using var app = await SubscriptionApp.StartAsync(
            _hanko,
            _admin,
            o => o.CatchUpRequestsPerSecond = 1000,
            handlers: b =>
            {
                b.Services.AddSingleton(_recorder);
                CatchUpRecorder.AddHandlers(b);
                b.UseBackgroundProcessing();
            });

        var result = await app.App.Services.GetRequiredService<IHankoCatchUp>().RunAsync(now.AddHours(-1), now.AddSeconds(-1));

        result.HandedOver.Should().Be(5, "each user was taken by the project's hand-off (202 Accepted)");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_recorder.CaughtUp.Count < 5 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        _recorder.CaughtUp.Select(e => e.UserId).Should().BeEquivalentTo(users, "the queue's worker rebuilds each from its parts through ProcessHandedOffAsync");
        _recorder.HankoEvents.Should().BeEmpty();
    }

    [Test]
    public async Task RunAsync_UserAnswered404WithoutHankosErrorBody_IsAnErrorNotADeletedUser()
    {
        var now = DateTimeOffset.UtcNow;
        _admin.AddUser(now.AddMinutes(-10));
        _admin.Intercept = context =>
        {
            if (context.Request.Path.StartsWithSegments("/users", out var rest) && rest.HasValue)
            {
                context.Response.StatusCode = 404; // a proxy's, or a wrong base address: not Hanko's {"code":404,"message":"user not found"}
                return Task.FromResult(true);
            }

            return Task.FromResult(false);
        };
        await using var app = await StartAppAsync();

        var run = () => app.App.Services.GetRequiredService<IHankoCatchUp>().RunAsync(now.AddHours(-1), now.AddSeconds(-1));

        (await run.Should().ThrowAsync<HankoAdminApiException>()).Which.Message.Should().Contain("404");
        _recorder.CaughtUp.Should().BeEmpty("nobody is taken for deleted because a wrong address answers 404");
    }

    [Test]
    public async Task RunAsync_InlineHandlerFails_CountsTheUserAsNotHandedOverAndTheNextRunHandsItOver()
    {
        var now = DateTimeOffset.UtcNow;
        var user = _admin.AddUser(now.AddMinutes(-10));
        await using var app = await StartAppAsync();
        var catchUp = app.App.Services.GetRequiredService<IHankoCatchUp>();

        _recorder.Fail = true;
        var failed = await catchUp.RunAsync(now.AddHours(-1), now.AddSeconds(-1));
        failed.Failed.Should().Be(1);
        app.Logs.GetSnapshot().Should().Contain(r => r.Id.Name == "CatchUpUserNotHandedOver" && r.Message.Contains(user.ToString(), StringComparison.Ordinal));

        _recorder.Fail = false;
        var again = await catchUp.RunAsync(now.AddHours(-1), now.AddSeconds(-1));
        again.HandedOver.Should().Be(1, "a failed handler releases the claim, so the same window hands the user over again");
        _recorder.CaughtUp.Should().ContainSingle().Which.UserId.Should().Be(user);
    }

    [TestCase(0, -1, "ends")]
    [TestCase(-1, 60, "future")]
    [TestCase(-40 * 24 * 60, -1, "longer than 30 days")]
    public async Task RunAsync_WindowEmptyInTheFutureOrTooLong_IsRefusedBeforeAnyRequest(int fromMinutes, int toMinutes, string says)
    {
        await using var app = await StartAppAsync();
        var now = DateTimeOffset.UtcNow;
        var run = () => app.App.Services.GetRequiredService<IHankoCatchUp>().RunAsync(now.AddMinutes(fromMinutes), now.AddMinutes(toMinutes));
        (await run.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain(says);
        _admin.Requests.Should().NotContain(r => r.Path == "/audit_logs" || r.Path.StartsWith("/users", StringComparison.Ordinal));
    }

    [Test]
    public async Task RunAsync_SendsTheWindowInUtcWithZAndOnlyTheTypesThatChangeAUser()
    {
        await using var app = await StartAppAsync();
        var from = new DateTimeOffset(2026, 11, 6, 10, 0, 0, TimeSpan.FromHours(2));
        await app.App.Services.GetRequiredService<IHankoCatchUp>().RunAsync(from, from.AddMinutes(30));

        var query = QueryHelpers(_admin.Requests.Single(r => r.Path == "/audit_logs").Query);
        query["start_time"].Should().Equal("2026-11-06T08:00:00Z");
        query["end_time"].Should().Equal("2026-11-06T08:30:00Z");
        query["type"].Should().Contain(["user_created", "user_deleted", "email_created", "login_success", "passkey_created"])
            .And.NotContain(["login_failure", "user_logged_out", "security_notification_sent"]);
    }

    private static Dictionary<string, string[]> QueryHelpers(string query) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query).ToDictionary(q => q.Key, q => q.Value.Select(v => v!).ToArray());
}
