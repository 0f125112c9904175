using System.Net;
using System.Security.Cryptography;
using FluentAssertions;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NUnit.Framework;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Tests;

[NonParallelizable]
public sealed class DurableProcessingTests : RedisTests
{
    private static string NewPrefix() => "d-" + Guid.NewGuid().ToString("N")[..8];

    [Test]
    public async Task Accepted_Is202AfterTheAppend_ThenProcessedOnce_HandlerSeesAttemptOneAndTheDeliveryId_StreamEmptied()
    {
        var prefix = NewPrefix();
        var outcomes = new Outcomes();
        await using var app = await DurableHost.StartAsync(Redis, new FakeHanko(), prefix, outcomes);
        var delivery = app.Hanko.CreateDelivery(HankoEventNames.UserCreate);

        using var response = await app.PostAsync(delivery);
        using var copy = await app.PostAsync(delivery);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        copy.StatusCode.Should().Be(HttpStatusCode.OK, "the copy is a duplicate of a stored delivery");
        var id = Deliveries.IdOf(delivery);
        await Outcomes.WaitForAsync(() => outcomes.SuccessCount(id) == 1, "the stored delivery is processed");
        outcomes.Attempts.Should().Equal((id, 1));
        await Outcomes.WaitForAsync(() => Db.StreamLength("{" + prefix + "}:stream") == 0, "an acknowledged entry is deleted (Retention = 0)");
        (await Db.StringGetAsync("{" + prefix + "}:claim:" + id)).HasValue.Should().BeTrue("the claim stays until the token expires");
    }

    [Test]
    public async Task ACopyOfAStoredDelivery_IsLoggedAsADuplicate_AsTheReplayGuardLogsOneInTheOtherModes()
    {
        await using var app = await DurableHost.StartAsync(Redis, new FakeHanko(), NewPrefix(), new Outcomes());
        var delivery = app.Hanko.CreateDelivery(HankoEventNames.UserCreate);

        (await app.PostAsync(delivery)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        app.Logged(40).Should().BeFalse();
        (await app.PostAsync(delivery)).StatusCode.Should().Be(HttpStatusCode.OK);

        var duplicate = app.Logs.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 40).Subject;
        duplicate.Message.Should().Contain(Deliveries.IdOf(delivery)).And.Contain(HankoEventNames.UserCreate);
    }

    [Test]
    public async Task GenuineUserUpdate_WithUnsafeMetadata1400LevelsDeep_IsStoredAndHandled_NothingDeadLettered()
    {
        var prefix = NewPrefix();
        var seen = new System.Collections.Concurrent.ConcurrentQueue<string?>();
        var outcomes = new Outcomes { Decide = (e, _, _) => { seen.Enqueue(DeepMetadata.UnsafeOf(e)); return Task.CompletedTask; } };
        await using var app = await DurableHost.StartAsync(Redis, new FakeHanko(), prefix, outcomes);
        var deadLetters = app.App.Services.GetRequiredService<IHankoDeadLetters>();
        var delivery = DeepMetadata.UserUpdate(app.Hanko);

        (await app.PostAsync(delivery)).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var id = Deliveries.IdOf(delivery);
        await Outcomes.WaitForAsync(() => outcomes.SuccessCount(id) == 1 || deadLetters.CountAsync().Result > 0, "the stored delivery is processed");
        (await deadLetters.ListAsync()).Select(d => d.Reason).Should().BeEmpty("a delivery the verifier accepted opens from the store");
        outcomes.SuccessCount(id).Should().Be(1);
        seen.Should().Equal(DeepMetadata.Json);
    }

