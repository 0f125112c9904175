using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hanko.Webhooks.TestSupport;

/// <summary>Plain RESP over a socket, no client library: for tests that talk to redis-server, Sentinel and Cluster nodes directly.</summary>
public static class Resp
{
    /// <summary>Sends one command and returns the first line of the reply, as written (e.g. <c>+OK</c>, <c>*2</c>).</summary>
    public static string FirstLine(int port, params string[] parts)
    {
        using var client = Open(port, parts, out var reader);
        return reader.ReadLine() ?? string.Empty;
    }

    /// <summary>Sends one command and returns the reply: a string, a long, <see langword="null"/>, or an array of those (errors throw).</summary>
    public static object? Call(int port, params string[] parts)
    {
        using var client = Open(port, parts, out var reader);
        return Read(reader);
    }

    private static TcpClient Open(int port, string[] parts, out StreamReader reader)
    {
        var client = new TcpClient();
        client.Connect(IPAddress.Loopback, port);
        var stream = client.GetStream();
        stream.ReadTimeout = 30_000;
        var request = $"*{parts.Length}\r\n" + string.Concat(parts.Select(p => $"${Encoding.UTF8.GetByteCount(p)}\r\n{p}\r\n"));
        stream.Write(Encoding.UTF8.GetBytes(request));
        reader = new StreamReader(stream);
        return client;
    }

    private static object? Read(StreamReader reader)
    {
        var line = reader.ReadLine() ?? throw new IOException("The connection closed.");
        var rest = line[1..];
        switch (line[0])
        {
            case '+':
                return rest;
            case '-':
                throw new InvalidOperationException(rest);
            case ':':
                return long.Parse(rest, System.Globalization.CultureInfo.InvariantCulture);
            case '$':
                var length = int.Parse(rest, System.Globalization.CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return null;
                }

                var buffer = new char[length + 2];
                var read = 0;
                while (read < buffer.Length)
                {
                    read += reader.Read(buffer, read, buffer.Length - read);
                }

                return new string(buffer, 0, length);
            case '*':
                var count = int.Parse(rest, System.Globalization.CultureInfo.InvariantCulture);
                return count < 0 ? null : Enumerable.Range(0, count).Select(_ => Read(reader)).ToArray();
            default:
                throw new InvalidOperationException($"Not RESP: {line}");
        }
    }
}
