using System.Diagnostics;
using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>
/// A failover with a lagging replica, on real processes: primary + replica + <c>redis-server --sentinel</c>, the app on
/// <c>UseRedis("127.0.0.1:{sentinel},serviceName=mymaster")</c>. The replica is frozen (SIGSTOP) while deliveries arrive, the
/// primary killed (SIGKILL), the replica resumed and promoted by the Sentinel, the old primary restarted (it comes back as
/// the new primary's replica). One worker slot is held by a handler across the failover, so that what arrives meanwhile
/// waits in the stream, as a backlog does under load.
/// </summary>
[NonParallelizable]
public sealed class SentinelFailoverTests
{
    [TestCase(1, TestName = "LaggingReplicaFailover_MinReplicas1_Every2xxDeliveryHandled_NoneLost_WorkersResume")]
    [TestCase(0, TestName = "LaggingReplicaFailover_MinReplicas0_AcceptedDeliveriesLost_TheLossTheOptionPrevents")]
    public async Task LaggingReplicaFailover(int minReplicas)
    {
        using var redis = ReplicatedRedis.StartOrIgnore();
        var keys = Directory.CreateTempSubdirectory("hanko-keys-");
        var hanko = new FakeHanko();
        var outcomes = new Outcomes();
        var normal = Deliveries.Distinct(hanko, 10);
        var flaky = Deliveries.Distinct(hanko, 3);
        var doomed = hanko.CreateDelivery(HankoEventNames.UserDelete);
        var blocker = hanko.CreateDelivery(HankoEventNames.UserCreate);
        var flakyIds = flaky.Select(Deliveries.IdOf).ToHashSet();
        var failing = true;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blockerStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        outcomes.Decide = async (_, delivery, _) =>
        {
            if (delivery.DeliveryId == Deliveries.IdOf(blocker))
            {
                blockerStarted.TrySetResult();
                await gate.Task;
            }
            else if (delivery.DeliveryId == Deliveries.IdOf(doomed))
            {
                throw new HankoDoNotRetryException("doomed");
            }
            else if (failing && flakyIds.Contains(delivery.DeliveryId))
            {
                throw new InvalidOperationException("not yet");
            }
        };
        await using var app = await ReplicatedHost.StartAsync(
            redis.Configuration, hanko, outcomes, keys, o => (o.KeyPrefix, o.MinReplicasToAcknowledge) = ("fo", minReplicas), o =>
            {
                o.Concurrency = 1;
                // Enough retries that the flaky ones outlast any failover on a slow machine (they fail until the old primary is back).
                o.RetryDelays = [.. Enumerable.Repeat(TimeSpan.FromSeconds(1), 90)];
            });
        var accepted = new List<string>();

        async Task<HttpStatusCode> PostAsync(HankoDelivery delivery)
        {
            using var response = await app.PostAsync(delivery);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                lock (accepted)
                {
                    accepted.Add(Deliveries.IdOf(delivery));
                }
            }

            return response.StatusCode;
        }

        // Before: processed, retried, dead-lettered; then one handler holds the only slot across what follows.
        foreach (var delivery in normal.Concat(flaky).Append(doomed))
        {
            (await PostAsync(delivery)).Should().Be(HttpStatusCode.Accepted);
        }

        var deadLetters = app.App.Services.GetRequiredService<IHankoDeadLetters>();
        await Outcomes.WaitForAsync(() => normal.All(d => outcomes.SuccessCount(Deliveries.IdOf(d)) == 1) && deadLetters.CountAsync().Result == 1, "the first deliveries are settled");
        (await PostAsync(blocker)).Should().Be(HttpStatusCode.Accepted);
        await blockerStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The replica lags: frozen, and the link's socket buffers filled, so that what follows stays in the primary's output buffer.
        redis.Replica.Pause();
        using (var primary = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Primary.Port}"))
        {
            await primary.GetDatabase().StringSetAsync("filler", new byte[16 * 1024 * 1024]);
        }

        var frozen = Deliveries.Distinct(hanko, 20);
        var frozenAnswers = await Task.WhenAll(frozen.Select(PostAsync));

        // The primary dies; the replica resumes and is promoted; the handler holding the slot finishes during the switch.
        var clock = Stopwatch.StartNew();
        redis.Primary.Kill();
        redis.Replica.Resume();
        gate.SetResult();

