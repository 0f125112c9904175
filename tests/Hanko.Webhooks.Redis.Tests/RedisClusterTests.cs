using System.Collections.Concurrent;
using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>
/// Redis Cluster, 3 masters (real processes, <c>redis-cli --cluster create</c>): two projects, each under its own hash tag,
/// on two instances of the app; a slot moved to another master while deliveries arrive (<c>ASK</c>, <c>TRYAGAIN</c>); and
/// with one replica per master, <c>MinReplicasToAcknowledge</c> per shard and a master failover.
/// </summary>
[NonParallelizable]
public sealed class RedisClusterTests
{
    [Test]
    public async Task ThreeMasters_TwoProjectsOnTwoInstances_EachDeliveryPostedToBothAtOnce_HandledExactlyOncePerProject()
    {
        using var cluster = RedisCluster.StartOrIgnore();
        var keys = Directory.CreateTempSubdirectory("hanko-keys-");
        var hanko = new FakeHanko();
        var handled = new Handled();
        await using var one = await StartAsync(cluster, hanko, handled, keys, "cl");
        await using var two = await StartAsync(cluster, hanko, handled, keys, "cl");
        var deliveries = Deliveries.Distinct(hanko, 50);

        var answers = await Task.WhenAll(deliveries.SelectMany(d => new[] { "a", "b" }.SelectMany(p => new[] { one, two }.Select(async app =>
        {
            using var response = await app.PostAsync(d, "/webhooks/hanko/" + p);
            return (Project: p, Id: Deliveries.IdOf(d), response.StatusCode);
        }))));

        foreach (var group in answers.GroupBy(a => (a.Project, a.Id)))
        {
            group.Select(a => a.StatusCode).Should().BeEquivalentTo([HttpStatusCode.Accepted, HttpStatusCode.OK], "one instance stores it, the other's copy is a duplicate");
        }

        await Outcomes.WaitForAsync(() => handled.Count == 100, "both projects handle every delivery");
        await Task.Delay(500); // nothing runs twice
        handled.Runs.Values.Should().OnlyContain(n => n == 1);
        var slots = new[] { "a", "b" }.Select(p => RedisCluster.Slot(cluster.Nodes[0].Port, "{cl:" + p + "}:stream")).ToArray();
        TestContext.Out.WriteLine($"project a: slot {slots[0]} on port {cluster.Owner(slots[0]).Port}; b: slot {slots[1]} on port {cluster.Owner(slots[1]).Port}");
    }

