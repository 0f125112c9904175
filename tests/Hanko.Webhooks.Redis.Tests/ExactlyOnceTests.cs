using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>3 instances on one Redis; 500 distinct deliveries, each posted to all 3 at the same moment.</summary>
[NonParallelizable]
public sealed class ExactlyOnceTests
{
    private const int DeliveryCount = 500;
    private RedisServer _redis = null!;

    [OneTimeSetUp]
    public void StartRedis() => _redis = RedisServer.StartOrIgnore();

    [OneTimeTearDown]
    public void StopRedis() => _redis?.Dispose();

    [Test]
    public async Task UseRedis_ThreeHosts_500DeliveriesEachPostedToAllThree_DispatchedExactly500Times()
    {
        var prefix = "once-" + Guid.NewGuid().ToString("N")[..8];
        var (dispatched, statuses) = await RunAsync(h => h.UseRedis(o => (o.Configuration, o.KeyPrefix) = (_redis.Configuration, prefix)), configure: null);

        TestContext.Out.WriteLine($"UseRedis: {dispatched.Count} dispatches for {DeliveryCount} deliveries posted 3 times each");
        dispatched.Should().HaveCount(DeliveryCount).And.OnlyHaveUniqueItems();
        statuses.Should().OnlyContain(s => s == HttpStatusCode.OK, "the copies are acknowledged as duplicates");
    }

    [Test]
    public async Task WithoutUseRedis_IDistributedCacheOnRedis_TheGetThenSetRaceDispatchesSomeTwice()
    {
        // v0.1's multi-instance setup: the replay guard on AddStackExchangeRedisCache (a get, then a set).
        var prefix = "race-" + Guid.NewGuid().ToString("N")[..8];
        var (dispatched, _) = await RunAsync(null, b => b.Services.AddStackExchangeRedisCache(o => (o.Configuration, o.InstanceName) = (_redis.Configuration, prefix)));

        TestContext.Out.WriteLine($"IDistributedCache: {dispatched.Count} dispatches for {DeliveryCount} deliveries ({dispatched.Count - DeliveryCount} extra)");
        dispatched.Distinct().Should().HaveCount(DeliveryCount, "every delivery is dispatched at least once");
        dispatched.Count.Should().BeGreaterThanOrEqualTo(DeliveryCount);
    }

    private static async Task<(List<string> Dispatched, List<HttpStatusCode> Statuses)> RunAsync(Action<HankoWebhooksBuilder>? redis, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure)
    {
        var hanko = new FakeHanko();
        var hosts = new List<TestApp>();
        for (var i = 0; i < 3; i++)
        {
            hosts.Add(await TestApp.StartAsync(h => { h.AddHandler<AllEventsHandler>(); redis?.Invoke(h); }, configure: configure, hanko: hanko));
        }

        try
        {
            var deliveries = Deliveries.Distinct(hanko, DeliveryCount);
            var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
            await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (delivery, _) =>
            {
                var responses = await Task.WhenAll(hosts.Select(h => h.PostAsync(delivery)));
                foreach (var response in responses)
                {
                    statuses.Add(response.StatusCode);
                    response.Dispose();
                }
            });

            return (hosts.SelectMany(h => h.Recorder.Calls).Select(c => c.Event.DeliveryId).ToList(), [.. statuses]);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }
}
