using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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
using Microsoft.Extensions.Logging.Testing;
using Microsoft.IdentityModel.Tokens;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>
/// Issue 9 over real HTTP: a receiver on real Kestrel (127.0.0.1) reading its JWKS from a second real Kestrel, for deep
/// user metadata, pathological tokens, key rotation at any moment, forged-kid floods, JWKS redirects and outages.
/// </summary>
[NonParallelizable]
public sealed class VerifierEdgeCasesOverHttpTests
{
    /// <summary>A JWKS server and a receiver, both real Kestrel; the JWKS answers what <see cref="Jwks"/> says.</summary>
    private sealed class Servers : IAsyncDisposable
    {
        private int _jwksRequests;

        public required WebApplication JwksApp { get; init; }

        public required WebApplication Receiver { get; init; }

        public HttpClient Client { get; set; } = null!;

        public required FakeHanko Hanko { get; init; }

        public Func<HttpContext, Task>? Jwks { get; set; }

        public int JwksRequests => Volatile.Read(ref _jwksRequests);

        public Recorder Recorder => Receiver.Services.GetRequiredService<Recorder>();

        /// <summary>What Hanko.Webhooks logged (ASP.NET Core's own event ids overlap).</summary>
        public IReadOnlyList<FakeLogRecord> HankoLogs => [.. Receiver.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Category == "Hanko.Webhooks")];

        internal void Count() => Interlocked.Increment(ref _jwksRequests);

