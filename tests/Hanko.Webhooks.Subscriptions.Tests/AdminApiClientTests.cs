using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Hanko.Webhooks.Subscriptions.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Hanko.Webhooks.Subscriptions.Tests;

/// <summary>The typed client against the fake Admin API and against the fixtures written from Hanko's Go DTOs.</summary>
public sealed class AdminApiClientTests
{
    private FakeHanko _hanko = null!;
    private FakeHankoAdminApi _admin = null!;
    private ServiceProvider _services = null!;

    private IHankoWebhookSubscriptions Api => _services.GetRequiredService<IHankoWebhookSubscriptions>();

    [SetUp]
    public async Task Start()
    {
        _hanko = new FakeHanko();
        _admin = await FakeHankoAdminApi.StartAsync(_hanko, "/tenant-a");
        _services = Services(o => o.AdminApiUrl = _admin.BaseAddress.ToString().TrimEnd('/'));
    }

    [TearDown]
    public async Task Stop()
    {
        await _services.DisposeAsync();
        await _admin.DisposeAsync();
        _hanko.Dispose();
    }

    private static ServiceProvider Services(Action<HankoWebhookSubscriptionOptions> configure, Action<HttpClient>? clientBefore = null, Action<HttpClient>? clientAfter = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        if (clientBefore is not null)
        {
            services.AddHttpClient(HankoWebhookSubscriptionOptions.HttpClientName).ConfigureHttpClient(clientBefore);
        }

        services.AddHankoWebhooks(o => o.JwksUrl = "https://hanko.test/.well-known/jwks.json").AddSubscriptions(configure);
        if (clientAfter is not null)
        {
            services.AddHttpClient(HankoWebhookSubscriptionOptions.HttpClientName).ConfigureHttpClient(clientAfter);
        }

        return services.BuildServiceProvider();
    }

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", name));

    [Test]
    public async Task CreateGetListUpdateDelete_RoundTripWithHankoStatusCodes()
    {
        var created = await Api.CreateAsync("https://app.example.com/hook", ["user", "email.send"]);
        created.Enabled.Should().BeTrue();
        created.Failures.Should().Be(0);
        created.ExpiresAt.Should().BeCloseTo(DateTimeOffset.UtcNow.AddDays(30), TimeSpan.FromMinutes(1));
        created.Events.Select(e => e.Event).Should().Equal("user", "email.send");
        created.Events.Should().OnlyContain(e => e.Id != Guid.Empty);
        created.Id.ToString("D")[14].Should().Be('4', "Hanko makes UUIDv4 ids");

        (await Api.GetAsync(created.Id))!.Callback.Should().Be("https://app.example.com/hook");
        (await Api.ListAsync()).Database.Select(h => h.Id).Should().Equal(created.Id);

        var updated = await Api.UpdateAsync(created.Id, created.Callback, ["session"]);
        updated.EventNames.Should().Equal("session");
        updated.Events.Single().Id.Should().NotBe(created.Events[0].Id, "the event set is replaced");

        (await Api.DeleteAsync(created.Id)).Should().BeTrue();
        (await Api.DeleteAsync(created.Id)).Should().BeFalse("404: already gone");
        (await Api.GetAsync(created.Id)).Should().BeNull();
        _admin.Requests.Select(r => r.Path).Should().OnlyContain(p => p.StartsWith("/tenant-a/webhooks", StringComparison.Ordinal), "the multi-tenant prefix is kept");
    }

    [TestCase("hook.json")]
    [TestCase("list.json")]
    public async Task Fake_WritesTheShapesOfTheGoFixtures(string fixture)
    {
        var hook = _admin.AddHook("https://app.example.com/webhooks/hanko", ["user", "email.send"]);
        _admin.AddConfigHook("https://other.example.com/hook", "user.create", "email.send");
        using var http = new HttpClient();
        var path = fixture == "hook.json" ? $"webhooks/{hook.Id}" : "webhooks";

        var fake = JsonNode.Parse(await http.GetStringAsync(new Uri(_admin.BaseAddress, path)));

        Shape(fake).Should().Be(Shape(JsonNode.Parse(Fixture(fixture))));
    }

