using System.Collections.Concurrent;
using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using NUnit.Framework;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>
/// Two receiver <em>processes</em> (Hanko.Webhooks.Redis.TestReceiver) on one Redis; one is killed with SIGKILL while its
/// handlers run. Each handler works 300 ms, then records its success in Redis (HINCRBY), after which the SDK acknowledges.
/// </summary>
[NonParallelizable]
public sealed class CrashTests
{
    [Test]
    public async Task ReceiverProcessKilledWhileHandlersRun_EveryAcceptedDeliveryProcessedByTheSurvivor_NoneLost()
    {
        using var redis = RedisServer.StartOrIgnore();
        using var hanko = new FakeHanko();
        await using var jwks = await ReceiverProcess.StartJwksAsync(hanko);
        var prefix = "crash";
        using var victim = ReceiverProcess.Start(redis.Configuration, jwks.Urls.First() + "/jwks", prefix, handlerMs: 300);
        using var survivor = ReceiverProcess.Start(redis.Configuration, jwks.Urls.First() + "/jwks", prefix, handlerMs: 300);
        await Task.WhenAll(victim.Ready, survivor.Ready);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deliveries = Deliveries.Distinct(hanko, 200);
        var accepted = new ConcurrentBag<string>();
        var acceptedByVictim = 0;
        var unavailable = 0;
        var killed = false;
        var run = Parallel.ForEachAsync(deliveries.Select((d, i) => (d, i)), new ParallelOptions { MaxDegreeOfParallelism = 12 }, async (x, _) =>
        {
            var target = x.i % 4 == 3 ? survivor : victim;
            try
            {
                using var response = await http.PostAsync(target.Url, x.d.ToHttpContent(), CancellationToken.None);
                response.StatusCode.Should().BeOneOf(HttpStatusCode.Accepted, HttpStatusCode.ServiceUnavailable);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Interlocked.Increment(ref unavailable); // not stored in time: Hanko records a failure
                    return;
                }

                accepted.Add(Deliveries.IdOf(x.d));
                if (target == victim)
                {
                    Interlocked.Increment(ref acceptedByVictim);
                }
            }
            catch (HttpRequestException) when (Volatile.Read(ref killed) && target == victim)
            {
                // The victim is gone: not accepted, so Hanko would have recorded a failure.
            }
        });

        await Outcomes.WaitForAsync(() => Volatile.Read(ref acceptedByVictim) >= 60, "the victim has accepted deliveries and its handlers run");
        Volatile.Write(ref killed, true);
        victim.Kill();
        var processedAtKill = await ProcessedAsync(redis, prefix);
        await run;

        var ids = accepted.ToList();
        await Outcomes.WaitForAsync(() => ProcessedAsync(redis, prefix).Result.Keys.Count(ids.Contains) == ids.Count, "the survivor processes every accepted delivery", 60);
        var processed = await ProcessedAsync(redis, prefix);
        var lost = ids.Count(id => !processed.ContainsKey(id));
        var twice = processed.Where(p => p.Value > 1).ToList();
        TestContext.Out.WriteLine($"accepted {ids.Count} ({acceptedByVictim} by the killed process), 503 {unavailable}, processed {processed.Count}, lost {lost}, " +
            $"stored but unanswered at the kill {processed.Keys.Except(ids).Count()}, processed before the kill {processedAtKill.Count}, run twice (success recorded, killed before the ack) {twice.Count}");

        lost.Should().Be(0);
        // Beyond the accepted: deliveries the victim stored whose 202 the kill cut off (stored, so processed; Hanko saw a failure).
        processed.Keys.Except(ids).Should().HaveCountLessThanOrEqualTo(12 + unavailable, "only requests in flight at the kill (12 at a time), or answered 503 after a slow store, are stored without a 202");
        processedAtKill.Count.Should().BeLessThan(ids.Count, "the kill fell while accepted deliveries were still unprocessed");
        twice.Should().HaveCountLessThanOrEqualTo(8, "only deliveries the victim was running (8 at a time) can run twice");
        twice.Where(p => p.Value != 2).Should().BeEmpty("the survivor runs a taken-over delivery once");
    }

    /// <summary>What the receivers recorded: successes per delivery id (<c>{prefix}:processed</c>).</summary>
    private static async Task<Dictionary<string, long>> ProcessedAsync(RedisServer redis, string prefix)
    {
        using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var entries = await connection.GetDatabase().HashGetAllAsync(prefix + ":processed");
        return entries.ToDictionary(e => (string)e.Name!, e => (long)e.Value);
    }
}
