using System.Net;
using System.Net.Sockets;
using System.Text;
using FluentAssertions;
using Hanko.Webhooks.AspNetCore.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>
/// Before a delivery is authenticated, anyone who can reach the endpoint can open connections and declare a large
/// <c>Content-Length</c> without sending the body. The memory such a connection holds must grow with the bytes it actually
/// sent, not with the length it declared: measured on real Kestrel with the managed heap.
/// </summary>
[NonParallelizable]
public sealed class UnauthenticatedBodyMemoryTests
{
    private const int Connections = 48;

    private FakeHanko _hanko = null!;
    private WebApplication _jwks = null!;
    private WebApplication _receiver = null!;
    private int _inside;

    [OneTimeSetUp]
    public async Task StartServers()
    {
        _hanko = new FakeHanko();

        var jwksBuilder = WebApplication.CreateSlimBuilder();
        jwksBuilder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        jwksBuilder.Logging.ClearProviders();
        _jwks = jwksBuilder.Build();
        _jwks.MapGet("/.well-known/jwks.json", (HttpContext context) =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(_hanko.GetJwksJson());
        });
        await _jwks.StartAsync();

        var builder = WebApplication.CreateSlimBuilder();

        // An attacker keeps a connection above Kestrel's minimum body rate by trickling a byte now and then; without the rate
        // check the idle connections below stay open for as long as the test needs, without timing games.
        builder.WebHost.UseKestrel(k => k.Limits.MinRequestBodyDataRate = null).UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Recorder>();
        builder.Services.AddHankoWebhooks(o =>
            {
                o.JwksUrl = Address(_jwks) + "/.well-known/jwks.json";
                o.Audience = "localhost";
            })
            .AddHandler<AllEventsHandler>();
        _receiver = builder.Build();

        // Counts the requests that have entered the endpoint and reached their first wait (the body read): the endpoint runs
        // synchronously up to there, so once next() has returned, its body buffer is rented.
        _receiver.Use(async (context, next) =>
        {
            var handling = next(context);
            Interlocked.Increment(ref _inside);
            try
            {
                await handling;
            }
            finally
            {
                Interlocked.Decrement(ref _inside);
            }
        });
        _receiver.MapHankoWebhooks();
        await _receiver.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopServers()
    {
        await _receiver.DisposeAsync();
        await _jwks.DisposeAsync();
        _hanko.Dispose();
    }

    [Test]
    public async Task ConnectionsThatDeclareTheLargestBodyAndSendNone_HoldAFewKilobytesEach_AndGenuineDeliveriesStillSucceed()
    {
        var maxBodyBytes = _receiver.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HankoWebhookOptions>>().Value.MaxBodyBytes;
        var endpoint = new Uri(Address(_receiver));
        var headers = Encoding.ASCII.GetBytes(
            $"POST /webhooks/hanko HTTP/1.1\r\nHost: {endpoint.Authority}\r\nContent-Type: application/json\r\nContent-Length: {maxBodyBytes}\r\n\r\n");

        // One request first, so that what every connection costs once (the first connection's pools, JIT) is not counted.
        using (var warmUp = await OpenAsync(endpoint, headers))
        {
            await Wait.UntilAsync(() => Volatile.Read(ref _inside) == 1);
        }

        await Wait.UntilAsync(() => Volatile.Read(ref _inside) == 0);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var sockets = new List<Socket>(Connections);
        long held;
        try
        {
            for (var i = 0; i < Connections; i++)
            {
                sockets.Add(await OpenAsync(endpoint, headers));
            }

            await Wait.UntilAsync(() => Volatile.Read(ref _inside) == Connections);
            held = GC.GetTotalMemory(forceFullCollection: true) - before;
            TestContext.Out.WriteLine($"Managed heap before: {before / 1024.0 / 1024.0:F1} MB; with {Connections} bodiless requests of {maxBodyBytes} declared bytes inside the endpoint: +{held / 1024.0 / 1024.0:F2} MB.");
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }

        held.Should().BeLessThan(4 * 1024 * 1024, $"{Connections} connections that sent only headers hold a few kilobytes each, not the {maxBodyBytes} bytes they declared");

        await Wait.UntilAsync(() => Volatile.Read(ref _inside) == 0);
        var marker = Guid.NewGuid();
        using var client = new HttpClient { BaseAddress = endpoint };
        using var response = await client.PostAsync("/webhooks/hanko", _hanko.CreateDelivery(HankoEventNames.UserCreate, o => o.EditData = d => d["id"] = marker.ToString()).ToHttpContent());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        _receiver.Services.GetRequiredService<Recorder>().Calls.Should().ContainSingle(c => ((UserEvent)c.Event).User.Id == marker);
    }

    private static async Task<Socket> OpenAsync(Uri endpoint, byte[] headers)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, endpoint.Port);
            await socket.SendAsync(headers, SocketFlags.None);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
}