        // From the kill on, one new delivery at a time (each 503 is Hanko's failure, and a new delivery follows), until 10 are accepted.
        var during503 = 0;
        TimeSpan? acceptedAgain = null;
        var after = new List<HankoDelivery>();
        var posting = Task.Run(async () =>
        {
            while (after.Count < 10)
            {
                clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(90), "deliveries are accepted again");
                var delivery = Deliveries.Distinct(hanko, 1)[0];
                var status = await PostAsync(delivery);
                if (status == HttpStatusCode.Accepted)
                {
                    acceptedAgain ??= clock.Elapsed;
                    after.Add(delivery);
                }
                else
                {
                    status.Should().Be(HttpStatusCode.ServiceUnavailable);
                    Interlocked.Increment(ref during503);
                    await Task.Delay(100);
                }
            }
        });
        ReplicatedRedis.WaitUntil(() => redis.PrimaryPortNow() == redis.Replica.Port, "the Sentinel promotes the replica", 60);
        var promoted = clock.Elapsed;

        // The old primary returns as the new one's replica. (Started as a primary, it would take writes for the seconds until
        // the Sentinel converts it, and StackExchange.Redis sends some there: receipts get no replica there, so 503 with the
        // option; acknowledgments there are lost with its data, and those deliveries run again.)
        redis.Primary.Start("--replicaof", "127.0.0.1", redis.Replica.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await posting;

        failing = false;
        // Without WAIT (option 0) what the replica had not received when it froze dies with the primary, and it can lag by more
        // than the freeze: in about 1 of 6 runs here the flaky deliveries' retries and the dead letter, written a second
        // before, were gone on the new primary (attempt 1 only, 0 dead letters). With the option every acknowledged write survives.
        var survivors = accepted.Except(frozen.Select(Deliveries.IdOf)).Where(id => id != Deliveries.IdOf(doomed) && (minReplicas > 0 || !flakyIds.Contains(id))).ToList();
        try
        {
            await Outcomes.WaitForAsync(() => survivors.All(id => outcomes.SuccessCount(id) >= 1), "everything accepted outside the freeze is handled after the failover", 60);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; not handled: {Describe(survivors.Where(id => outcomes.SuccessCount(id) == 0))}; dead letters: {await deadLetters.CountAsync()}", ex);
        }

        string Describe(IEnumerable<string> ids) => string.Join(", ", ids.Select(id =>
        {
            var kind = normal.Any(d => Deliveries.IdOf(d) == id) ? "before" : flakyIds.Contains(id) ? "flaky" : id == Deliveries.IdOf(blocker) ? "blocker" : "during/after the switch";
            return $"{kind} {id[..8]} (attempts {string.Join('/', outcomes.Attempts.Where(a => a.DeliveryId == id).Select(a => a.Attempt))})";
        }));
        var frozenAccepted = frozenAnswers.Count(s => s == HttpStatusCode.Accepted);
        if (frozenAccepted > 0)
        {
            await Task.Delay(3000); // what survived of the freeze would be handled by now (the worker is idle)
        }

        var lost = accepted.Count(id => id != Deliveries.IdOf(doomed) && outcomes.SuccessCount(id) == 0);
        TestContext.Out.WriteLine(
            $"MinReplicasToAcknowledge={minReplicas}: during the freeze {frozenAccepted} of 20 answered 202, {20 - frozenAccepted} answered 503; " +
            $"promoted {promoted.TotalSeconds:0.0} s after the kill, 202 again after {acceptedAgain!.Value.TotalSeconds:0.0} s ({during503} answered 503 during the switch); " +
            $"{accepted.Count} answered 202 in all, {lost} of them never handled (lost)");

        // Its acknowledgment, failed during the switch, is retried and it stays held meanwhile; it runs a second time only
        // when the replica froze before its read reached it (the read is not a receipt: no WAIT covers it). Never lost.
        outcomes.SuccessCount(Deliveries.IdOf(blocker)).Should().BeInRange(1, 2);
        if (minReplicas > 0)
        {
            // Their retries resumed on the new primary: each handled, at most twice. Like the blocker's, a retry's release and
            // read are worker writes, which no WAIT covers: one the frozen replica never received is read again on the new
            // primary, and the copy read on the old one may already have run (seen in about 1 of 10 runs; never a loss).
            TestContext.Out.WriteLine($"flaky deliveries handled {string.Join('/', flaky.Select(d => outcomes.SuccessCount(Deliveries.IdOf(d))))} time(s)");
            flaky.Select(d => outcomes.SuccessCount(Deliveries.IdOf(d))).Should().OnlyContain(n => n == 1 || n == 2, "their retries resumed on the new primary: " + Describe(flakyIds));
            (await deadLetters.CountAsync()).Should().Be(1, "the dead letter is on the new primary");
            frozenAccepted.Should().Be(0, "no replica confirmed them");
            lost.Should().Be(0, "every delivery answered 2xx is handled");
        }
        else
        {
            frozenAccepted.Should().Be(20);
            lost.Should().BeGreaterThan(0, "without WAIT what the primary acknowledged but had not replicated dies with it");
        }
    }
}
