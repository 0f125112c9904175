using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Hanko.Webhooks.Testing;

namespace Hanko.Webhooks.LoadReceiver;

/// <summary>
/// Measures the first delivery after start, in a fresh process: a JWKS server on 127.0.0.1 (real HTTP), the receiver
/// started with or without <see cref="HankoWebhookOptions.FetchKeysOnStart"/>, then one delivery over a raw socket (so
/// that the client's own JIT does not blur the number) and a second one for comparison.
/// </summary>
internal static class FirstDelivery
{
    public static async Task<int> RunAsync(bool warmUp)
    {
        using var hanko = new FakeHanko(new FakeHankoOptions { KeySize = 4096, Audience = "localhost" });
        var jwksRequests = 0;
        var jwksPort = FreePort();
        var jwksBuilder = WebApplication.CreateSlimBuilder();
        jwksBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
        jwksBuilder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, jwksPort));
        await using var jwks = jwksBuilder.Build();
        var jwksJson = hanko.GetJwksJson();
        jwks.MapGet("/.well-known/jwks.json", (HttpContext context) =>
        {
            Interlocked.Increment(ref jwksRequests);
            context.Response.Headers.CacheControl = "max-age=600";
            return Results.Text(jwksJson, "application/json");
        });
        await jwks.StartAsync();

        var body = hanko.CreateDelivery("email.send").BodyBytes.ToArray();
        var second = hanko.CreateDelivery("email.send").BodyBytes.ToArray();

        var port = FreePort();
        var started = Stopwatch.StartNew();
        await using var app = Receiver.Build([], port, $"http://127.0.0.1:{jwksPort}/.well-known/jwks.json", fetchKeysOnStart: warmUp);
        await app.StartAsync();
        var startMs = started.Elapsed.TotalMilliseconds;
        var jwksAtStart = Volatile.Read(ref jwksRequests);

        var (status, firstMs) = await PostAsync(port, body);
        var jwksDuringFirst = Volatile.Read(ref jwksRequests) - jwksAtStart;
        var (status2, secondMs) = await PostAsync(port, second);

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"warm-up={(warmUp ? "on " : "off")} start={startMs,7:0.0} ms  first-delivery={firstMs,6:0.0} ms (status {status}, JWKS fetched during it: {jwksDuringFirst})  second-delivery={secondMs,5:0.0} ms (status {status2})"));

        await app.StopAsync();
        await jwks.StopAsync();
        return status == 200 && status2 == 200 ? 0 : 1;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>POSTs <paramref name="body"/> on a new connection; returns the status and the time to the whole response.</summary>
    private static async Task<(int Status, double Milliseconds)> PostAsync(int port, byte[] body)
    {
        var head = Encoding.ASCII.GetBytes(
            $"POST /webhook HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var clock = Stopwatch.StartNew();
        await socket.SendAsync(head);
        await socket.SendAsync(body);
        var response = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer)) > 0)
        {
            response.Write(buffer, 0, read);
        }

        var ms = clock.Elapsed.TotalMilliseconds;
        var text = Encoding.ASCII.GetString(response.GetBuffer(), 0, (int)response.Length);
        var status = text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) ? int.Parse(text.AsSpan(9, 3), CultureInfo.InvariantCulture) : -1;
        return (status, ms);
    }
}