    [Test]
    public async Task SlotMigratedDuringARun_EveryAcceptedDeliveryHandledOnce_ReceiptsAcceptedAgainAfter()
    {
        using var cluster = RedisCluster.StartOrIgnore();
        var keys = Directory.CreateTempSubdirectory("hanko-keys-");
        var hanko = new FakeHanko();
        var handled = new Handled();
        await using var app = await StartAsync(cluster, hanko, handled, keys, "mig");
        var slot = RedisCluster.Slot(cluster.Nodes[0].Port, "{mig:a}:stream");
        var source = cluster.Owner(slot);
        var target = cluster.Nodes.First(n => n != source);
        var deliveries = new ConcurrentQueue<HankoDelivery>(Deliveries.Distinct(hanko, 120));
        var accepted = new ConcurrentBag<string>();
        var unavailable = 0;

        async Task PostAllAsync()
        {
            while (deliveries.TryDequeue(out var delivery))
            {
                while (true)
                {
                    using var response = await app.PostAsync(delivery, "/webhooks/hanko/a");
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        accepted.Add(Deliveries.IdOf(delivery));
                        break;
                    }

                    response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "a receipt is stored or refused, never 2xx otherwise");
                    Interlocked.Increment(ref unavailable);
                    await Task.Delay(50); // a real copy, later
                }
            }
        }

        var posting = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(PostAllAsync)));
        await Outcomes.WaitForAsync(() => accepted.Count >= 20, "the run is under way");
        await cluster.MigrateAsync(slot, target, TimeSpan.FromMilliseconds(20));
        await posting;

        cluster.Owner(slot).Should().Be(target);
        accepted.Should().HaveCount(120).And.OnlyHaveUniqueItems();
        await Outcomes.WaitForAsync(() => handled.Count == 120, "every accepted delivery is handled after the move");
        await Task.Delay(500);
        handled.Runs.Values.Should().OnlyContain(n => n == 1, "none runs twice");
        TestContext.Out.WriteLine($"slot {slot} moved from port {source.Port} to {target.Port} during the run: 120 accepted, {unavailable} answers 503 while it moved (retried as copies), each handled once");
    }

    [Test]
    public async Task WithReplicas_MinReplicas1_WaitsOnTheProjectsOwnShard_AndAMasterFailoverLosesNothingAnswered2xx()
    {
        using var cluster = RedisCluster.StartOrIgnore(replicas: 1);
        var keys = Directory.CreateTempSubdirectory("hanko-keys-");
        var hanko = new FakeHanko();
        var handled = new Handled();
        await using var app = await StartAsync(cluster, hanko, handled, keys, "ha", minReplicas: 1);
        var slot = RedisCluster.Slot(cluster.Nodes[0].Port, "{ha:a}:stream");
        var master = cluster.Owner(slot);
        var replica = cluster.ReplicaOf(master);
        var otherReplica = cluster.ReplicaOf(cluster.Owner(slot < 8000 ? 16000 : 100)); // another shard's (3 masters: 0-5460, 5461-10922, 10923-16383)
        var accepted = new ConcurrentBag<string>();

        async Task<HttpStatusCode> PostAsync()
        {
            var delivery = Deliveries.Distinct(hanko, 1)[0];
            using var response = await app.PostAsync(delivery, "/webhooks/hanko/a");
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                accepted.Add(Deliveries.IdOf(delivery));
            }

            return response.StatusCode;
        }

        (await PostAsync()).Should().Be(HttpStatusCode.Accepted);
        otherReplica.Pause();
        try
        {
            (await PostAsync()).Should().Be(HttpStatusCode.Accepted, "another shard's replica does not count: WAIT goes to the master of a's slot");
        }
        finally
        {
            otherReplica.Resume();
        }

        replica.Pause();
        (await PostAsync()).Should().Be(HttpStatusCode.ServiceUnavailable, "a's own replica lags");

        // a's master dies with its replica lagging; the replica resumes and the cluster promotes it; the old master returns as its replica.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        master.Kill();
        replica.Resume();
        var unavailable = 0;
        TimeSpan? again = null;
        var posting = Task.Run(async () =>
        {
            var ok = 0;
            while (ok < 10)
            {
                clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(90), "deliveries are accepted again");
                if (await PostAsync() == HttpStatusCode.Accepted)
                {
                    again ??= clock.Elapsed;
                    ok++;
                }
                else
                {
                    Interlocked.Increment(ref unavailable);
                    await Task.Delay(100);
                }
            }
        });
        ReplicatedRedis.WaitUntil(() => cluster.Owner(slot) == replica, "the cluster promotes a's replica", 60);
        var promoted = clock.Elapsed;
        master.Start();
        await posting;

        await Outcomes.WaitForAsync(() => accepted.All(id => handled.Runs.ContainsKey(("a", id))), "every delivery answered 2xx is handled", 60);
        TestContext.Out.WriteLine($"cluster failover of a's master: promoted {promoted.TotalSeconds:0.0} s after the kill, 202 again after {again!.Value.TotalSeconds:0.0} s ({unavailable} answered 503 meanwhile); {accepted.Count} accepted, 0 lost");

        // Receipts reach the promoted replica within seconds (58.6 s once measured with every script of the package sent with
        // CommandFlags.DemandMaster, which is why only a Sentinel configuration demands the primary).
        (again.Value - promoted).Should().BeLessThan(TimeSpan.FromSeconds(20), "receipts follow the cluster's failover");
    }

    private static Task<TestApp> StartAsync(RedisCluster cluster, FakeHanko hanko, Handled handled, DirectoryInfo keyRing, string prefix, int minReplicas = 0) =>
        TestApp.StartAsync(
            configure: b =>
            {
                b.Services.AddSingleton(handled);
                b.Services.AddDataProtection().SetApplicationName("hanko-tests").PersistKeysToFileSystem(keyRing);
                foreach (var project in new[] { "a", "b" })
                {
                    b.Services.AddHankoWebhooks(project, o => (o.JwksUrl, o.Audience) = ($"https://{project}.hanko.test/.well-known/jwks.json", "localhost"))
                        .AddHandler<CountingHandler>()
                        .UseRedis(o => (o.Configuration, o.KeyPrefix, o.MinReplicasToAcknowledge) = (cluster.Configuration, prefix, minReplicas))
                        .UseDurableProcessing(o =>
                        {
                            o.RetryDelays = [.. Enumerable.Repeat(TimeSpan.FromMilliseconds(100), 5)];
                            o.VisibilityTimeout = TimeSpan.FromSeconds(2);
                            o.MaintenanceInterval = TimeSpan.FromMilliseconds(50);
                            o.PollInterval = TimeSpan.FromMilliseconds(20);
                        });
                }
            },
            map: app =>
            {
                app.MapHankoWebhooks("/webhooks/hanko/a", "a");
                app.MapHankoWebhooks("/webhooks/hanko/b", "b");
            },
            hanko: hanko);

    /// <summary>How often each (project, delivery id) was handled, across every instance.</summary>
    internal sealed class Handled
    {
        public ConcurrentDictionary<(string? Project, string DeliveryId), int> Runs { get; } = new();

        public int Count => Runs.Count;
    }

    internal sealed class CountingHandler(Handled handled) : IHankoEventHandler<HankoEvent>
    {
        public Task HandleAsync(HankoEvent @event, CancellationToken cancellationToken)
        {
            handled.Runs.AddOrUpdate((@event.Project, @event.DeliveryId), 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }
    }
}
