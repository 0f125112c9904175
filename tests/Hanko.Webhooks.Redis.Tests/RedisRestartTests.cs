using System.Collections.Concurrent;
using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using NUnit.Framework;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>Redis (AOF on, appendfsync everysec) is killed with SIGKILL in the middle of a run and started again.</summary>
[NonParallelizable]
public sealed class RedisRestartTests
{
    [Test]
    public async Task RedisKilledAndRestartedDuringARun_NoAcceptedDeliveryLost_503WhileDown_Never2xx()
    {
        using var redis = RedisServer.StartOrIgnore();
        var outcomes = new Outcomes();
        var hanko = new FakeHanko();
        await using var app = await DurableHost.StartAsync(redis, hanko, "restart", outcomes, o => o.Concurrency = 4);
        var deliveries = Deliveries.Distinct(hanko, 300);
        var answers = new ConcurrentDictionary<string, HttpStatusCode>();
        var posted = 0;
        var downAnswers = new ConcurrentBag<HttpStatusCode>();
        var down = false;

        var run = Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (delivery, _) =>
        {
            var startedDown = Volatile.Read(ref down);
            using var response = await app.PostAsync(delivery);
            answers[Deliveries.IdOf(delivery)] = response.StatusCode;

            // Sent and answered while Redis was down. (A post in flight at the kill may have been stored just before it and is
            // answered 202; a post that started while it was down may still be stored and answered 202 once it is back within
            // OperationTimeout: StackExchange.Redis holds the command until it reconnects.)
            if (startedDown && Volatile.Read(ref down))
            {
                downAnswers.Add(response.StatusCode);
            }

            Interlocked.Increment(ref posted);
            await Task.Delay(5, CancellationToken.None);
        });

        await Outcomes.WaitForAsync(() => Volatile.Read(ref posted) >= 100, "the run is under way");
        redis.Kill();
        Volatile.Write(ref down, true);
        await Task.Delay(5000); // longer than OperationTimeout, so that posts sent while it is down are answered while it is down
        Volatile.Write(ref down, false);
        redis.Start();
        await run;

        answers.Values.Should().OnlyContain(s => s == HttpStatusCode.Accepted || s == HttpStatusCode.ServiceUnavailable, "nothing else, and never 2xx for what is not stored");
        downAnswers.Should().NotBeEmpty().And.OnlyContain(s => s == HttpStatusCode.ServiceUnavailable, "every post sent and answered while Redis is down is 503");
        var accepted = answers.Where(a => a.Value == HttpStatusCode.Accepted).Select(a => a.Key).ToList();
        await Outcomes.WaitForAsync(() => accepted.All(id => outcomes.SuccessCount(id) >= 1), "every accepted delivery is processed after the restart", 120);
        var processedUnaccepted = outcomes.Successes.Keys.Except(accepted).Count();
        TestContext.Out.WriteLine($"300 posted: {accepted.Count} accepted (202), {answers.Count - accepted.Count} answered 503 ({downAnswers.Count} while Redis was down); accepted lost: {accepted.Count(id => outcomes.SuccessCount(id) == 0)}; answered 503 but stored anyway (reply lost at the kill): {processedUnaccepted}");
        accepted.Count.Should().BeGreaterThan(150);
    }
}
