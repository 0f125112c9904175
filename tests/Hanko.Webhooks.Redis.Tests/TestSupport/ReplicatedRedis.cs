using System.Diagnostics;
using Hanko.Webhooks.TestSupport;

namespace Hanko.Webhooks.Redis.Tests.TestSupport;

/// <summary>
/// A primary with one replica (both with AOF, as documented for production) and one Sentinel watching them as
/// <c>mymaster</c> (quorum 1, down after 1 s): real processes on 127.0.0.1 at free ports. <see cref="Configuration"/> is the
/// StackExchange.Redis string that goes through the Sentinel.
/// </summary>
internal sealed class ReplicatedRedis : IDisposable
{
    public const string ServiceName = "mymaster";

    private static readonly string[] NoSyncDelay = ["--repl-diskless-sync-delay", "0"];

    private readonly string _directory = Directory.CreateTempSubdirectory("hanko-sentinel-").FullName;
    private Process? _sentinel;

    private ReplicatedRedis(RedisServer primary, RedisServer replica)
    {
        Primary = primary;
        Replica = replica;
        SentinelPort = RedisServer.FreePort();
    }

    public RedisServer Primary { get; }

    public RedisServer Replica { get; }

    public int SentinelPort { get; }

    public string Configuration => $"127.0.0.1:{SentinelPort},serviceName={ServiceName},abortConnect=false,connectTimeout=1000,syncTimeout=2000,asyncTimeout=2000";

    public static ReplicatedRedis StartOrIgnore()
    {
        // A replica syncs at once (the default waits 5 s for more replicas to share one transfer), here and after a failover.
        var primary = RedisServer.StartOrIgnore(NoSyncDelay);
        var replica = RedisServer.StartOrIgnore([.. NoSyncDelay, "--replicaof", "127.0.0.1", primary.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var redis = new ReplicatedRedis(primary, replica);
        redis.StartSentinel();
        WaitUntil(() => Info(replica.Port, "master_link_status") == "up", "the replica is in sync");
        WaitUntil(() => ((object?[])Resp.Call(redis.SentinelPort, "SENTINEL", "REPLICAS", ServiceName)!).Length == 1, "the Sentinel knows the replica");
        return redis;
    }

    /// <summary>The port the Sentinel names as the primary now.</summary>
    public int PrimaryPortNow() =>
        int.Parse((string)((object?[])Resp.Call(SentinelPort, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", ServiceName)!)[1]!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One field of <c>INFO replication</c> of the server at <paramref name="port"/>.</summary>
    public static string? Info(int port, string field)
    {
        try
        {
            var info = (string)Resp.Call(port, "INFO", "replication")!;
            return info.Split("\r\n").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal))?[(field.Length + 1)..];
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            return null;
        }
    }

    public static void WaitUntil(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not within {seconds} s: {what}.");
            }

            Thread.Sleep(50);
        }
    }

    public void Dispose()
    {
        try
        {
            _sentinel?.Kill();
            _sentinel?.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }

        _sentinel?.Dispose();
        Replica.Resume(); // in case a test stopped it
        Replica.Dispose();
        Primary.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void StartSentinel()
    {
        var config = Path.Combine(_directory, "sentinel.conf");
        File.WriteAllText(config, string.Join('\n',
            $"port {SentinelPort}",
            "bind 127.0.0.1",
            $"dir {_directory}",
            $"sentinel monitor {ServiceName} 127.0.0.1 {Primary.Port} 1",
            $"sentinel down-after-milliseconds {ServiceName} 1000",
            $"sentinel failover-timeout {ServiceName} 10000",
            $"sentinel parallel-syncs {ServiceName} 1",
            string.Empty));
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(config);
        start.ArgumentList.Add("--sentinel");
        _sentinel = Process.Start(start)!;
        _sentinel.OutputDataReceived += (_, _) => { };
        _sentinel.ErrorDataReceived += (_, _) => { };
        _sentinel.BeginOutputReadLine();
        _sentinel.BeginErrorReadLine();
        WaitUntil(() => RedisServer.Answers(SentinelPort), "the Sentinel answers", 10);
    }
}
