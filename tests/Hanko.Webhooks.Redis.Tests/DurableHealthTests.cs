using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NUnit.Framework;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>
/// The durable health entry is Unhealthy whenever deliveries are answered <c>503</c> because Redis does not answer: on the
/// package's connection (Redis down), and on the receipts' own connection alone (a Redis at <c>maxclients</c> refusing its
/// reconnect while the package's other connection stays up); Healthy again once Redis answers. Each test has its own redis-server.
/// </summary>
[NonParallelizable]
public sealed class DurableHealthTests
{
    [Test]
    public async Task RedisDown_Unhealthy_DeliveriesAnswered503_HealthyAndAcceptedAgainAfterItsRestart()
    {
        using var redis = RedisServer.StartOrIgnore();
        var hanko = new FakeHanko();
        await using var app = await DurableHost.StartAsync(redis, hanko, "health-down", new Outcomes(), o => o.Concurrency = 0);
        var health = app.App.Services.GetRequiredService<HealthCheckService>();
        (await app.PostAsync(hanko.CreateDelivery(HankoEventNames.UserCreate))).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await DurableHealth.EntryAsync(health)).Status.Should().Be(HealthStatus.Healthy);

        redis.Kill();

        var down = await DurableHealth.EntryAsync(health);
        down.Status.Should().Be(HealthStatus.Unhealthy);
        down.Description.Should().StartWith("Redis does not answer (").And.EndWith("deliveries are answered 503.");
        (await app.PostAsync(hanko.CreateDelivery(HankoEventNames.UserCreate))).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);

        redis.Start();

        await WaitForHealthyAsync(health);
        (await app.PostAsync(hanko.CreateDelivery(HankoEventNames.UserCreate))).StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    [Test]
    public async Task RedisAtMaxClients_RefusesOnlyTheReceiptsReconnect_Unhealthy_DeliveriesAnswered503_HealthyAgainWhenItAccepts()
    {
        using var redis = RedisServer.StartOrIgnore();
        using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        var hanko = new FakeHanko();
        await using var app = await DurableHost.StartAsync(redis, hanko, "health-receipts", new Outcomes(), o => o.Concurrency = 0);
        var health = app.App.Services.GetRequiredService<HealthCheckService>();
        (await app.PostAsync(hanko.CreateDelivery(HankoEventNames.UserCreate))).StatusCode.Should().Be(HttpStatusCode.Accepted);

        await DurableHealth.RefuseTheReceiptsReconnectAsync(server); // the package's other connection stays

        var refused = await DurableHealth.EntryAsync(health);
        refused.Status.Should().Be(HealthStatus.Unhealthy, "every delivery is answered 503 now, although the package's other connection answers");
        refused.Description.Should().StartWith("Redis does not answer on the receipts' connection (").And.EndWith("deliveries are answered 503.");
        (await app.PostAsync(hanko.CreateDelivery(HankoEventNames.UserCreate))).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await server.ClientListAsync()).Should().NotContain(c => c.Name == DurableHealth.ReceiptsClient, "Redis refused the reconnect");

        await DurableHealth.AcceptConnectionsAsync(server);

        await WaitForHealthyAsync(health);
        (await app.PostAsync(hanko.CreateDelivery(HankoEventNames.UserCreate))).StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    private static async Task WaitForHealthyAsync(HealthCheckService health)
    {
        var last = await DurableHealth.EntryAsync(health);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (last.Status != HealthStatus.Healthy && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            last = await DurableHealth.EntryAsync(health);
        }

        last.Status.Should().Be(HealthStatus.Healthy, last.Description);
    }
}
