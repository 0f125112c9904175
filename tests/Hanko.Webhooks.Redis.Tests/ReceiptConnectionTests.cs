using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>
/// Which connection receipts go on with <c>MinReplicasToAcknowledge = 0</c>: their own when the package makes its
/// multiplexers from a configuration string, so that their replies never wait behind the workers' reads and
/// acknowledgments on one pipelined connection; the app's when it registered its own multiplexer in DI (the package does
/// not copy it without the settings made in code). Seen from Redis: <c>CLIENT LIST</c> names each client and its last command.
/// </summary>
[NonParallelizable]
public sealed class ReceiptConnectionTests
{
    private const string ReceiptsClient = "name=" + DurableHealth.ReceiptsClient;

    [Test]
    public async Task ConfigurationString_ReceiptsGoOnTheirOwnConnection_TheWorkersReadOnTheOther()
    {
        using var redis = RedisServer.StartOrIgnore();
        var hanko = new FakeHanko();
        var outcomes = new Outcomes();
        await using var app = await DurableHost.StartAsync(redis, hanko, "rc-own", outcomes);

        var deliveries = Deliveries.Distinct(hanko, 5);
        var responses = await Task.WhenAll(deliveries.Select(d => app.PostAsync(d)));
        responses.Select(r => r.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.Accepted);
        await Outcomes.WaitForAsync(() => outcomes.Successes.Count == 5, "the five handled");

        await Task.Delay(200); // the workers poll every 20 ms: on a shared connection its last command would be theirs

        var receipts = Clients(redis).Where(c => c.Contains(ReceiptsClient, StringComparison.Ordinal) && !c.Contains("cmd=subscribe", StringComparison.Ordinal)).ToList();
        receipts.Should().ContainSingle("one connection of the receipts' own per project and instance (and StackExchange.Redis's subscription one)")
            .Which.Should().MatchRegex(@"\bcmd=eval(sha)?\b", "only the receipt script runs on it, never the workers' reads and acknowledgments");
    }

    [Test]
    public async Task AppsMultiplexerFromDi_ReceiptsShareIt_NoConnectionOfTheirOwn()
    {
        using var redis = RedisServer.StartOrIgnore();
        using var appRedis = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",name=the-apps-own");
        var hanko = new FakeHanko();
        await using var app = await TestApp.StartAsync(
            h => h.AddHandler<OutcomeHandler>()
                .UseRedis(o => o.KeyPrefix = "rc-app")
                .UseDurableProcessing(o => o.Concurrency = 0),
            configure: b =>
            {
                b.Services.AddSingleton(new Outcomes());
                b.Services.AddSingleton<IConnectionMultiplexer>(appRedis);
                b.Services.AddDataProtection().SetApplicationName("hanko-tests").PersistKeysToFileSystem(Directory.CreateTempSubdirectory("hanko-keys-"));
            },
            hanko: hanko);

        (await app.PostAsync(hanko.CreateDelivery(HankoEventNames.UserCreate))).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var clients = Clients(redis).Where(c => !c.Contains("cmd=client|list", StringComparison.Ordinal)).ToList(); // not this test's own
        clients.Should().NotBeEmpty().And.OnlyContain(c => c.Contains("name=the-apps-own", StringComparison.Ordinal),
            "without replicas to confirm, receipts (and everything else of the package) use the app's multiplexer: no connection of their own");
        (await appRedis.GetDatabase().StreamLengthAsync("{rc-app}:stream")).Should().Be(1);
    }

    private static List<string> Clients(RedisServer redis) =>
        [.. ((string)Resp.Call(redis.Port, "CLIENT", "LIST")!).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
}
