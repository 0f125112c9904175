using System.Net;
using System.Net.Sockets;
using System.Text;
using FluentAssertions;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Docs;

/// <summary>The README's host without ASP.NET Core, run for real on 127.0.0.1 and posted to like Hanko posts.</summary>
public sealed class HttpListenerHostTests
{
    [Test]
    public async Task HttpListenerHost_AnswersEachDeliveryWithTheReceiversStatus()
    {
        using var hanko = new FakeHanko();
        var services = new ServiceCollection().AddLogging().AddSingleton<Calls>();
        services.AddHankoWebhooks(o =>
        {
            o.JwksUrl = "https://hanko.test/.well-known/jwks.json";
            o.Audience = "localhost";
        }).AddHandler<CountUserCreates>();
        services.AddHttpClient(HankoWebhookOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(hanko.CreateJwksHandler);
        await using var provider = services.BuildServiceProvider();
        var prefix = $"http://127.0.0.1:{FreePort()}/webhooks/hanko/";
        using var stop = new CancellationTokenSource();
        var host = HttpListenerHost.ServeAsync(provider, prefix, stop.Token);
        using var client = new HttpClient();

        var created = await client.PostAsync(prefix, hanko.CreateDelivery("user.create").ToHttpContent());
        var expired = await client.PostAsync(prefix, hanko.CreateExpiredDelivery("user.create").ToHttpContent());
        var plain = await client.PostAsync(prefix, new StringContent(hanko.CreateDelivery("user.create").Body, Encoding.UTF8, "text/plain"));
        var tooLarge = await StatusLineOfTooLargePostAsync(prefix);

        created.StatusCode.Should().Be(HttpStatusCode.OK);
        expired.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await expired.Content.ReadAsStringAsync()).Should().StartWith("Expired: The token expired at");
        plain.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        tooLarge.Should().StartWith("HTTP/1.1 413 ");
        provider.GetRequiredService<Calls>().Count.Should().Be(1);

        // Stopping ends the host: cancelled while it waits for a request, or at its loop's check when the cancellation
        // came between two requests (both happen, depending on where the loop is).
        await stop.CancelAsync();
        var ended = async () =>
        {
            try
            {
                await host;
            }
            catch (OperationCanceledException)
            {
            }
        };
        await ended.Should().CompleteWithinAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public void Readme_WithoutAspNetCore_ShowsTheHostThatRunsHere() =>
        ReadmeRegions.ShouldShowRegion("HttpListenerHost.cs", "readme-httplistener", "httplistener-example:begin");

    /// <summary>
    /// Posts only the headers of a body over the limit and reads the status line: the host answers from Content-Length
    /// without reading the body, so an HttpClient writing the whole megabyte could still be writing when the host had
    /// answered and closed the connection ("Broken pipe" instead of the 413, once in a clean-clone CI).
    /// </summary>
    private static async Task<string> StatusLineOfTooLargePostAsync(string prefix)
    {
        var uri = new Uri(prefix);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        var stream = tcp.GetStream();
        var head = $"POST {uri.AbsolutePath} HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Type: application/json\r\nContent-Length: {(1024 * 1024) + 1}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)) ?? string.Empty;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private sealed class Calls
    {
        public int Count;
    }

    private sealed class CountUserCreates(Calls calls) : IHankoEventHandler<UserCreateEvent>
    {
        public Task HandleAsync(UserCreateEvent @event, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref calls.Count);
            return Task.CompletedTask;
        }
    }
}
