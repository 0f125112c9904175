using FluentAssertions;
using Hanko.Webhooks.Subscriptions.Tests.TestSupport;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NUnit.Framework;

namespace Hanko.Webhooks.Subscriptions.Tests;

/// <summary>
/// A Hanko server older than an event answers 400 to a subscription that names it: ensuring falls back to the parent group
/// the server accepts (or leaves the name out), logs it once, shows it in the health check, and neither fails nor loops.
/// </summary>
public sealed class UnknownEventNameTests : FakeAdminApiTests
{
    private static void Ensure(HankoWebhookSubscriptionOptions o) => o.EnsureOnStart = true;

    private static void CustomClaimsAndMail(HankoWebhooksBuilder b) =>
        b.AddHandler<IdleHandler<UserCustomClaimsEvent>>().AddHandler<IdleHandler<EmailSendEvent>>();

    [Test]
    public async Task EnsureOnStart_ServerRefusesOneName_SubscribesItsParentGroupLogsOnceAndHealthShowsIt()
    {
        Admin.ValidEvents.Remove(HankoEventNames.UserCustomClaims); // a Hanko without teamhanko/hanko#2884

        await using var app = await SubscriptionApp.StartAsync(Hanko, Admin, Ensure, CustomClaimsAndMail);
        var health = await app.WaitUntilCheckedAsync();

        Admin.Hooks.Should().ContainSingle().Which.EventNames.Should().Equal("email.send", "user.update");
        Admin.Requests.Where(r => r.Method == "POST").Select(r => r.Body).Should().Equal(
            """{"callback":"%CB%","events":["email.send","user.update.custom_claims"]}""".Replace("%CB%", app.Callback, StringComparison.Ordinal),
            """{"callback":"%CB%","events":["email.send","user.update"]}""".Replace("%CB%", app.Callback, StringComparison.Ordinal));
        var refusal = app.Logs.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 71).Subject;
        refusal.Message.Should().Be(
            $"This Hanko server does not know the event name user.update.custom_claims (it refused a subscription to it for {app.Callback}); subscribing to user.update instead, which delivers user.update.custom_claims too once the server is updated to send it (when there is nothing to subscribe instead, restart the application after that update).");
        app.Logs.GetSnapshot().Should().NotContain(r => r.Id.Id == 59, "ensuring did not fail");
        health.Status.Should().Be(HealthStatus.Healthy, health.Description);
        health.Data["refusedSubscriptions"].Should().BeEquivalentTo(new[] { "user.update.custom_claims → user.update" });
        health.Data["missingSubscriptions"].Should().BeEquivalentTo(Array.Empty<string>(), "the parent group delivers everything this server can send");

        // Later checks keep the fallback and do not log it again.
        var again = await app.HealthAsync();
        again.Data["refusedSubscriptions"].Should().BeEquivalentTo(new[] { "user.update.custom_claims → user.update" });
        app.Logs.GetSnapshot().Count(r => r.Id.Id == 71).Should().Be(1);
    }

    [Test]
    public async Task EnsureOnStart_HookExistsAndServerRefusesTheAddedName_UpdatesWithTheParentGroup()
    {
        var callback = $"http://127.0.0.1:{Random.Shared.Next(20000, 60000)}{SubscriptionApp.Path}";
        var seeded = Admin.AddHook(callback, ["email.send"]);
        Admin.ValidEvents.Remove(HankoEventNames.UserCustomClaims);

        await using var app = await SubscriptionApp.StartAsync(Hanko, Admin, Ensure, CustomClaimsAndMail, callback: callback);
        var health = await app.WaitUntilCheckedAsync();

        Admin.Hooks.Should().ContainSingle().Which.Should().Match<FakeHankoAdminApi.Hook>(h => h.Id == seeded.Id);
        Admin.Hooks.Single().EventNames.Should().Equal("email.send", "user.update");
        Admin.Requests.Count(r => r.Method == "PUT").Should().Be(2, "one refused, one accepted");
        health.Status.Should().Be(HealthStatus.Healthy, health.Description);
        health.Data["refusedSubscriptions"].Should().BeEquivalentTo(new[] { "user.update.custom_claims → user.update" });
    }

    [Test]
    public async Task EnsureOnStart_ServerKnowsNoNameOfTheFamily_TriesEachParentThenLeavesItOut()
    {
        // Hanko v3.0.4: no session events at all.
        Admin.ValidEvents.RemoveWhere(e => e.StartsWith("session", StringComparison.Ordinal));

        await using var app = await SubscriptionApp.StartAsync(Hanko, Admin, Ensure, b => b.AddHandler<IdleHandler<SessionCreateFlowEvent>>().AddHandler<IdleHandler<EmailSendEvent>>());
        var health = await app.WaitUntilCheckedAsync();

        Admin.Hooks.Should().ContainSingle().Which.EventNames.Should().Equal("email.send");
        Admin.Requests.Count(r => r.Method == "POST").Should().Be(4, "session.create.flow, session.create and session refused once each, then the rest accepted");
        app.Logs.GetSnapshot().Where(r => r.Id.Id == 71).Select(r => r.Message).Should().HaveCount(3)
            .And.Contain(m => m.Contains("event name session (it refused", StringComparison.Ordinal) && m.Contains("subscribing to nothing (left out) instead", StringComparison.Ordinal));
        health.Data["refusedSubscriptions"].Should().BeEquivalentTo(new[] { "session.create.flow → session.create", "session.create → session", "session → (left out)" });
        health.Data["missingSubscriptions"].Should().BeEquivalentTo(Array.Empty<string>());
        health.Status.Should().Be(HealthStatus.Healthy, health.Description);
    }

    [Test]
    public async Task EnsureOnStart_EveryNameRefused_CreatesNoHookAndDoesNotLoop()
    {
        Admin.ValidEvents.Remove(HankoEventNames.UserCustomClaims);
        Admin.ValidEvents.Remove(HankoEventNames.UserUpdate);
        Admin.ValidEvents.Remove(HankoEventNames.User);

        await using var app = await SubscriptionApp.StartAsync(Hanko, Admin, Ensure, b => b.AddHandler<IdleHandler<UserCustomClaimsEvent>>());
        var health = await app.WaitUntilCheckedAsync();

        Admin.Hooks.Should().BeEmpty();
        Admin.Requests.Count(r => r.Method == "POST").Should().Be(3);
        health.Data["refusedSubscriptions"].Should().BeEquivalentTo(new[] { "user.update.custom_claims → user.update", "user.update → user", "user → (left out)" });
    }

    internal sealed class IdleHandler<T> : IHankoEventHandler<T>
        where T : HankoEvent
    {
        public Task HandleAsync(T @event, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
