using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>Stream entries written by hand (XADD with the store's field names) that the worker cannot read.</summary>
[NonParallelizable]
public sealed class UnreadableEntryTests : RedisTests
{
    [Test]
    public async Task EntriesThatCannotBeRead_AreDeadLetteredOnceWithTheirReason_AndTheNextGenuineDeliveryIsHandled()
    {
        var prefix = "u-" + Guid.NewGuid().ToString("N")[..8];
        var outcomes = new Outcomes();
        await using var app = await DurableHost.StartAsync(Redis, new FakeHanko(), prefix, outcomes);
        var deadLetters = app.App.Services.GetRequiredService<IHankoDeadLetters>();
        var protector = app.App.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Hanko.Webhooks.Redis.StoredDelivery", "v1", prefix);
        byte[] Stored(string deliveryId) => protector.Protect(System.Text.Encoding.UTF8.GetBytes(
            "{\"v\":1,\"n\":\"user.delete\",\"id\":\"" + deliveryId + "\",\"iat\":1,\"exp\":2,\"aud\":[\"localhost\"],\"data\":{}}"));
        var stream = "{" + prefix + "}:stream";

        // Delivery id → fields as written, and what the reason must say.
        var poison = new (string Id, NameValueEntry[] Fields, string Reason)[]
        {
            ("n-text", [new("e", "user.delete"), new("d", "n-text"), new("n", "many"), new("p", Stored("n-text"))], "attempt count 'n' is not a whole number"),
            ("n-negative", [new("e", "user.delete"), new("d", "n-negative"), new("n", -1), new("p", Stored("n-negative"))], "attempt count 'n' is not a whole number"),
            ("n-huge", [new("e", "user.delete"), new("d", "n-huge"), new("n", "99999999999999999999"), new("p", Stored("n-huge"))], "attempt count 'n' is not a whole number"),
            ("no-n", [new("e", "user.delete"), new("d", "no-n"), new("p", Stored("no-n"))], "it has no 'n' field"),
            ("no-p", [new("e", "user.delete"), new("d", "no-p"), new("n", 0)], "it has no 'p' field"),
            (string.Empty, [new("x", "y")], "it has no 'e', 'd', 'n', 'p' field"),
            ("not-json", [new("e", "user.delete"), new("d", "not-json"), new("n", 0), new("p", protector.Protect("{\"v\":1,"u8.ToArray()))], "not in the expected format"),
        };
        foreach (var (_, fields, _) in poison)
        {
            await Db.StreamAddAsync(stream, fields);
        }

        var genuine = app.Hanko.CreateDelivery(HankoEventNames.UserCreate);
        (await app.PostAsync(genuine)).StatusCode.Should().Be(HttpStatusCode.Accepted);

        await Outcomes.WaitForAsync(() => outcomes.SuccessCount(Deliveries.IdOf(genuine)) == 1, "the genuine delivery after them is handled");
        await Outcomes.WaitForAsync(() => deadLetters.CountAsync().Result >= poison.Length, "each unreadable entry goes to the dead letters");
        await Task.Delay(TimeSpan.FromSeconds(3)); // three visibility timeouts (1 s here): none of them is taken over and dead-lettered again

        var dead = await deadLetters.ListAsync();
        dead.Should().HaveCount(poison.Length, "each is dead-lettered exactly once");
        foreach (var (id, _, reason) in poison)
        {
            dead.Should().ContainSingle(d => d.DeliveryId == id).Which.Reason.Should().Contain(reason);
        }

        dead.Should().OnlyContain(d => d.Attempts == 0, "none of them ran");
        outcomes.Attempts.Should().ContainSingle("only the genuine delivery was dispatched");
        (await Db.StreamLengthAsync(stream)).Should().Be(0, "nothing is left in the stream");
        (await Db.StreamPendingAsync(stream, "hanko-workers")).PendingMessageCount.Should().Be(0, "nothing is left pending");
        app.Logged(303).Should().BeTrue("each is logged as a dead letter");
    }

    [Test]
    public async Task EntryThatDoesNotOpenHere_IsRetriedLikeAFailedRun_NotDeadLetteredAtAttempt0_DeadLetteredAfterTheLast()
    {
        var prefix = "u-" + Guid.NewGuid().ToString("N")[..8];
        var outcomes = new Outcomes();
        await using var app = await DurableHost.StartAsync(Redis, new FakeHanko(), prefix, outcomes);
        var deadLetters = app.App.Services.GetRequiredService<IHankoDeadLetters>();
        var elsewhere = Directory.CreateTempSubdirectory("hanko-other-keys-");
        var otherRing = DataProtectionProvider.Create(elsewhere).CreateProtector("Hanko.Webhooks.Redis.StoredDelivery", "v1", prefix);
        var entry = otherRing.Protect("{\"v\":1,\"n\":\"user.delete\",\"id\":\"other-keys\",\"iat\":1,\"exp\":2,\"aud\":[\"localhost\"],\"data\":{}}"u8.ToArray());

        await Db.StreamAddAsync("{" + prefix + "}:stream", [new("e", "user.delete"), new("d", "other-keys"), new("n", 0), new("p", entry)]);

        await Outcomes.WaitForAsync(() => deadLetters.CountAsync().Result == 1, "after the last attempt it goes to the dead letters");
        var retries = app.Logs.GetSnapshot().Where(r => r.Id.Id == 314).Select(r => r.Message).ToList();
        retries.Should().HaveCount(5, "attempts 1 to 5 could not open it and scheduled a retry (an instance holding the keys could have taken it)");
        retries[0].Should().Contain("other-keys").And.Contain("attempt 1").And.Contain("Share one key ring");
        var dead = (await deadLetters.ListAsync()).Single();
        dead.Attempts.Should().Be(6, "RetryDelays.Count + 1 attempts, as for a handler that fails");
        dead.Reason.Should().Contain("Could not be opened in 6 attempt(s)").And.Contain("could not be unprotected");
        outcomes.Attempts.Should().BeEmpty("it never reached a handler");
    }

    [Test]
    public async Task DeadLetterWrittenByHandWithUnreadableNumbers_IsListedWithDefaults_AndDoesNotHideTheOthers()
    {
        var prefix = "u-" + Guid.NewGuid().ToString("N")[..8];
        await using var app = await DurableHost.StartAsync(Redis, new FakeHanko(), prefix, new Outcomes());
        var deadLetters = app.App.Services.GetRequiredService<IHankoDeadLetters>();
        var dead = "{" + prefix + "}:dead";
        await Db.StreamAddAsync(dead, [new("e", "user.delete"), new("d", "by-hand"), new("n", "x"), new("r", "written by hand"), new("t", "y"), new("p", "")]);
        await Db.StreamAddAsync(dead, [new("e", "user.delete"), new("d", "well-formed"), new("n", 2), new("r", "Failed 2 attempt(s)"), new("t", 1_700_000_000_000), new("p", "")]);

        var listed = await deadLetters.ListAsync();

        listed.Select(d => d.DeliveryId).Should().Equal("by-hand", "well-formed");
        listed[0].Attempts.Should().Be(0);
        listed[0].DeadLetteredAt.Should().Be(DateTimeOffset.UnixEpoch);
        listed[1].Attempts.Should().Be(2);
        listed[1].DeadLetteredAt.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    }
}