    [Test]
    public async Task Fake_ListWithoutConfigHooks_MatchesFixture()
    {
        using var http = new HttpClient();
        (await http.GetStringAsync(new Uri(_admin.BaseAddress, "webhooks"))).Should().Be(Fixture("list-no-config.json").Trim());
    }

    [TestCase("error-400-validation.json", "POST", "{}")]
    [TestCase("error-400-event.json", "POST", """{"callback":"https://a.example/h","events":["user","tenant.nope"]}""")]
    [TestCase("error-400-uuid.json", "GET", null)]
    [TestCase("error-404.json", "DELETE", null)]
    public async Task Fake_ErrorBodiesMatchFixtures(string fixture, string method, string? body)
    {
        using var http = new HttpClient();
        var path = fixture == "error-400-uuid.json" ? "webhooks/not-a-uuid" : method == "POST" ? "webhooks" : $"webhooks/{Guid.NewGuid()}";
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(_admin.BaseAddress, path));
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);

        var expected = JsonNode.Parse(Fixture(fixture))!;
        ((int)response.StatusCode).Should().Be(expected["code"]!.GetValue<int>());
        (await response.Content.ReadAsStringAsync()).Should().Be(expected.ToJsonString());
    }

    [Test]
    public async Task Client_ReadsTheGoFixtures()
    {
        ServeFixture("GET", "/tenant-a/webhooks/3f1c9a52-8d2e-4b7a-9c61-0e5f2a7d4b18", "hook.json");
        ServeFixture("GET", "/tenant-a/webhooks", "list.json");

        var hook = (await Api.GetAsync(Guid.Parse("3f1c9a52-8d2e-4b7a-9c61-0e5f2a7d4b18")))!;
        var list = await Api.ListAsync();

        hook.Callback.Should().Be("https://app.example.com/webhooks/hanko");
        hook.Enabled.Should().BeTrue();
        hook.Failures.Should().Be(2);
        hook.ExpiresAt.Should().Be(new DateTimeOffset(2026, 9, 13, 10, 11, 12, TimeSpan.Zero).AddTicks(1234567), "Go writes 9 fraction digits; .NET keeps 7");
        hook.CreatedAt.Should().Be(new DateTimeOffset(2026, 8, 14, 10, 11, 12, 500, TimeSpan.FromHours(2)));
        hook.UpdatedAt.Should().Be(new DateTimeOffset(2026, 8, 14, 12, 0, 0, TimeSpan.Zero));
        hook.Events.Select(e => (e.Id, e.Event)).Should().Equal(
            (Guid.Parse("a7e4c1d0-5b3f-4e2a-8d9c-1f6b0a3e7c25"), "user"), (Guid.Parse("c2b8f6e1-9a4d-4c3b-b7e0-5d1a8f2c6e94"), "email.send"));
        list.Database.Single().Enabled.Should().BeFalse();
        list.Database.Single().Failures.Should().Be(6);
        list.Config.Single().Callback.Should().Be("https://other.example.com/hook");
        list.Config.Single().Events.Should().Equal("user.create", "email.send");
    }

    [Test]
    public async Task Client_ListWithNullConfig_GivesEmptyList()
    {
        ServeFixture("GET", "/tenant-a/webhooks", "list-no-config.json");

        var list = await Api.ListAsync();

        list.Database.Should().BeEmpty();
        list.Config.Should().NotBeNull().And.BeEmpty();
    }

    [Test]
    public async Task Client_RequestsHaveTheShapesOfTheGoFixtures()
    {
        var created = await Api.CreateAsync("https://app.example.com/webhooks/hanko", ["email.send", "user"]);
        await Api.UpdateAsync(created.Id, "https://app.example.com/webhooks/hanko", ["email.send", "user"]);

        var bodies = _admin.Requests.Where(r => r.Method is "POST" or "PUT").Select(r => JsonNode.Parse(r.Body)!.ToJsonString()).ToList();
        bodies.Should().Equal(JsonNode.Parse(Fixture("create-request.json"))!.ToJsonString(), JsonNode.Parse(Fixture("update-request.json"))!.ToJsonString());
    }

    [Test]
    public async Task Errors_CarryHankosCodeAndMessageWithAHint()
    {
        _admin.ValidEvents.Remove(HankoEventNames.Session); // a Hanko from before the session events

        var unknownEvent = await FluentActions.Awaiting(() => Api.CreateAsync("https://app.example.com/hook", ["user", "session"]))
            .Should().ThrowAsync<HankoAdminApiException>();
        unknownEvent.Which.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        unknownEvent.Which.HankoCode.Should().Be(400);
        unknownEvent.Which.HankoMessage.Should().Be("session in events[1] is not a valid webhook event");
        unknownEvent.Which.Message.Should().Be(
            "Hanko's Admin API refused POST webhooks with 400 Bad Request: session in events[1] is not a valid webhook event. events[1] is \"session\", which this Hanko version does not accept as an event name (older versions know no session.*, user.login or user.update.custom_claims events): update Hanko or remove the handler that needs it.");
        unknownEvent.Which.RefusedEventNames.Should().Equal("session");

        var hook = await Api.CreateAsync("https://app.example.com/hook", ["user"]);
        var disable = await FluentActions.Awaiting(() => Api.UpdateAsync(hook.Id, hook.Callback, ["user"], enabled: false)).Should().ThrowAsync<HankoAdminApiException>();
        disable.Which.HankoMessage.Should().Be("enabled is a required field");
        disable.Which.Message.Should().EndWith("a hook cannot be disabled through the Admin API (delete it instead).");

        var missing = await FluentActions.Awaiting(() => Api.UpdateAsync(Guid.NewGuid(), hook.Callback, ["user"])).Should().ThrowAsync<HankoAdminApiException>();
        missing.Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
        missing.Which.HankoMessage.Should().Be("unable to find webhook with id: %s");

        var notV4 = await FluentActions.Awaiting(() => Api.GetAsync(Guid.Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"))).Should().ThrowAsync<HankoAdminApiException>();
        notV4.Which.HankoMessage.Should().Be("ID must be a valid uuid4");

        _admin.FailNext(1);
        var serverError = await FluentActions.Awaiting(() => Api.ListAsync()).Should().ThrowAsync<HankoAdminApiException>();
        serverError.Which.Message.Should().Be("Hanko's Admin API refused GET webhooks with 500 Internal Server Error: Internal Server Error.");
    }

    [Test]
    public async Task Errors_WrongBaseUrlAndUnreachableServer_SayWhatToCheck()
    {
        await using var wrongPath = Services(o => o.AdminApiUrl = new Uri(_admin.BaseAddress, "/nowhere").ToString());
        var notFound = await FluentActions.Awaiting(() => wrongPath.GetRequiredService<IHankoWebhookSubscriptions>().ListAsync()).Should().ThrowAsync<HankoAdminApiException>();
        notFound.Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
        notFound.Which.HankoMessage.Should().Be("Not Found");

        await using var closed = Services(o => o.AdminApiUrl = "http://127.0.0.1:9");
        var unreachable = await FluentActions.Awaiting(() => closed.GetRequiredService<IHankoWebhookSubscriptions>().ListAsync()).Should().ThrowAsync<HankoAdminApiException>();
        unreachable.Which.StatusCode.Should().BeNull();
        unreachable.Which.Message.Should().StartWith("Could not reach Hanko's Admin API at http://127.0.0.1:9/ for GET webhooks: ");
    }

    [Test]
    public async Task Unauthorized_MessageNamesTheSettingNotTheKey()
    {
        const string key = "hk_live_canary_7f3b2c";
        _admin.RequiredApiKey = "the-right-key";
        await using var services = Services(o => { o.AdminApiUrl = _admin.BaseAddress.ToString(); o.ApiKey = key; });

        var error = await FluentActions.Awaiting(() => services.GetRequiredService<IHankoWebhookSubscriptions>().ListAsync()).Should().ThrowAsync<HankoAdminApiException>();

        error.Which.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        error.Which.Message.Should().Contain("Check the ApiKey").And.NotContain(key);
        _admin.Requests.Single().Authorization.Should().Be("Bearer " + key);
    }

    [Test]
    public async Task Cancellation_CancelsTheRequest()
    {
        _admin.CreateDelay = TimeSpan.FromSeconds(5);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await FluentActions.Awaiting(() => Api.CreateAsync("https://app.example.com/hook", ["user"], cts.Token)).Should().ThrowAsync<OperationCanceledException>();
    }

    [Test]
    public async Task Timeout_OfTheNamedClient_IsAClearError()
    {
        _admin.CreateDelay = TimeSpan.FromSeconds(5);
        await using var services = Services(o => o.AdminApiUrl = _admin.BaseAddress.ToString(), clientAfter: c => c.Timeout = TimeSpan.FromMilliseconds(300));

        var error = await FluentActions.Awaiting(() => services.GetRequiredService<IHankoWebhookSubscriptions>().CreateAsync("https://app.example.com/hook", ["user"])).Should().ThrowAsync<HankoAdminApiException>();

        error.Which.Message.Should().Be($"Hanko's Admin API did not answer POST webhooks at {_admin.BaseAddress} within 0.3 s.");
    }

    [Test]
    public async Task NamedClient_TimesOutAfter30Seconds_UnlessTheAppSetsItsTimeout_BeforeOrAfterAddSubscriptions()
    {
        var url = _admin.BaseAddress.ToString();
        await using var plain = Services(o => o.AdminApiUrl = url);
        await using var before = Services(o => o.AdminApiUrl = url, clientBefore: c => c.Timeout = TimeSpan.FromSeconds(5));
        await using var after = Services(o => o.AdminApiUrl = url, clientAfter: c => c.Timeout = TimeSpan.FromMinutes(2));

        static TimeSpan TimeoutOf(IServiceProvider sp) => sp.GetRequiredService<IHttpClientFactory>().CreateClient(HankoWebhookSubscriptionOptions.HttpClientName).Timeout;

        TimeoutOf(plain).Should().Be(TimeSpan.FromSeconds(30), "not HttpClient's 100 s: Admin API calls run in the background and in health probes");
        TimeoutOf(before).Should().Be(TimeSpan.FromSeconds(5), "the app's setting wins even when made before AddSubscriptions");
        TimeoutOf(after).Should().Be(TimeSpan.FromMinutes(2));
    }

    [TestCase(null, null, "No Hanko Admin API is configured: set Hanko:Webhooks:Subscriptions:AdminApiUrl (self-hosted admin server, e.g. http://hanko:8001) or, for Hanko Cloud, the project's Hanko:Webhooks:TenantId.")]
    [TestCase("ftp://hanko", null, "is not an absolute http(s) URL")]
    [TestCase("http://hanko.internal:8001", "key", "the key would cross the network unencrypted")]
    public void Options_Invalid_FailWithWhatToSet(string? url, string? key, string expected)
    {
        using var services = Services(o => { o.AdminApiUrl = url; o.ApiKey = key; });

        FluentActions.Invoking(() => services.GetRequiredService<IOptions<HankoWebhookSubscriptionOptions>>().Value)
            .Should().Throw<OptionsValidationException>().WithMessage($"*{expected}*");
    }

    [Test]
    public void Options_AutoReenableWithoutWatchInterval_FailsNamingWatchInterval()
    {
        using var services = Services(o => { o.AdminApiUrl = "http://127.0.0.1:8001"; o.CallbackUrl = "https://app.example.com/webhooks/hanko"; o.AutoReenable = true; });

        FluentActions.Invoking(() => services.GetRequiredService<IOptions<HankoWebhookSubscriptionOptions>>().Value)
            .Should().Throw<OptionsValidationException>().WithMessage("*Hanko:Webhooks:Subscriptions:AutoReenable needs Hanko:Webhooks:Subscriptions:WatchInterval*");
    }

    [TestCase(50, "must be between")]
    [TestCase(0, "must be between")]
    public void Options_WatchIntervalOutOfRange_Fails(int milliseconds, string expected)
    {
        using var services = Services(o => { o.AdminApiUrl = "http://127.0.0.1:8001"; o.CallbackUrl = "https://app.example.com/webhooks/hanko"; o.WatchInterval = TimeSpan.FromMilliseconds(milliseconds); });

        FluentActions.Invoking(() => services.GetRequiredService<IOptions<HankoWebhookSubscriptionOptions>>().Value)
            .Should().Throw<OptionsValidationException>().WithMessage($"*WatchInterval is *{expected}*");
    }

    [Test]
    public void Options_WatchIntervalWithoutCallbackUrl_FailsNamingCallbackUrl()
    {
        using var services = Services(o => { o.AdminApiUrl = "http://127.0.0.1:8001"; o.WatchInterval = TimeSpan.FromMinutes(5); });

        FluentActions.Invoking(() => services.GetRequiredService<IOptions<HankoWebhookSubscriptionOptions>>().Value)
            .Should().Throw<OptionsValidationException>().WithMessage("*CallbackUrl is required for EnsureOnStart, WatchInterval and AutoReenable*");
    }

    [Test]
    public async Task Options_TenantId_CallsTheCloudAdminUrlThroughTheNamedClient()
    {
        var stub = new StubHandler();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHankoWebhooks(o => o.TenantId = "5b4e0f1c-2d3a-4e5f-8a9b-0c1d2e3f4a5b").AddSubscriptions(o => o.ApiKey = "k");
        services.AddHttpClient(HankoWebhookSubscriptionOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => stub);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IHankoWebhookSubscriptions>().ListAsync();

        stub.Uri.Should().Be(new Uri("https://5b4e0f1c-2d3a-4e5f-8a9b-0c1d2e3f4a5b.hanko.io/admin/webhooks"));
        stub.Authorization.Should().Be("Bearer k");
    }

    private sealed class StubHandler : HttpMessageHandler
    {
        public Uri? Uri { get; private set; }

        public string? Authorization { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uri = request.RequestUri;
            Authorization = request.Headers.Authorization?.ToString();
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Fixture("list-no-config.json"), System.Text.Encoding.UTF8, "application/json") });
        }
    }

    private void ServeFixture(string method, string path, string fixture)
    {
        var previous = _admin.Intercept;
        _admin.Intercept = async context =>
        {
            if (context.Request.Method == method && context.Request.Path == path)
            {
                context.Response.ContentType = "application/json; charset=UTF-8";
                await context.Response.WriteAsync(Fixture(fixture));
                return true;
            }

            return previous is not null && await previous(context);
        };
    }

    /// <summary>The JSON's member names in order with the kind of each value, ids and times as such.</summary>
    private static string Shape(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.Select(p => p.Key + ":" + Shape(p.Value))) + "}",
        JsonArray a => "[" + (a.Count == 0 ? string.Empty : Shape(a[0])) + "]",
        JsonValue v when v.GetValueKind() == JsonValueKind.String && Guid.TryParse(v.GetValue<string>(), out _) => "uuid",
        JsonValue v when v.GetValueKind() == JsonValueKind.String && DateTimeOffset.TryParse(v.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out _) => "time",
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValue v => v.GetValueKind().ToString(),
        null => "null",
        _ => "?",
    };
}
