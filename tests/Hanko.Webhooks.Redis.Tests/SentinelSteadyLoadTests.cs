using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using NUnit.Framework;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>
/// A Sentinel failover under a steady load, the receivers as separate processes (Hanko.Webhooks.Redis.TestReceiver, two
/// of them, <c>MinReplicasToAcknowledge = 1</c>, through the Sentinel): the primary is killed while deliveries keep coming,
/// the replica promoted, the old primary restarted as its replica. Each process writes what it handled to a file (outside
/// the Redis that fails over).
/// </summary>
[NonParallelizable]
public sealed class SentinelSteadyLoadTests
{
    [Test]
    public async Task PrimaryKilledUnderLoad_ReceiverProcessesThroughTheSentinel_NoAcceptedDeliveryLost_BothWorkersResume()
    {
        using var redis = ReplicatedRedis.StartOrIgnore();
        using var hanko = new FakeHanko();
        await using var jwks = await ReceiverProcess.StartJwksAsync(hanko);
        var files = Enumerable.Range(0, 2).Select(_ => Path.GetTempFileName()).ToArray();
        var receivers = files.Select(f => ReceiverProcess.Start(redis.Configuration, jwks.Urls.First() + "/jwks", "load", handlerMs: 20, new Dictionary<string, string>
        {
            ["MIN_REPLICAS"] = "1",
            ["PROCESSED_FILE"] = f,
        })).ToArray();
        try
        {
            await Task.WhenAll(receivers.Select(r => r.Ready));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
            var clock = Stopwatch.StartNew();
            var accepted = new ConcurrentBag<(string Id, TimeSpan SentAt)>();
            var unavailable = 0;
            TimeSpan? killedAt = null;
            TimeSpan? acceptedAgain = null;
            var afterKill = 0;
            var next = 0;

            async Task LoadAsync()
            {
                while (Volatile.Read(ref afterKill) < 60)
                {
                    clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(120), "deliveries are accepted again");
                    var delivery = Deliveries.Distinct(hanko, 1)[0];
                    var sentAt = clock.Elapsed;
                    using var response = await http.PostAsync(receivers[Interlocked.Increment(ref next) % 2].Url, delivery.ToHttpContent());
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        accepted.Add((Deliveries.IdOf(delivery), sentAt));
                        if (killedAt is { } k && sentAt > k)
                        {
                            lock (accepted)
                            {
                                acceptedAgain ??= clock.Elapsed - k;
                            }

                            Interlocked.Increment(ref afterKill);
                        }
                    }
                    else
                    {
                        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
                        Interlocked.Increment(ref unavailable);
                        await Task.Delay(50);
                    }
                }
            }

