using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NUnit.Framework;
using StackExchange.Redis;

namespace Hanko.Webhooks.TestSupport;

/// <summary>
/// A real <c>redis-server</c> on 127.0.0.1 at a free port, with AOF on (<c>appendfsync everysec</c>, as documented for
/// production) in its own directory, started by the test and stopped by it; a test can kill it (SIGKILL) and start it
/// again on the same port with the same data. Without redis-server the tests are ignored with the reason, except under
/// <c>CI=true</c>, where they fail. The one copy: Hanko.Webhooks.Redis.Tests links this file.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hanko-redis-").FullName;
    private readonly string[] _arguments;
    private Process? _process;

    private RedisServer(int port, string[] arguments) => (Port, _arguments) = (port, arguments);

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=1000,syncTimeout=2000,asyncTimeout=2000";

    /// <summary>Starts a server (with more <paramref name="arguments"/>, e.g. <c>--replicaof</c>), or ignores (fails under CI) the calling fixture.</summary>
    public static RedisServer StartOrIgnore(params string[] arguments)
    {
        string why;
        var attempt = 0;
        while (true)
        {
            // A port found free may be taken before redis-server binds it (e.g. as the local port of a connection): try another.
            var redis = new RedisServer(FreePort(), arguments);
            try
            {
                if (redis.TryStart(out why))
                {
                    return redis;
                }
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                why = $"redis-server could not be started ({ex.Message}); .ci/run installs it with apt-get";
                redis.Dispose();
                break;
            }

            redis.Dispose();
            if (++attempt == 3)
            {
                break;
            }
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"CI=true and {why}.");
        }

        Assert.Ignore($"Skipped: {why}. Install redis-server (apt-get install redis-server) to run these tests.");
        return null!;
    }

    /// <summary>SIGKILL: no chance to flush anything beyond what Redis wrote before answering.</summary>
    public void Kill()
    {
        _process?.Kill();
        _process?.WaitForExit(5000);
        _process?.Dispose();
        _process = null;
    }

    /// <summary>SIGSTOP: the process stops reading and writing (a replica that lags), until <see cref="Resume"/>.</summary>
    public void Pause() => Signal("STOP");

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal("CONT");

    /// <summary>Starts the server again on the same port with the same data, with more <paramref name="arguments"/> this time (e.g. <c>--replicaof</c>).</summary>
    public void Start(params string[] arguments)
    {
        if (!TryStart(out var why, arguments))
        {
            throw new InvalidOperationException(why);
        }
    }

    /// <summary>A fresh connection for the test's own checks.</summary>
    public ConnectionMultiplexer Connect() => ConnectionMultiplexer.Connect(Configuration);

    /// <summary>Runs one command with plain RESP over a socket (no client library) and returns the raw reply line.</summary>
    public string Command(params string[] parts) => Resp.FirstLine(Port, parts);

    public void Dispose()
    {
        Kill();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private bool TryStart(out string why, string[]? more = null)
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _directory,
            "--save", "", "--appendonly", "yes", "--appendfsync", "everysec",
        }.Concat(_arguments).Concat(more ?? []))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            if (Answers(Port))
            {
                _process = process;
                why = string.Empty;
                return true;
            }

            Thread.Sleep(25);
        }

        why = process.HasExited ? $"redis-server exited with code {process.ExitCode}" : "redis-server did not answer within 10 s";
        process.Kill();
        process.Dispose();
        return false;
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public static bool Answers(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            using var stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[64];
            var read = stream.Read(buffer);
            // +PONG once the AOF is loaded (-LOADING before).
            return read > 0 && buffer[0] == (byte)'+';
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
