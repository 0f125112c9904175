using System.Globalization;
using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>
/// <see cref="HankoRedisOptions.MinReplicasToAcknowledge"/> higher than the replicas connected to the primary answers every
/// delivery 503: that is warned about at start (log id 321) and in the health entry, once per change, until enough connect
/// (322). Real redis-server processes: a primary without a replica, then with one; a primary, replica and Sentinel.
/// </summary>
[NonParallelizable]
public sealed class ReplicaCountWarningTests : RedisTests
{
    private const int TooFewReplicas = 321;
    private const int EnoughReplicas = 322;

    [Test]
    public async Task MinReplicas1_WithNoReplica_WarnsThatEveryDeliveryIsAnswered503_AndHealthIsDegraded_UntilAReplicaConnects()
    {
        await using var app = await DurableHost.StartAsync(
            Redis,
            new FakeHanko(),
            "rw-" + Guid.NewGuid().ToString("N")[..8],
            new Outcomes(),
            durable: o => o.MonitorInterval = TimeSpan.FromMilliseconds(50),
            services: s => s.Configure<HankoRedisOptions>(o => o.MinReplicasToAcknowledge = 1));
        var health = app.App.Services.GetRequiredService<HealthCheckService>();

        await Outcomes.WaitForAsync(() => app.Logged(TooFewReplicas), "warned at start");
        var warning = app.Logs.GetSnapshot().Single(r => r.Id.Id == TooFewReplicas);
        warning.Level.Should().Be(LogLevel.Warning);
        warning.Message.Should().Be(
            $"Hanko webhook project (unnamed): MinReplicasToAcknowledge is 1 but the Redis primary of its keys (127.0.0.1:{Redis.Port}) has 0 replica(s) online: " +
            "every delivery is answered 503 until enough replicas connect (attach a replica, or lower MinReplicasToAcknowledge).");
        (await app.PostAsync(app.Hanko.CreateDelivery(HankoEventNames.UserCreate))).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "what the warning says");
        var short1 = await DurableHealth.EntryAsync(health);
        short1.Status.Should().Be(HealthStatus.Degraded);
        short1.Description.Should().Contain("MinReplicasToAcknowledge is 1 but the Redis primary has 0 replica(s) online: every delivery is answered 503");
        short1.Data["replicasOnline"].Should().Be(0);
        short1.Data["minReplicasToAcknowledge"].Should().Be(1);

        // The replica syncs at once (by default the primary waits 5 s for more replicas to share one transfer), as in ReplicatedRedis.
        Redis.Command("CONFIG", "SET", "repl-diskless-sync-delay", "0").Should().Be("+OK");
        using var replica = RedisServer.StartOrIgnore("--replicaof", "127.0.0.1", Redis.Port.ToString(CultureInfo.InvariantCulture));
        await Outcomes.WaitForAsync(() => app.Logged(EnoughReplicas), "logged once a replica connects");
        ReplicatedRedis.WaitUntil(() => ReplicatedRedis.Info(replica.Port, "master_link_status") == "up", "the replica is in sync");

        app.Logs.GetSnapshot().Count(r => r.Id.Id == TooFewReplicas).Should().Be(1, "warned once per change, not at every reading");
        app.Logs.GetSnapshot().Single(r => r.Id.Id == EnoughReplicas).Message.Should().Contain("has 1 replica(s) online again, enough for MinReplicasToAcknowledge 1");
        var enough = await DurableHealth.EntryAsync(health);
        enough.Status.Should().Be(HealthStatus.Healthy, enough.Description);
        enough.Data["replicasOnline"].Should().Be(1);
        (await app.PostAsync(app.Hanko.CreateDelivery(HankoEventNames.UserCreate))).StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    [Test]
    public async Task MinReplicas1_WithAReplicaConnected_ThroughSentinel_NoWarning_HealthCountsTheReplicaOfThePrimary()
    {
        using var redis = ReplicatedRedis.StartOrIgnore();
        var keys = Directory.CreateTempSubdirectory("hanko-keys-");
        var hanko = new FakeHanko();
        await using var app = await ReplicatedHost.StartAsync(
            redis.Configuration, hanko, new Outcomes(), keys, o => (o.KeyPrefix, o.MinReplicasToAcknowledge) = ("rw-ok", 1), o => o.MonitorInterval = TimeSpan.FromMilliseconds(50));

        (await app.PostAsync(hanko.CreateDelivery(HankoEventNames.UserCreate))).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var entry = await DurableHealth.EntryAsync(app.App.Services.GetRequiredService<HealthCheckService>());
        entry.Status.Should().Be(HealthStatus.Healthy, entry.Description);
        entry.Data["replicasOnline"].Should().Be(1, "asked of the primary (its replica has none)");
        await Task.Delay(500); // about ten readings

        app.Logged(TooFewReplicas).Should().BeFalse();
        app.Logged(EnoughReplicas).Should().BeFalse("nothing changed");
    }
}
