using System.Globalization;
using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using NUnit.Framework;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>
/// Scripts run on the primary only. Through a Sentinel StackExchange.Redis knows the replica too, and by default it sends a
/// script (it cannot tell a writing one from a reading one) to the replica while the primary's connection is down, as for a
/// moment after every reconnect: a receipt sent there was refused (<c>READONLY</c>) and answered 503 at once. Here the
/// primary, at <c>maxclients</c>, refuses the receipts' reconnect while the replica stays connected; the replica's own
/// command counts show what was sent to it. Real primary, replica and Sentinel.
/// </summary>
[NonParallelizable]
public sealed class PrimaryOnlyTests
{
    [TestCase(0)]
    [TestCase(1)]
    public async Task PrimaryRefusesTheReceiptsReconnect_NoReceiptIsSentToTheReplica_Answered503_AcceptedOnThePrimaryOnceItIsBack(int minReplicas)
    {
        using var redis = ReplicatedRedis.StartOrIgnore();
        using var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Primary.Port},allowAdmin=true,abortConnect=false");
        var primary = admin.GetServer(admin.GetEndPoints()[0]);
        var keys = Directory.CreateTempSubdirectory("hanko-keys-");
        var hanko = new FakeHanko();
        var prefix = "primary-only-" + minReplicas.ToString(CultureInfo.InvariantCulture);
        await using var app = await ReplicatedHost.StartAsync(redis.Configuration, hanko, new Outcomes(), keys, o => (o.KeyPrefix, o.MinReplicasToAcknowledge) = (prefix, minReplicas), o => o.Concurrency = 0);
        (await app.PostAsync(hanko.CreateDelivery(HankoEventNames.UserCreate))).StatusCode.Should().Be(HttpStatusCode.Accepted, "warm");
        var scriptsOnReplica = ScriptCalls(redis.Replica.Port);

        // The primary takes no new connection and the receipts' connections to it go. Their connections to the replica stay.
        await DurableHealth.RefuseTheReceiptsReconnectAsync(primary);

        var deliveries = Deliveries.Distinct(hanko, 20);
        (await app.PostAsync(deliveries[0])).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "the primary cannot be reached");
        ScriptCalls(redis.Replica.Port).Should().Be(scriptsOnReplica, "no receipt script was sent to the replica");
        app.Logs.GetSnapshot().Where(r => r.Id.Id == 300).Should().ContainSingle()
            .Which.Exception?.Message.Should().NotContain("READONLY");

        await DurableHealth.AcceptConnectionsAsync(primary);

        var next = 1;
        var accepted = false;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!accepted && next < deliveries.Count && DateTime.UtcNow < deadline)
        {
            accepted = (await app.PostAsync(deliveries[next++])).StatusCode == HttpStatusCode.Accepted;
        }

        accepted.Should().BeTrue("the receipts reconnect to the primary");
        var stored = await admin.GetDatabase().StreamRangeAsync("{" + prefix + "}:stream");
        stored.Select(e => (string?)e["d"]).Should().Contain(Deliveries.IdOf(deliveries[next - 1]), "the delivery accepted is on the primary");
        ScriptCalls(redis.Replica.Port).Should().Be(scriptsOnReplica, "no script of the package ever ran on the replica");
    }

    /// <summary>The scripts (<c>EVAL</c>, <c>EVALSHA</c>) clients sent to the server at <paramref name="port"/>; what it applies from its primary is not counted.</summary>
    private static long ScriptCalls(int port)
    {
        var stats = (string)Resp.Call(port, "INFO", "commandstats")!;
        return stats.Split("\r\n")
            .Where(l => l.StartsWith("cmdstat_eval:", StringComparison.Ordinal) || l.StartsWith("cmdstat_evalsha:", StringComparison.Ordinal))
            .Sum(l => long.Parse(l.Split("calls=")[1].Split(',')[0], CultureInfo.InvariantCulture));
    }
}
