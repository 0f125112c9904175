using System.Diagnostics;
using Hanko.Webhooks.TestSupport;

namespace Hanko.Webhooks.Redis.Tests.TestSupport;

/// <summary>
/// A Redis Cluster of three masters on 127.0.0.1 at free ports (real <c>redis-server --cluster-enabled yes</c> processes,
/// joined with <c>redis-cli --cluster create … --cluster-replicas 0</c>), and what a test needs to move a slot by hand.
/// </summary>
internal sealed class RedisCluster : IDisposable
{
    private RedisCluster(RedisServer[] nodes) => Nodes = nodes;

    public RedisServer[] Nodes { get; }

    public string Configuration => string.Join(',', Nodes.Select(n => $"127.0.0.1:{n.Port}")) + ",abortConnect=false,connectTimeout=1000,syncTimeout=2000,asyncTimeout=2000";

    /// <summary>Three masters, each with <paramref name="replicas"/> replicas.</summary>
    public static RedisCluster StartOrIgnore(int replicas = 0)
    {
        var nodes = Enumerable.Range(0, 3 * (1 + replicas))
            .Select(_ => RedisServer.StartOrIgnore("--cluster-enabled", "yes", "--cluster-node-timeout", "2000", "--repl-diskless-sync-delay", "0"))
            .ToArray();
        var cluster = new RedisCluster(nodes);
        var create = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        create.ArgumentList.Add("--cluster");
        create.ArgumentList.Add("create");
        foreach (var node in nodes)
        {
            create.ArgumentList.Add($"127.0.0.1:{node.Port}");
        }

        create.ArgumentList.Add("--cluster-replicas");
        create.ArgumentList.Add(replicas.ToString(System.Globalization.CultureInfo.InvariantCulture));
        create.ArgumentList.Add("--cluster-yes");
        using (var cli = Process.Start(create)!)
        {
            var output = cli.StandardOutput.ReadToEndAsync();
            var errors = cli.StandardError.ReadToEndAsync();
            if (!cli.WaitForExit(30_000) || cli.ExitCode != 0)
            {
                cluster.Dispose();
                throw new InvalidOperationException($"redis-cli --cluster create failed: {output.Result} {errors.Result}");
            }
        }

        ReplicatedRedis.WaitUntil(() => nodes.All(n => ((string)Resp.Call(n.Port, "CLUSTER", "INFO")!).Contains("cluster_state:ok", StringComparison.Ordinal)), "the cluster is ok");
        ReplicatedRedis.WaitUntil(() => nodes.All(n => ReplicatedRedis.Info(n.Port, "role") == "master" || ReplicatedRedis.Info(n.Port, "master_link_status") == "up"), "every replica is in sync");
        return cluster;
    }

    /// <summary>The replica of <paramref name="master"/> (one replica per master).</summary>
    public RedisServer ReplicaOf(RedisServer master)
    {
        var port = Nodes.Select(n => n.Port).Single(p => ReplicatedRedis.Info(p, "role") == "slave" && ReplicatedRedis.Info(p, "master_port") == master.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Nodes.Single(n => n.Port == port);
    }

    public static int Slot(int port, string key) => (int)(long)Resp.Call(port, "CLUSTER", "KEYSLOT", key)!;

    public static string Id(RedisServer node) => (string)Resp.Call(node.Port, "CLUSTER", "MYID")!;

    /// <summary>The master that serves <paramref name="slot"/> now.</summary>
    public RedisServer Owner(int slot)
    {
        var live = Nodes.First(n => RedisServer.Answers(n.Port));
        foreach (var range in (object?[])Resp.Call(live.Port, "CLUSTER", "SLOTS")!)
        {
            var r = (object?[])range!;
            if ((long)r[0]! <= slot && slot <= (long)r[1]!)
            {
                var port = (long)((object?[])r[2]!)[1]!;
                return Nodes.Single(n => n.Port == port);
            }
        }

        throw new InvalidOperationException($"No node serves slot {slot}.");
    }

    /// <summary>
    /// Moves <paramref name="slot"/> from its owner to <paramref name="target"/> as <c>redis-cli --cluster reshard</c> does:
    /// IMPORTING/MIGRATING, <c>MIGRATE</c> its keys a few at a time (clients meanwhile get <c>ASK</c> and <c>TRYAGAIN</c>),
    /// then <c>SETSLOT … NODE</c> on every master.
    /// </summary>
    public async Task MigrateAsync(int slot, RedisServer target, TimeSpan pauseBetweenBatches)
    {
        var source = Owner(slot);
        var s = slot.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Resp.Call(target.Port, "CLUSTER", "SETSLOT", s, "IMPORTING", Id(source));
        Resp.Call(source.Port, "CLUSTER", "SETSLOT", s, "MIGRATING", Id(target));
        while (true)
        {
            var keys = ((object?[])Resp.Call(source.Port, "CLUSTER", "GETKEYSINSLOT", s, "2")!).Cast<string>().ToArray();
            if (keys.Length == 0)
            {
                break;
            }

            Resp.Call(source.Port, ["MIGRATE", "127.0.0.1", target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Empty, "0", "5000", "REPLACE", "KEYS", .. keys]);
            await Task.Delay(pauseBetweenBatches);
        }

        foreach (var node in Nodes.OrderBy(n => n == target ? 0 : n == source ? 1 : 2))
        {
            Resp.Call(node.Port, "CLUSTER", "SETSLOT", s, "NODE", Id(target));
        }
    }

    public void Dispose()
    {
        foreach (var node in Nodes)
        {
            node.Dispose();
        }
    }
}
