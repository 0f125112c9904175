using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Hanko.Webhooks.DevConsole.Tests;

/// <summary>
/// The console over real Kestrel on 127.0.0.1: a web page in the developer's browser must not reach it, neither by a domain
/// name re-pointed to 127.0.0.1 (DNS rebinding: the browser sends the page's own Host) nor by a cross-site request (the
/// browser sends the page's Origin or Sec-Fetch-Site); the console's own page and scripts such as curl still can.
/// </summary>
// Its own app on Kestrel at port 0 and nothing static; it runs beside the other fixtures marked Parallelizable.
[Parallelizable(ParallelScope.Self)]
public sealed class ConsoleRequestGuardTests
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private int _port;

    private string Port => _port.ToString(CultureInfo.InvariantCulture);

    private string Own => $"http://127.0.0.1:{Port}";

    [OneTimeSetUp]
    public async Task Start()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddHankoWebhooks().UseDevelopmentHanko().AddHandler<MailHandler>();
        _app = builder.Build();
        _app.MapHankoWebhooks();
        _app.MapHankoWebhooksDevConsole();
        await _app.StartAsync();
        var address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        _port = address.Port;
        _client = new HttpClient { BaseAddress = new Uri(Own) };
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [TestCase("attacker.example:{port}")]
    [TestCase("attacker.example:5000")]
    [TestCase("localhost.attacker.example:{port}")]
    [TestCase("127.0.0.1.nip.io:{port}")]
    [TestCase("[::ffff:127.0.0.1]:{port}")]
    public async Task ForgedHost_IsRefusedWith403SayingWhy_EvenForThePage(string host)
    {
        foreach (var path in new[] { "/_hanko", "/_hanko/api/status", "/_hanko/api/deliveries" })
        {
            var (status, problem) = await SendAsync(HttpMethod.Get, path, host: host.Replace("{port}", Port, StringComparison.Ordinal));

            status.Should().Be(HttpStatusCode.Forbidden);
            problem!["title"]!.GetValue<string>().Should().Be("HostNotLoopback");
            problem["detail"]!.GetValue<string>().Should().Contain("does not name this machine").And.Contain("DNS rebinding").And.Contain($"http://localhost:{_port}{path}");
        }
    }

    [TestCase("localhost:1")]
    [TestCase("127.0.0.1:5000")]
    [TestCase("localhost")]
    public async Task LoopbackHostWithAnotherPort_IsRefusedWith403SayingWhy(string host)
    {
        var (status, problem) = await SendAsync(HttpMethod.Get, "/_hanko/api/status", host: host);

        status.Should().Be(HttpStatusCode.Forbidden);
        problem!["title"]!.GetValue<string>().Should().Be("HostPortMismatch");
        problem["detail"]!.GetValue<string>().Should().Contain($"came in on port {_port}").And.Contain("DNS rebinding");
    }

    [TestCase("localhost:{port}")]
    [TestCase("LocalHost:{port}")]
    [TestCase("127.0.0.1:{port}")]
    [TestCase("[::1]:{port}")]
    public async Task LoopbackHostWithTheListeningPort_IsServed(string host)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "/_hanko/api/status", host: host.Replace("{port}", Port, StringComparison.Ordinal));

        status.Should().Be(HttpStatusCode.OK);
        body!["canSign"]!.GetValue<bool>().Should().BeTrue();
    }

    [TestCase("http://attacker.example", null)]
    [TestCase("http://localhost:1", null)]
    [TestCase("https://127.0.0.1:{port}", null)]
    [TestCase("null", null)]
    [TestCase(null, "cross-site")]
    [TestCase(null, "same-site")]
    [TestCase("{own}", "cross-site")]
    public async Task SendFromAnotherOrigin_IsRefusedWith403SayingWhy_AndSendsNothing(string? origin, string? fetchSite)
    {
        var before = await CountAsync();

        var (status, problem) = await SendAsync(HttpMethod.Post, "/_hanko/api/send", Json(new JsonObject { ["event"] = "user.create" }), Expand(origin), fetchSite);

        status.Should().Be(HttpStatusCode.Forbidden);
        var (title, reason) = origin is not null && origin != "{own}"
            ? ("CrossOrigin", "cross-site request forgery")
            : ("CrossSiteRequest", $"Sec-Fetch-Site: {fetchSite}");
        problem!["title"]!.GetValue<string>().Should().Be(title);
        problem["detail"]!.GetValue<string>().Should().Contain("A POST request to the development console must come from its own page").And.Contain(reason);
        (await CountAsync()).Should().Be(before, "the refused request sent nothing");
    }

    [Test]
    public async Task ClearFromAnotherOrigin_IsRefusedWith403_AndClearsNothing()
    {
        await SendEventAsync("user.create");

        var (status, problem) = await SendAsync(HttpMethod.Delete, "/_hanko/api/deliveries", origin: "http://attacker.example");

        status.Should().Be(HttpStatusCode.Forbidden);
        problem!["title"]!.GetValue<string>().Should().Be("CrossOrigin");
        (await CountAsync()).Should().BePositive();
    }

    [TestCase("http://attacker.example", null, "CrossOrigin")]
    [TestCase(null, "cross-site", "CrossSiteRequest")]
    public async Task PayloadRevealFromAnotherOrigin_IsRefusedWith403_WhileTheMaskedViewIsServed(string? origin, string? fetchSite, string title)
    {
        var id = await SendEventAsync("email.send");

        var (status, problem) = await SendAsync(HttpMethod.Get, $"/_hanko/api/deliveries/{id}/payload", origin: origin, fetchSite: fetchSite);

        status.Should().Be(HttpStatusCode.Forbidden);
        problem!["title"]!.GetValue<string>().Should().Be(title);
        problem["detail"]!.GetValue<string>().Should().StartWith("A payload reveal to the development console must come from its own page");
        problem.ToJsonString().Should().NotContain("otp_code");

        var (masked, delivery) = await SendAsync(HttpMethod.Get, $"/_hanko/api/deliveries/{id}", origin: origin, fetchSite: fetchSite);
        masked.Should().Be(HttpStatusCode.OK, "the masked view reveals nothing");
        delivery!["payloadMasked"]!.GetValue<bool>().Should().BeTrue();
    }

    [TestCase("{own}", "same-origin")]
    [TestCase("{own}", null)]
    [TestCase(null, "same-origin")]
    [TestCase(null, "none")]
    [TestCase(null, null)]
    public async Task SameOriginOrScriptRequests_SendAndReveal(string? origin, string? fetchSite)
    {
        var (sent, answer) = await SendAsync(HttpMethod.Post, "/_hanko/api/send", Json(new JsonObject { ["event"] = "email.send" }), Expand(origin), fetchSite);
        sent.Should().Be(HttpStatusCode.OK);
        var id = answer!["delivery"]!["id"]!.GetValue<int>();

        var (revealed, delivery) = await SendAsync(HttpMethod.Get, $"/_hanko/api/deliveries/{id}/payload", origin: Expand(origin), fetchSite: fetchSite);
        revealed.Should().Be(HttpStatusCode.OK);
        delivery!["payloadMasked"]!.GetValue<bool>().Should().BeFalse();
    }

    [Test]
    public async Task SameOriginClear_FromLocalhost_IsServed()
    {
        await SendEventAsync("user.create");
        var own = $"http://localhost:{_port}";

        var (status, _) = await SendAsync(HttpMethod.Delete, "/_hanko/api/deliveries", host: $"localhost:{_port}", origin: own, fetchSite: "same-origin");

        status.Should().Be(HttpStatusCode.NoContent);
    }

    private string? Expand(string? origin) => origin?.Replace("{own}", Own, StringComparison.Ordinal).Replace("{port}", Port, StringComparison.Ordinal);

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private async Task<int> SendEventAsync(string eventName)
    {
        var (status, answer) = await SendAsync(HttpMethod.Post, "/_hanko/api/send", Json(new JsonObject { ["event"] = eventName }));
        status.Should().Be(HttpStatusCode.OK);
        return answer!["delivery"]!["id"]!.GetValue<int>();
    }

    private async Task<int> CountAsync() =>
        (await SendAsync(HttpMethod.Get, "/_hanko/api/deliveries")).Body!["deliveries"]!.AsArray().Count;

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(
        HttpMethod method, string path, HttpContent? content = null, string? origin = null, string? fetchSite = null, string? host = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true ? JsonNode.Parse(text) : null;
        return (response.StatusCode, json);
    }

    public sealed class MailHandler : IHankoEventHandler<EmailSendEvent>
    {
        public Task HandleAsync(EmailSendEvent @event, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