    [Test]
    public async Task ReceiveOnlyInstance_StoresAndAnswers202_RunsNoHandler_AnotherInstanceProcessesIt()
    {
        var prefix = NewPrefix();
        var hanko = new FakeHanko();
        var receiverOutcomes = new Outcomes();
        var processorOutcomes = new Outcomes();
        await using var receiver = await DurableHost.StartAsync(Redis, hanko, prefix, receiverOutcomes, o => o.Concurrency = 0);
        var delivery = hanko.CreateDelivery(HankoEventNames.UserUpdate);

        (await receiver.PostAsync(delivery)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await Task.Delay(500);
        (await Db.StreamLengthAsync("{" + prefix + "}:stream")).Should().Be(1, "a receive-only instance runs no worker");
        receiver.Logged(313).Should().BeTrue();

        await using var processor = await DurableHost.StartAsync(Redis, hanko, prefix, processorOutcomes);
        var id = Deliveries.IdOf(delivery);
        await Outcomes.WaitForAsync(() => processorOutcomes.SuccessCount(id) == 1, "an instance with workers processes what the receiver stored");
        receiverOutcomes.Attempts.Should().BeEmpty();
    }

    [Test]
    public async Task StoredEntry_IsProtected_NoPayloadInPlainText()
    {
        var prefix = NewPrefix();
        var outcomes = new Outcomes { Decide = (_, _, ct) => Task.Delay(Timeout.Infinite, ct) };
        await using var app = await DurableHost.StartAsync(Redis, new FakeHanko(), prefix, outcomes, o => o.Concurrency = 1, s => s.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(300)));
        var delivery = app.Hanko.CreateDelivery(HankoEventNames.EmailSend, o => o.EditData = d => d["passcode"] = new System.Text.Json.Nodes.JsonObject { ["code"] = "918273" });
        (await app.PostAsync(delivery)).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var entries = await Db.StreamRangeAsync("{" + prefix + "}:stream");
        entries.Should().ContainSingle();
        var fields = entries[0].Values.ToDictionary(v => (string)v.Name!, v => (byte[])v.Value!);
        fields.Keys.Should().BeEquivalentTo("e", "d", "n", "p");
        System.Text.Encoding.UTF8.GetString(fields["e"]).Should().Be("email.send");
        System.Text.Encoding.Latin1.GetString(fields["p"]).Should().NotContain("918273").And.NotContain("passcode");
    }