            var load = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(LoadAsync)));
            await Outcomes.WaitForAsync(() => accepted.Count >= 60, "the load is under way");
            var handledBefore = files.Select(f => File.ReadAllLines(f).Length).ToArray();
            killedAt = clock.Elapsed;
            redis.Primary.Kill();
            ReplicatedRedis.WaitUntil(() => redis.PrimaryPortNow() == redis.Replica.Port, "the Sentinel promotes the replica", 60);
            var promoted = clock.Elapsed - killedAt.Value;
            redis.Primary.Start("--replicaof", "127.0.0.1", redis.Replica.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await load;

            var ids = accepted.Select(a => a.Id).ToHashSet();
            HashSet<string> Handled() => files.SelectMany(File.ReadAllLines).ToHashSet();
            try
            {
                await Outcomes.WaitForAsync(() => ids.IsSubsetOf(Handled()), "every delivery answered 202 is handled", 60);
            }
            catch (TimeoutException)
            {
                var missing = ids.Except(Handled()).ToHashSet();
                throw new TimeoutException(
                    "every delivery answered 202 is handled; " + await WhereAreTheyAsync(redis, missing) +
                    $"; sent at {string.Join(", ", accepted.Where(a => missing.Contains(a.Id)).Select(a => $"{a.SentAt.TotalSeconds:0.00} s"))}, primary killed at {killedAt.Value.TotalSeconds:0.00} s, promoted {promoted.TotalSeconds:0.0} s later" +
                    "; receivers' output: " + string.Join(" | ", receivers.SelectMany((r, i) => r.Output.Select(line => $"{i}: {line.Trim()}")).Where(line => !line.Contains(": ready ", StringComparison.Ordinal)).TakeLast(60)));
            }

            var handledAfter = files.Select(f => File.ReadAllLines(f).Length).ToArray();
            TestContext.Out.WriteLine(
                $"steady load, 2 receiver processes, MinReplicasToAcknowledge=1: {ids.Count} accepted, {unavailable} answered 503; primary killed after {killedAt.Value.TotalSeconds:0.0} s, " +
                $"promoted {promoted.TotalSeconds:0.0} s later, accepted again {acceptedAgain!.Value.TotalSeconds:0.0} s after the kill; 0 lost; handled after the kill per process: {handledAfter[0] - handledBefore[0]}, {handledAfter[1] - handledBefore[1]}");
            handledAfter.Zip(handledBefore).Should().OnlyContain(x => x.First > x.Second, "both processes' workers resumed on the new primary");
        }
        finally
        {
            foreach (var receiver in receivers)
            {
                receiver.Dispose();
            }

            foreach (var file in files)
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>Where the deliveries not handled are in Redis: the stream (pending for whom, or unread), the retry set, the dead letters.</summary>
    private static async Task<string> WhereAreTheyAsync(ReplicatedRedis redis, HashSet<string> missing)
    {
        using var client = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var db = client.GetDatabase();
        var lines = new List<string> { $"{missing.Count} not handled: {string.Join(", ", missing.Take(5))}" };
        var stream = await db.StreamRangeAsync("{load}:stream");
        var inStream = stream.Where(e => missing.Contains((string?)e["d"] ?? string.Empty)).ToList();
        lines.Add($"stream: {stream.Length} entries, {inStream.Count} of the missing: {string.Join(", ", inStream.Select(e => e.Id.ToString()))}");
        foreach (var group in await db.StreamGroupInfoAsync("{load}:stream"))
        {
            lines.Add($"group {group.Name}: last-delivered {group.LastDeliveredId}, pending {group.PendingMessageCount}, consumers {group.ConsumerCount}");
        }

        foreach (var entry in inStream)
        {
            var pending = await db.StreamPendingMessagesAsync("{load}:stream", "hanko-workers", 1, RedisValue.Null, entry.Id, entry.Id);
            lines.Add(pending.Length == 0 ? $"{entry.Id}: not pending (unread, or acknowledged but not deleted)" : $"{entry.Id}: pending for {pending[0].ConsumerName}, idle {pending[0].IdleTimeInMilliseconds} ms, delivered {pending[0].DeliveryCount}x");
        }

        foreach (var consumer in await db.StreamConsumerInfoAsync("{load}:stream", "hanko-workers"))
        {
            lines.Add($"consumer {consumer.Name}: pending {consumer.PendingMessageCount}, idle {consumer.IdleTimeInMilliseconds} ms");
        }

        var dead = await db.StreamRangeAsync("{load}:dead");
        lines.Add($"dead letters: {dead.Length} ({dead.Count(e => missing.Contains((string?)e["d"] ?? string.Empty))} of the missing); retry set: {await db.SortedSetLengthAsync("{load}:retry")}");
        lines.Add($"primary now :{redis.PrimaryPortNow()} (started as :{redis.Primary.Port}, its replica :{redis.Replica.Port}); Sentinel: {SentinelFailovers(redis)}");
        foreach (var port in new[] { redis.Primary.Port, redis.Replica.Port })
        {
            lines.Add($":{port} role {ReplicatedRedis.Info(port, "role")}, offset {ReplicatedRedis.Info(port, "master_repl_offset")}, " +
                $"claims of the missing: {missing.Count(id => Equals(Resp.Call(port, "EXISTS", "{load}:claim:" + id), 1L))}");
        }
        return string.Join("; ", lines);
    }

    /// <summary>The Sentinel's view of the service: its config epoch (one more per failover) and flags.</summary>
    private static string SentinelFailovers(ReplicatedRedis redis)
    {
        try
        {
            var fields = ((object?[])Resp.Call(redis.SentinelPort, "SENTINEL", "MASTER", ReplicatedRedis.ServiceName)!).Select(f => f?.ToString()).ToArray();
            string? Field(string name) => fields.Select((f, i) => (f, i)).Where(x => x.f == name && x.i + 1 < fields.Length).Select(x => fields[x.i + 1]).FirstOrDefault();
            return $"config-epoch {Field("config-epoch")}, flags {Field("flags")}, num-slaves {Field("num-slaves")}";
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException or InvalidCastException)
        {
            return "unavailable (" + ex.GetType().Name + ")";
        }
    }
}
