using System.Net;
using System.Text.Json.Nodes;
using FluentAssertions;
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
/// Real Kestrel on 127.0.0.1 receiving deliveries over HTTP, with the JWKS served by a second real Kestrel, so the whole
/// path (HttpClient → Kestrel → endpoint → verifier → JWKS over HTTP → handlers) runs as in production.
/// </summary>
[NonParallelizable]
public sealed class KestrelEndToEndTests
{
    private FakeHanko _hanko = null!;
    private WebApplication _jwks = null!;
    private WebApplication _receiver = null!;
    private HttpClient _client = null!;

    private Recorder Recorder => _receiver.Services.GetRequiredService<Recorder>();

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
            context.Response.Headers.CacheControl = "max-age=1";
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(_hanko.GetJwksJson());
        });
        await _jwks.StartAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Recorder>();
        builder.Services.AddHankoWebhooks(o =>
            {
                o.JwksUrl = Address(_jwks) + "/.well-known/jwks.json";
                o.Audience = "localhost";
                o.JwksRefetchCooldown = TimeSpan.FromMilliseconds(200);
                o.JwksMinimumRefreshInterval = TimeSpan.FromSeconds(1);
            })
            .AddHandler<UserHandler>()
            .AddHandler<SessionHandler>()
            .AddHandler<EmailHandler>()
            .AddHandler<AllEventsHandler>();
        _receiver = builder.Build();
        _receiver.MapHankoWebhooks();
        _receiver.MapHankoWebhooks("/webhooks/hanko/email", o => o.AcceptEvent<EmailSendEvent>());
        await _receiver.StartAsync();

        _client = new HttpClient { BaseAddress = new Uri(Address(_receiver)) };
    }

    [OneTimeTearDown]
    public async Task StopServers()
    {
        _client.Dispose();
        await _receiver.DisposeAsync();
        await _jwks.DisposeAsync();
        _hanko.Dispose();
    }

    // The recorder is shared by the tests of this fixture; each test finds its own events by a fresh id.
    public static IEnumerable<string> EventNames => FakeHanko.EventNames;

    [TestCaseSource(nameof(EventNames))]
    public async Task Delivery_ReachesTheTypedHandlersWithTheRightFields(string eventName)
    {
        var data = FakeHanko.GetDefaultData(eventName);
        var marker = Guid.NewGuid();
        data["id"] = marker.ToString();
        if (eventName == HankoEventNames.EmailSend)
        {
            data["to_email_address"] = $"{marker:N}@example.com";
        }

        using var response = await _client.PostAsync("/webhooks/hanko", _hanko.CreateDelivery(eventName, o => o.Data = data).ToHttpContent());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var calls = Recorder.Calls.Where(c => Matches(c.Event, marker)).ToList();
        calls.Should().HaveCount(2, "the family's typed handler and the catch-all handler");
        var typed = calls.Single(c => c.Handler != nameof(AllEventsHandler));
        typed.Event.Name.Should().Be(eventName);
        switch (typed.Event)
        {
            case UserEvent user:
                typed.Handler.Should().Be(nameof(UserHandler));
                user.User.Id.Should().Be(marker);
                break;
            case SessionEvent session:
                typed.Handler.Should().Be(nameof(SessionHandler));
                session.Session.Id.Should().Be(marker);
                session.Session.UserId.Should().Be(Guid.Parse(data["user_id"]!.GetValue<string>()));
                break;
            case EmailSendEvent email:
                typed.Handler.Should().Be(nameof(EmailHandler));
                email.Email.ToEmailAddress.Should().Be($"{marker:N}@example.com");
                break;
            default:
                Assert.Fail($"{eventName} arrived as {typed.Event.GetType().Name}");
                break;
        }
    }

    private static IEnumerable<string> LegacyFixtures() =>
        Directory.GetFiles(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "legacy"), "*.json").Select(Path.GetFileName)!;

    [TestCaseSource(nameof(LegacyFixtures))]
    public async Task LegacyPayload_IsDeliveredTyped(string fixture)
    {
        var claims = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "legacy", fixture)))!.AsObject();
        var eventName = claims["evt"]!.GetValue<string>();
        var data = claims["data"]!.AsObject();
        var marker = Guid.NewGuid();
        if (eventName == HankoEventNames.EmailSend)
        {
            data["to_email_address"] = $"{marker:N}@example.com";
        }
        else
        {
            data["id"] = marker.ToString();
        }

        using var response = await _client.PostAsync("/webhooks/hanko", _hanko.CreateDelivery(eventName, o => o.Data = data).ToHttpContent());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var typed = Recorder.Calls.Where(c => c.Handler != nameof(AllEventsHandler) && Matches(c.Event, marker)).Should().ContainSingle().Subject;
        typed.Event.Name.Should().Be(eventName);
    }

    [Test]
    public async Task EmailPath_DispatchesOnlyEmailEvents()
    {
        var marker = Guid.NewGuid();
        using var user = await _client.PostAsync("/webhooks/hanko/email", _hanko.CreateDelivery(HankoEventNames.UserCreate, o => o.EditData = d => d["id"] = marker.ToString()).ToHttpContent());
        using var email = await _client.PostAsync("/webhooks/hanko/email", _hanko.CreateDelivery(HankoEventNames.EmailSend, o => o.EditData = d => d["to_email_address"] = $"{marker:N}@example.com").ToHttpContent());

        user.StatusCode.Should().Be(HttpStatusCode.OK);
        email.StatusCode.Should().Be(HttpStatusCode.OK);
        Recorder.Calls.Where(c => Matches(c.Event, marker)).Select(c => c.Event.Name).Distinct().Should().Equal(HankoEventNames.EmailSend);
    }

    [Test]
    public async Task KeyRotation_NewKeyAcceptedFirstTry_RemovedKeyRefusedAfterRefresh()
    {
        var oldKey = _hanko.SigningKey;
        (await PostAsync(_hanko.CreateDelivery(HankoEventNames.UserLogin))).Should().Be(HttpStatusCode.OK);

        var newKey = _hanko.RotateKey();
        // At once, even within the 200 ms refetch cooldown: the delivery waits for the next allowed fetch.
        (await PostAsync(_hanko.CreateDelivery(HankoEventNames.UserLogin))).Should().Be(HttpStatusCode.OK, "an unknown kid makes the verifier fetch the JWKS again");
        (await PostAsync(_hanko.CreateDelivery(HankoEventNames.UserLogin, o => o.Key = oldKey))).Should().Be(HttpStatusCode.OK, "the old key is still published");

        _hanko.Unpublish(oldKey);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode status;
        do
        {
            await Task.Delay(200);
            status = await PostAsync(_hanko.CreateDelivery(HankoEventNames.UserLogin, o => o.Key = oldKey));
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline);

        status.Should().Be(HttpStatusCode.Unauthorized, "the scheduled refresh (max-age=1) drops the removed key");
        (await PostAsync(_hanko.CreateDelivery(HankoEventNames.UserLogin, o => o.Key = newKey))).Should().Be(HttpStatusCode.OK);
        _hanko.Publish(oldKey);
    }

    private async Task<HttpStatusCode> PostAsync(HankoDelivery delivery)
    {
        using var response = await _client.PostAsync("/webhooks/hanko", delivery.ToHttpContent());
        return response.StatusCode;
    }

    private static bool Matches(HankoEvent @event, Guid marker) => @event switch
    {
        UserEvent u => u.User.Id == marker,
        SessionEvent s => s.Session.Id == marker,
        EmailSendEvent e => e.Email.ToEmailAddress == $"{marker:N}@example.com",
        _ => false,
    };

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
}

/// <summary>The start-time half of the redirect guard, which needs a real server's addresses.</summary>
public sealed class RedirectWarningAtStartTests
{
    [Test]
    public async Task HttpAddressWithHttpsPortConfigured_WarnsAtStart()
    {
        using var hanko = new FakeHanko();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Configuration["HTTPS_PORT"] = "443";
        builder.Logging.ClearProviders().AddFakeLogging();
        builder.Services.AddHankoWebhooks(o => (o.JwksUrl, o.Audience, o.FetchKeysOnStart) = ("https://hanko.test/.well-known/jwks.json", "localhost", false));
        await using var app = builder.Build();
        app.MapHankoWebhooks();

        await app.StartAsync();
        await app.StopAsync();

        app.Services.GetFakeLogCollector().GetSnapshot().Should().ContainSingle(r => r.Id.Id == 115)
            .Which.Message.Should().Contain("/webhooks/hanko").And.Contain("http://127.0.0.1:");
    }
}
