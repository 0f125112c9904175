using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests.TestSupport;

/// <summary>
/// A real <c>redis-server</c> on 127.0.0.1 at a free port, without persistence, started by the test and stopped by it.
/// When it cannot be started the tests are ignored with the reason, except under <c>CI=true</c>, where they fail.
/// </summary>
internal sealed class RedisServer : IDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=2000";

    /// <summary>Starts a server, or ignores (fails under CI) the calling fixture.</summary>
    public static RedisServer StartOrIgnore()
    {
        string? why;
        try
        {
            var port = FreePort();
            var start = new ProcessStartInfo("redis-server")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
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
                if (Ping(port))
                {
                    return new RedisServer(process, port);
                }

                Thread.Sleep(50);
            }

            why = process.HasExited ? $"redis-server exited with code {process.ExitCode}" : "redis-server did not answer PING within 10 s";
            Stop(process);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            why = $"redis-server could not be started ({ex.Message}); .ci/run installs it with apt-get";
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"CI=true and {why}.");
        }

        Assert.Ignore($"Skipped: {why}. Install redis-server (apt-get install redis-server) to run these tests.");
        return null!;
    }

    /// <summary>Runs one command with redis-cli-free plain RESP over a socket and returns the raw reply line.</summary>
    public string Command(params string[] parts)
    {
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, Port);
        using var stream = client.GetStream();
        var request = $"*{parts.Length}\r\n" + string.Concat(parts.Select(p => $"${System.Text.Encoding.UTF8.GetByteCount(p)}\r\n{p}\r\n"));
        var bytes = System.Text.Encoding.UTF8.GetBytes(request);
        stream.Write(bytes);
        using var reader = new StreamReader(stream);
        return reader.ReadLine() ?? string.Empty;
    }

    public void Dispose() => Stop(_process);

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(5000);
            }
        }
        finally
        {
            process.Dispose();
        }
    }

    private static bool Ping(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            using var stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            var read = stream.Read(buffer);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