    [Test]
    public async Task RandomFailuresOnThirtyPercentOfAttempts_EveryDeliveryProcessedOnceInTheEnd()
    {
        var prefix = NewPrefix();
        var random = new Random(12);
        var outcomes = new Outcomes
        {
            Decide = (_, _, _) =>
            {
                bool fail;
                lock (random)
                {
                    fail = random.NextDouble() < 0.3;
                }

                return fail ? throw new InvalidOperationException("random failure") : Task.CompletedTask;
            },
        };
        var hanko = new FakeHanko();
        await using var a = await DurableHost.StartAsync(Redis, hanko, prefix, outcomes, o => o.RetryDelays = [.. Enumerable.Repeat(TimeSpan.FromMilliseconds(20), 19)]);
        await using var b = await DurableHost.StartAsync(Redis, hanko, prefix, outcomes, o => o.RetryDelays = [.. Enumerable.Repeat(TimeSpan.FromMilliseconds(20), 19)]);
        var deliveries = Deliveries.Distinct(hanko, 200);

        var responses = await Task.WhenAll(deliveries.Select((d, i) => (i % 2 == 0 ? a : b).PostAsync(d)));

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Accepted);
        var ids = deliveries.Select(Deliveries.IdOf).ToList();
        await Outcomes.WaitForAsync(() => ids.All(id => outcomes.SuccessCount(id) >= 1), "every delivery succeeds in the end", 60);
        await Task.Delay(300); // nothing runs again afterwards
        ids.Select(outcomes.SuccessCount).Should().OnlyContain(n => n == 1, "each delivery succeeds exactly once");
        var failed = outcomes.Attempts.Count - ids.Count;
        TestContext.Out.WriteLine($"200 deliveries, {outcomes.Attempts.Count} attempts, {failed} failed and retried");
        failed.Should().BeGreaterThan(30, "about 30% of attempts fail");
        outcomes.Attempts.Where(x => x.Attempt > 1).Should().NotBeEmpty("retries carry their attempt number");
        (await Db.StreamLengthAsync("{" + prefix + "}:dead")).Should().Be(0);
    }

    [Test]
    public async Task AlwaysFailing_DeadLetteredAfterRetryDelaysPlusOneAttempts_HealthDegraded_RetryFromDeadLetters_Processed_DeleteRemoves()
    {
        var prefix = NewPrefix();
        var failing = true;
        var outcomes = new Outcomes { Decide = (_, _, _) => failing ? throw new InvalidOperationException("down") : Task.CompletedTask };
        await using var app = await DurableHost.StartAsync(Redis, new FakeHanko(), prefix, outcomes, o => o.RetryDelays = [TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20)]);
        var deadLetters = app.App.Services.GetRequiredService<IHankoDeadLetters>();
        var health = app.App.Services.GetRequiredService<HealthCheckService>();
        var deliveries = Deliveries.Distinct(app.Hanko, 2);
        foreach (var delivery in deliveries)
        {
            (await app.PostAsync(delivery)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        }

        await Outcomes.WaitForAsync(() => deadLetters.CountAsync().Result == 2, "both land in the dead letters");
        var listed = await deadLetters.ListAsync();
        listed.Select(d => d.DeliveryId).Should().BeEquivalentTo(deliveries.Select(Deliveries.IdOf));
        listed.Should().OnlyContain(d => d.Attempts == 3 && d.EventName == "user.login" && d.Reason.Contains("Failed 3 attempt(s)") && d.Reason.Contains("InvalidOperationException"));
        outcomes.Attempts.Select(x => x.Attempt).Should().BeEquivalentTo([1, 2, 3, 1, 2, 3]);
        app.Logged(303).Should().BeTrue("a dead letter is logged");
        (await health.CheckHealthAsync()).Entries[HankoWebhooksRedisBuilderExtensions.DefaultHealthCheckName].Status.Should().Be(HealthStatus.Degraded);

        failing = false;
        (await deadLetters.RetryAsync(listed[0].Id)).Should().BeTrue();
        await Outcomes.WaitForAsync(() => outcomes.SuccessCount(listed[0].DeliveryId) == 1, "the retried dead letter is processed");
        outcomes.Attempts.Last().Should().Be((listed[0].DeliveryId, 1), "a retry from the dead letters starts a fresh count");
        (await deadLetters.DeleteAsync(listed[1].Id)).Should().BeTrue();
        (await deadLetters.DeleteAsync(listed[1].Id)).Should().BeFalse();
        (await deadLetters.RetryAsync(listed[1].Id)).Should().BeFalse();
        (await deadLetters.CountAsync()).Should().Be(0);
        (await health.CheckHealthAsync()).Entries[HankoWebhooksRedisBuilderExtensions.DefaultHealthCheckName].Status.Should().Be(HealthStatus.Healthy);
    }

    [Test]
    public async Task NoRetryDelays_OneRunOnly_ThenTheDeadLetters()
    {
        var prefix = NewPrefix();
        var outcomes = new Outcomes { Decide = (_, _, _) => throw new InvalidOperationException("down") };
        await using var app = await DurableHost.StartAsync(Redis, new FakeHanko(), prefix, outcomes, o => o.RetryDelays = []);
        var deadLetters = app.App.Services.GetRequiredService<IHankoDeadLetters>();

        (await app.PostAsync(app.Hanko.CreateDelivery(HankoEventNames.UserDelete))).StatusCode.Should().Be(HttpStatusCode.Accepted);

        await Outcomes.WaitForAsync(() => deadLetters.CountAsync().Result == 1, "with no retry delay a failed run goes to the dead letters");
        (await deadLetters.ListAsync()).Single().Attempts.Should().Be(1);
        outcomes.Attempts.Should().ContainSingle();
    }

    [Test]
    public async Task HandlerThrowsDoNotRetry_DeadLetteredAtOnce_WithItsMessage()
    {
        var prefix = NewPrefix();
        var outcomes = new Outcomes { Decide = (_, _, _) => throw new HankoDoNotRetryException("user 42 is unknown here") };
        await using var app = await DurableHost.StartAsync(Redis, new FakeHanko(), prefix, outcomes);
        var deadLetters = app.App.Services.GetRequiredService<IHankoDeadLetters>();

        (await app.PostAsync(app.Hanko.CreateDelivery(HankoEventNames.UserDelete))).StatusCode.Should().Be(HttpStatusCode.Accepted);

        await Outcomes.WaitForAsync(() => deadLetters.CountAsync().Result == 1, "a do-not-retry failure goes to the dead letters");
        var dead = (await deadLetters.ListAsync()).Single();
        dead.Attempts.Should().Be(1);
        dead.Reason.Should().Be("A handler asked not to retry: user 42 is unknown here");
        outcomes.Attempts.Should().ContainSingle();
    }

    [Test]
    public async Task AuthenticButUnmodelledData_Answered202_StoredInTheDeadLettersWithItsReason_NotDispatched_ForgedOneRefused()
    {
        var prefix = NewPrefix();
        var outcomes = new Outcomes();
        await using var app = await DurableHost.StartAsync(Redis, new FakeHanko(), prefix, outcomes);
        var deadLetters = app.App.Services.GetRequiredService<IHankoDeadLetters>();
        var unmodelled = app.Hanko.CreateDelivery(HankoEventNames.UserCreate, o => o.EditData = d => d["id"] = "not-a-uuid");

        using var response = await app.PostAsync(unmodelled);
        using var copy = await app.PostAsync(unmodelled);
        using var forged = await app.PostAsync(app.Hanko.CreateTamperedPayloadDelivery());

        response.StatusCode.Should().Be(HttpStatusCode.Accepted, "it is authentic and now stored; Hanko must not count a failure");
        copy.StatusCode.Should().Be(HttpStatusCode.OK);
        forged.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "only authentic deliveries are stored");
        var dead = (await deadLetters.ListAsync()).Single();
        dead.DeliveryId.Should().Be(Deliveries.IdOf(unmodelled));
        dead.EventName.Should().Be("user.create");
        dead.Attempts.Should().Be(0);
        dead.Reason.Should().StartWith("The data of user.create does not have the shape Hanko documents");
        await Task.Delay(200);
        outcomes.Attempts.Should().BeEmpty();

        // Retried while the SDK still cannot model it: back to the dead letters, still not dispatched.
        (await deadLetters.RetryAsync(dead.Id)).Should().BeTrue();
        await Outcomes.WaitForAsync(() => deadLetters.ListAsync().Result is [{ Id: var id }] && id != dead.Id, "it returns to the dead letters");
        outcomes.Attempts.Should().BeEmpty();
    }

    [Test]
    public async Task TamperedOrForeignEntry_NotDispatched_DeadLetteredWithALogLine()
    {
        var prefix = NewPrefix();
        var outcomes = new Outcomes();
        await using var app = await DurableHost.StartAsync(Redis, new FakeHanko(), prefix, outcomes);
        var deadLetters = app.App.Services.GetRequiredService<IHankoDeadLetters>();
        var provider = app.App.Services.GetRequiredService<IDataProtectionProvider>();
        var genuine = provider.CreateProtector("Hanko.Webhooks.Redis.StoredDelivery", "v1", prefix);
        var plain = """{"v":1,"n":"user.delete","id":"x1","iat":1,"exp":2,"aud":["localhost"],"data":{}}"""u8.ToArray();
        var flipped = genuine.Protect(plain);
        flipped[^5] ^= 0x40;
        var foreign = provider.CreateProtector("Hanko.Webhooks.Redis.StoredDelivery", "v1", "another-app").Protect(plain);
        var relabelled = genuine.Protect(plain);
        var stream = "{" + prefix + "}:stream";

        await Db.StreamAddAsync(stream, [new("e", "user.delete"), new("d", "x1"), new("n", 0), new("p", flipped)]);
        await Db.StreamAddAsync(stream, [new("e", "user.delete"), new("d", "x1"), new("n", 0), new("p", foreign)]);
        await Db.StreamAddAsync(stream, [new("e", "user.delete"), new("d", "x2"), new("n", 0), new("p", relabelled)]);
        await Db.StreamAddAsync(stream, [new("e", "user.delete"), new("d", "x3"), new("n", 0), new("p", RandomNumberGenerator.GetBytes(80))]);

        await Outcomes.WaitForAsync(() => deadLetters.CountAsync().Result == 4, "all four go to the dead letters");
        var dead = await deadLetters.ListAsync();
        var reasons = dead.Select(d => d.Reason).ToList();
        dead.Where(d => d.Reason.StartsWith("Could not be opened in 6 attempt(s). The stored entry could not be unprotected", StringComparison.Ordinal))
            .Should().HaveCount(3, "what does not decrypt here is retried (another instance may hold its key), then dead-lettered")
            .And.OnlyContain(d => d.Attempts == 6);
        reasons.Should().Contain("The stored entry does not match its labels (tampered with).");
        outcomes.Attempts.Should().BeEmpty();
        app.Logged(303).Should().BeTrue();
    }

    [Test]
    public async Task DataProtectionCannotRoundTrip_HostFailsToStart_WithWhatToConfigure()
    {
        var act = () => DurableHost.StartAsync(Redis, new FakeHanko(), NewPrefix(), new Outcomes(), services: s => s.AddSingleton<IDataProtectionProvider, BrokenProtection>());

        (await act.Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("*durable processing cannot start: ASP.NET Core Data Protection could not protect and unprotect*PersistKeysToStackExchangeRedis*");
    }

    [Test]
    public async Task ThreeDurableHosts_SameDeliveriesPostedToAll_EachStoredAndProcessedOnce()
    {
        var prefix = NewPrefix();
        var outcomes = new Outcomes();
        var hanko = new FakeHanko();
        await using var a = await DurableHost.StartAsync(Redis, hanko, prefix, outcomes);
        await using var b = await DurableHost.StartAsync(Redis, hanko, prefix, outcomes);
        await using var c = await DurableHost.StartAsync(Redis, hanko, prefix, outcomes);
        var deliveries = Deliveries.Distinct(hanko, 150);

        var statuses = new List<HttpStatusCode>();
        foreach (var chunk in deliveries.Chunk(10))
        {
            var responses = await Task.WhenAll(chunk.SelectMany(d => new[] { a, b, c }.Select(h => h.PostAsync(d))));
            statuses.AddRange(responses.Select(r => r.StatusCode));
        }

        statuses.Count(s => s == HttpStatusCode.Accepted).Should().Be(150, "each delivery is stored once");
        statuses.Count(s => s == HttpStatusCode.OK).Should().Be(300, "its copies are duplicates");
        var ids = deliveries.Select(Deliveries.IdOf).ToList();
        await Outcomes.WaitForAsync(() => ids.All(id => outcomes.SuccessCount(id) == 1), "all processed");
        outcomes.Attempts.Should().HaveCount(150);
    }

    [Test]
    public async Task GracefulShutdown_RunningHandlerAbandonedNotAcknowledged_AnotherInstanceTakesItOver()
    {
        var prefix = NewPrefix();
        var hanko = new FakeHanko();
        var stuck = new Outcomes { Decide = (_, _, ct) => Task.Delay(Timeout.Infinite, ct) };
        var a = await DurableHost.StartAsync(Redis, hanko, prefix, stuck, services: s => s.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(300)));
        var delivery = hanko.CreateDelivery(HankoEventNames.UserLogin);
        (await a.PostAsync(delivery)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await Outcomes.WaitForAsync(() => !stuck.Attempts.IsEmpty, "the handler runs on a");

        var logs = a.Logs;
        await a.DisposeAsync(); // the shutdown timeout passes with the handler still running
        logs.GetSnapshot().Should().Contain(r => r.Id.Id == 306, "the running delivery is abandoned, not acknowledged");

        var outcomes = new Outcomes();
        await using var b = await DurableHost.StartAsync(Redis, hanko, prefix, outcomes);
        var id = Deliveries.IdOf(delivery);
        await Outcomes.WaitForAsync(() => outcomes.SuccessCount(id) == 1, "b takes it over after the visibility timeout");
        outcomes.Attempts.Should().Equal((id, 2));
    }

    private sealed class BrokenProtection : IDataProtectionProvider, IDataProtector
    {
        public IDataProtector CreateProtector(string purpose) => this;

        public byte[] Protect(byte[] plaintext) => plaintext;

        public byte[] Unprotect(byte[] protectedData) => throw new CryptographicException("The key {0} was not found in the key ring.");
    }
}