        public async Task<(HttpStatusCode Status, string Body)> PostAsync(string body)
        {
            using var response = await Client.PostAsync("/webhooks/hanko", new StringContent(body, Encoding.UTF8, "application/json"));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Receiver.DisposeAsync();
            await JwksApp.DisposeAsync();
            Hanko.Dispose();
        }
    }

    private static async Task<Servers> StartAsync(Action<HankoWebhookOptions>? options = null, Action<WebApplicationBuilder>? configure = null, string maxAge = "max-age=600", Func<Servers, Func<HttpContext, Task>>? jwks = null)
    {
        var hanko = new FakeHanko(new FakeHankoOptions { KeySize = 2048 });
        var jwksBuilder = WebApplication.CreateSlimBuilder();
        jwksBuilder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        jwksBuilder.Logging.ClearProviders();
        var jwksApp = jwksBuilder.Build();
        Servers? servers = null;
        jwksApp.MapGet("/.well-known/jwks.json", (HttpContext context) =>
        {
            servers!.Count();
            if (servers.Jwks is { } custom)
            {
                return custom(context);
            }

            context.Response.Headers.CacheControl = maxAge;
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(hanko.GetJwksJson());
        });
        await jwksApp.StartAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddFakeLogging();
        builder.Services.AddSingleton<Recorder>();
        builder.Services.AddHankoWebhooks(o =>
            {
                o.JwksUrl = Address(jwksApp) + "/.well-known/jwks.json";
                o.Audience = "localhost";
                o.JwksMinimumRefreshInterval = TimeSpan.FromSeconds(1);
                options?.Invoke(o);
            })
            .AddHandler<AllEventsHandler>();
        configure?.Invoke(builder);
        var receiver = builder.Build();
        receiver.MapHankoWebhooks();
        servers = new Servers { JwksApp = jwksApp, Receiver = receiver, Hanko = hanko };
        servers.Jwks = jwks?.Invoke(servers);
        await receiver.StartAsync();
        servers.Client = new HttpClient { BaseAddress = new Uri(Address(receiver)) };
        return servers;
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

    /// <summary>A token naming <paramref name="keyId"/> with a made-up signature: refused for its key before any signature check.</summary>
    private static string ForgedKidBody(HankoDelivery genuine, string keyId)
    {
        var header = Base64UrlEncoder.Encode($$"""{"alg":"RS256","kid":"{{keyId}}","typ":"JWT"}""");
        return RawSigner.Body(header + genuine.Token[genuine.Token.IndexOf('.', StringComparison.Ordinal)..], genuine.EventName);
    }

    // ---- Deep user metadata over HTTP ------------------------------------------------------------------------------

    [Test]
    public async Task GenuineUserLogin_WithUnsafeMetadata1400LevelsDeep_ReachesItsHandlerIntact()
    {
        await using var s = await StartAsync();
        var metadata = "{\"a\":" + new string('[', 1400) + new string(']', 1400) + "}";
        metadata.Length.Should().BeLessThanOrEqualTo(3000, "within Hanko's 3,000-character limit for metadata");
        var marker = Guid.NewGuid();
        var delivery = s.Hanko.CreateDelivery(HankoEventNames.UserLogin, o => o.EditData = d =>
        {
            d["id"] = marker.ToString();
            d["metadata"]!["unsafe_metadata"] = JsonNode.Parse(metadata, documentOptions: new JsonDocumentOptions { MaxDepth = 2_000 });
        });

        var (status, body) = await s.PostAsync(delivery.Body);

        status.Should().Be(HttpStatusCode.OK, body);
        var login = s.Recorder.EventsSeenBy(nameof(AllEventsHandler)).Should().ContainSingle().Which.Should().BeOfType<UserLoginEvent>().Subject;
        login.User.Id.Should().Be(marker);
        login.User.Metadata!.Unsafe!.Value.GetRawText().Should().Be(metadata, "the metadata arrives intact");
        login.RawData.GetProperty("metadata").GetProperty("unsafe_metadata").GetRawText().Should().Be(metadata);
    }

    [Test]
    public async Task PathologicalTokens_100000LevelsDeep_AreRefusedCleanly_AndTheServerKeepsServing()
    {
        using var signer = new RawSigner();
        await using var s = await StartAsync(jwks: servers => context =>
        {
            context.Response.ContentType = "application/json";
            var hankoKeys = JsonNode.Parse(servers.Hanko.GetJwksJson())!["keys"]!.AsArray().Select(k => k!.ToJsonString());
            return context.Response.WriteAsync(RawSigner.Jwks([.. hankoKeys, signer.Jwk()]));
        });
        var now = DateTimeOffset.UtcNow;
        var open100k = signer.Sign(RawSigner.Claims(now, "{\"metadata\":{\"unsafe_metadata\":{\"a\":" + new string('[', 100_000) + "}}}"));
        var closed20k = signer.Sign(RawSigner.Claims(now, "{\"a\":" + new string('[', 20_000) + new string(']', 20_000) + "}"));
        var closed100k = signer.Sign(RawSigner.Claims(now, "{\"a\":" + new string('[', 100_000) + new string(']', 100_000) + "}"));

        var results = new List<(HttpStatusCode Status, string Body)>();
        foreach (var token in new[] { open100k, closed20k, closed100k })
        {
            results.Add(await s.PostAsync(RawSigner.Body(token)));
        }

        results.Should().OnlyContain(r => r.Status == HttpStatusCode.Unauthorized && r.Body.Contains("MalformedToken"), "refused as malformed, never a crash or a 500");
        results[0].Body.Should().Contain("deeper than 16384 levels");
        results[1].Body.Should().Contain("deeper than 16384 levels");
        results[2].Body.Should().Contain("at most", "100,000 closed levels are longer than a token may be");
        (await s.PostAsync(s.Hanko.CreateDelivery(HankoEventNames.UserLogin).Body)).Status.Should().Be(HttpStatusCode.OK, "the process is alive and well");
    }

    // ---- Key rotation at any moment ----------------------------------------------------------------------------------

    [Test]
    public async Task Rotation100msAfterTheStartUpFetch_IsAcceptedOnTheFirstDelivery()
    {
        await using var s = await StartAsync();
        s.JwksRequests.Should().Be(1, "the host fetched the keys while it started");
        await Task.Delay(100);
        s.Hanko.RotateKey();

        var (status, body) = await s.PostAsync(s.Hanko.CreateDelivery(HankoEventNames.UserLogin).Body);

        status.Should().Be(HttpStatusCode.OK, body);
        s.JwksRequests.Should().Be(2, "the delivery waited for the next allowed fetch and got the new key from it");
    }

    [Test]
    public async Task Rotation100msAfterAScheduledRefresh_IsAcceptedOnTheFirstDelivery()
    {
        await using var s = await StartAsync(maxAge: "max-age=1");

        // The keys are due after max-age=1 (JwksMinimumRefreshInterval is 1 s here) and a refresh may start once the 2 s
        // cooldown since the start-up fetch has passed: the first delivery after both starts it in the background.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (s.JwksRequests < 2 && DateTime.UtcNow < deadline)
        {
            (await s.PostAsync(s.Hanko.CreateDelivery(HankoEventNames.UserCreate).Body)).Status.Should().Be(HttpStatusCode.OK);
            await Task.Delay(200);
        }

        await Wait.UntilAsync(() => s.HankoLogs.Count(r => r.Id.Id == 1) == 2); // the scheduled refresh ends
        s.JwksRequests.Should().Be(2);
        await Task.Delay(100);
        s.Hanko.RotateKey();

        var (status, body) = await s.PostAsync(s.Hanko.CreateDelivery(HankoEventNames.UserLogin).Body);

        status.Should().Be(HttpStatusCode.OK, body);
        s.JwksRequests.Should().Be(3);
    }

    [Test]
    public async Task OneForgedKidTenTimes_CausesAtMostOneFetch_TheRepeatsCostNone()
    {
        await using var s = await StartAsync();
        var genuine = s.Hanko.CreateDelivery(HankoEventNames.UserCreate);
        var statuses = new List<HttpStatusCode>();

        statuses.Add((await s.PostAsync(ForgedKidBody(genuine, "forged-kid"))).Status);
        var afterFirst = s.JwksRequests;
        for (var i = 0; i < 9; i++)
        {
            statuses.Add((await s.PostAsync(ForgedKidBody(genuine, "forged-kid"))).Status);
        }

        statuses.Should().OnlyContain(x => x == HttpStatusCode.Unauthorized);
        afterFirst.Should().BeLessThanOrEqualTo(2, "the start-up fetch and at most one for the forged kid");
        s.JwksRequests.Should().Be(afterFirst, "the nine repeats were refused without a fetch");
        s.HankoLogs.Count(r => r.Id.Id == 8).Should().Be(9, "each repeat is refused as a kid a later fetch did not contain");
    }

    [Test]
    public async Task ThousandDifferentForgedKidsIn10Seconds_CauseAtMostTheDocumentedNumberOfFetches()
    {
        await using var s = await StartAsync();
        var genuine = s.Hanko.CreateDelivery(HankoEventNames.UserCreate);
        var cooldown = s.Receiver.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HankoWebhookOptions>>().Value.JwksRefetchCooldown;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var posts = new List<Task<(HttpStatusCode Status, string Body)>>();
        for (var i = 0; i < 1000; i++)
        {
            posts.Add(s.PostAsync(ForgedKidBody(genuine, $"forged-{i}")));
            if (i % 10 == 9)
            {
                await Task.Delay(100); // 100 kids per second
            }
        }

        var results = await Task.WhenAll(posts);
        var elapsed = clock.Elapsed;
        var genuineAfter = await s.PostAsync(s.Hanko.CreateDelivery(HankoEventNames.UserLogin).Body);

        // Documented bound: fetches are at least JwksRefetchCooldown apart, so 1 (start-up) + elapsed / cooldown.
        var bound = 1 + (int)(elapsed / cooldown) + 1;
        TestContext.Out.WriteLine($"{results.Length} forged kids in {elapsed.TotalSeconds:F1} s: {s.JwksRequests} JWKS requests (bound {bound}); statuses {string.Join(", ", results.GroupBy(r => r.Status).Select(g => $"{(int)g.Key}: {g.Count()}"))}");
        results.Should().OnlyContain(r => r.Status == HttpStatusCode.Unauthorized);
        s.JwksRequests.Should().BeLessThanOrEqualTo(bound);
        genuineAfter.Status.Should().Be(HttpStatusCode.OK, "genuine deliveries never wait behind forged ones");
    }

    // ---- Refusals that tell the user what to do ----------------------------------------------------------------------

    [Test]
    public async Task AppStartedBeforeItsJwksWasReachable_AcceptsDeliveriesAssoonAsTheJwksIsUp_NotACooldownLater()
    {
        var up = 0;
        await using var s = await StartAsync(
            options: o => o.JwksRefetchCooldown = TimeSpan.FromSeconds(10),
            jwks: servers => context =>
            {
                if (Volatile.Read(ref up) == 0)
                {
                    context.Response.StatusCode = 500;
                    return Task.CompletedTask;
                }

                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync(servers.Hanko.GetJwksJson());
            });
        s.JwksRequests.Should().Be(1, "the start-up fetch failed");

        var (downStatus, downBody) = await s.PostAsync(s.Hanko.CreateDelivery(HankoEventNames.UserCreate).Body);
        Volatile.Write(ref up, 1);
        await Task.Delay(600);
        var (upStatus, upBody) = await s.PostAsync(s.Hanko.CreateDelivery(HankoEventNames.UserCreate).Body);

        downStatus.Should().Be(HttpStatusCode.ServiceUnavailable);
        downBody.Should().Contain("answered 500").And.Contain("the next attempt may start at");
        upStatus.Should().Be(HttpStatusCode.OK, $"the retry comes within a second, not 10 s later: {upBody}");
    }

    [Test]
    public async Task WrongAudience_TheAnswerAndTheLogNameBothAudiences()
    {
        await using var s = await StartAsync(o => o.Audience = "myapp.example.com");

        var (status, body) = await s.PostAsync(s.Hanko.CreateDelivery(HankoEventNames.UserCreate).Body);

        status.Should().Be(HttpStatusCode.Unauthorized);
        body.Should().Contain("The token is for [localhost], not myapp.example.com; set Hanko:Webhooks:Audience to one of those.");
        var refusal = s.HankoLogs.Should().ContainSingle(r => r.Id.Id == 23 || r.Id.Id == 22, "a refusal is logged once").Which;
        refusal.Id.Id.Should().Be(23);
        refusal.Level.Should().Be(LogLevel.Warning);
        refusal.Message.Should().Contain("The token is for [localhost], not myapp.example.com; set Hanko:Webhooks:Audience to one of those.");
    }

    // ---- JWKS redirects ------------------------------------------------------------------------------------------

    [TestCase(false, TestName = "JwksRedirect_IsNotFollowed_503_LoggedAsRedirect")]
    [TestCase(true, TestName = "JwksRedirect_FollowedByTheAppsOwnHandler_IsStillRefused")]
    public async Task JwksRedirect(bool appFollowsRedirects)
    {
        using var telemetry = new TelemetryCapture();
        var elsewhere = 0;
        var otherBuilder = WebApplication.CreateSlimBuilder();
        otherBuilder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        otherBuilder.Logging.ClearProviders();
        await using var other = otherBuilder.Build();
        Servers? holder = null;
        other.MapGet("/jwks.json", (HttpContext context) =>
        {
            Interlocked.Increment(ref elsewhere);
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(holder!.Hanko.GetJwksJson());
        });
        await other.StartAsync();
        var target = Address(other) + "/jwks.json";

        await using var s = await StartAsync(
            configure: appFollowsRedirects
                ? b => b.Services.AddHttpClient(HankoWebhookOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = true })
                : null,
            jwks: _ => context =>
            {
                context.Response.Redirect(target);
                return Task.CompletedTask;
            });
        holder = s;

        var (status, body) = await s.PostAsync(s.Hanko.CreateDelivery(HankoEventNames.UserCreate).Body);

        status.Should().Be(HttpStatusCode.ServiceUnavailable, body);
        body.Should().Contain("redirect");
        Volatile.Read(ref elsewhere).Should().Be(appFollowsRedirects ? 2 : 0, "the SDK's own client never follows; an app's client may, but its answer is not used");
        s.HankoLogs.Where(r => r.Id.Id == 2).Should().NotBeEmpty().And.OnlyContain(r => r.Message.Contains("redirects are not followed for the JWKS"));
        telemetry.Sum("hanko.webhooks.jwks.fetches", ("hanko.webhook.jwks.result", "redirect")).Should().Be(s.JwksRequests);
    }

    // ---- Anonymous session events over HTTP --------------------------------------------------------------------------

    [Test]
    public async Task AnonymousSessionEvent_FromHankoPr2310_IsDeliveredWithANullUserId()
    {
        await using var s = await StartAsync();
        var fixture = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "upcoming", "session.create.flow.anonymous.json")))!;

        var (status, body) = await s.PostAsync(s.Hanko.CreateDelivery(HankoEventNames.SessionCreateFlow, o => o.Data = fixture["data"]!.DeepClone()).Body);

        status.Should().Be(HttpStatusCode.OK, body);
        var session = s.Recorder.EventsSeenBy(nameof(AllEventsHandler)).Should().ContainSingle().Which.Should().BeOfType<SessionCreateFlowEvent>().Subject.Session;
        session.UserId.Should().BeNull();
    }
}
