using System.Net;
using System.Net.Http.Json;
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
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>
/// Three Hanko projects in one receiver on real Kestrel, each with its own JWKS served by its own real Kestrel: deliveries,
/// refusals across projects, key rotation and a JWKS outage stay within their project.
/// </summary>
[NonParallelizable]
public sealed class SeveralProjectsKestrelTests
{
    private static readonly string[] Names = ["a", "b", "c"];

    // Marker types naming the per-project handlers OnlyHandler<A>, OnlyHandler<B>, OnlyHandler<C>.
    internal sealed class A;

    internal sealed class B;

    internal sealed class C;
    private readonly Dictionary<string, JwksServer> _jwks = [];
    private WebApplication _receiver = null!;
    private HttpClient _client = null!;

    private Recorder Recorder => _receiver.Services.GetRequiredService<Recorder>();

    [OneTimeSetUp]
    public async Task StartServers()
    {
        foreach (var name in Names)
        {
            _jwks[name] = await JwksServer.StartAsync(new FakeHanko(new FakeHankoOptions { Audience = $"{name}.example.com" }));
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Recorder>();
        builder.Services.AddScoped<IHankoEventHandler<HankoEvent>, AllEventsHandler>(); // shared: registered without a project
        foreach (var name in Names)
        {
            var project = builder.Services.AddHankoWebhooks(name, o =>
            {
                o.JwksUrl = _jwks[name].Url;
                o.Audience = $"{name}.example.com";
                o.JwksRefetchCooldown = TimeSpan.FromMilliseconds(200);
                o.JwksMinimumRefreshInterval = TimeSpan.FromSeconds(1);
            }).AddHealthCheck();
            _ = name switch
            {
                "a" => project.AddHandler<OnlyHandler<A>>(),
                "b" => project.AddHandler<OnlyHandler<B>>(),
                _ => project.AddHandler<OnlyHandler<C>>(),
            };
        }

        _receiver = builder.Build();
        foreach (var name in Names)
        {
            _receiver.MapHankoWebhooks($"/webhooks/hanko/{name}", name);
        }

        await _receiver.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(Address(_receiver)) };
    }

    [OneTimeTearDown]
    public async Task StopServers()
    {
        _client.Dispose();
        await _receiver.DisposeAsync();
        foreach (var server in _jwks.Values)
        {
            await server.DisposeAsync();
        }
    }

    [Test]
    public async Task EachProject_RunsItsOwnAndTheSharedHandlers_WithItsProject()
    {
        foreach (var name in Names)
        {
            var marker = Guid.NewGuid();
            var status = await PostAsync(name, _jwks[name].Hanko.CreateDelivery(HankoEventNames.UserCreate, o => o.EditData = d => d["id"] = marker.ToString()));

            status.Should().Be(HttpStatusCode.OK);
            Recorder.Calls.Where(c => ((UserEvent)c.Event).User.Id == marker).Select(c => (c.Handler, c.Event.Project))
                .Should().BeEquivalentTo(new[] { (nameof(AllEventsHandler), name), ($"{name.ToUpperInvariant()}OnlyHandler", name) });
        }
    }

    [Test]
    public async Task TokenOfA_PostedToB_IsRefusedUnknownKey_NoHandlerRuns_AsJwksIsNotFetched()
    {
        var marker = Guid.NewGuid();
        var aRequests = _jwks["a"].Requests;
        var before = Recorder.Calls.Count;

        using var response = await _client.PostAsync("/webhooks/hanko/b", _jwks["a"].Hanko.CreateDelivery(HankoEventNames.UserCreate, o => o.EditData = d => d["id"] = marker.ToString()).ToHttpContent());

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["title"]!.GetValue<string>().Should().Be(nameof(HankoWebhookFailure.UnknownKey));
        Recorder.Calls.Count.Should().Be(before, "neither B's handlers nor the shared ones run for a refused delivery");
        _jwks["a"].Requests.Should().Be(aRequests, "B verifies against B's JWKS only");
    }

    [Test]
    public async Task RotationOnA_IsTakenByA_AndDoesNotTouchTheKeyStoresOfBAndC()
    {
        var (bRequests, cRequests) = (_jwks["b"].Requests, _jwks["c"].Requests);
        var hanko = _jwks["a"].Hanko;
        var oldKey = hanko.SigningKey;
        var newKey = hanko.RotateKey(); // both keys stay published, as after a Hanko rotation
        await Task.Delay(300); // past A's 200 ms refetch cooldown

        (await PostAsync("a", hanko.CreateDelivery(HankoEventNames.UserLogin))).Should().Be(HttpStatusCode.OK, "the unknown kid makes A fetch its JWKS again");
        (await PostAsync("a", hanko.CreateDelivery(HankoEventNames.UserLogin, o => o.Key = oldKey))).Should().Be(HttpStatusCode.OK);

        _jwks["b"].Requests.Should().Be(bRequests, "A's rotation causes no fetch in B");
        _jwks["c"].Requests.Should().Be(cRequests, "A's rotation causes no fetch in C");
        (await PostAsync("b", _jwks["b"].Hanko.CreateDelivery(HankoEventNames.UserLogin))).Should().Be(HttpStatusCode.OK);
        (await PostAsync("b", hanko.CreateDelivery(HankoEventNames.UserLogin, o => o.Key = newKey))).Should().Be(HttpStatusCode.Unauthorized, "A's new key is not in B's store");
    }

    [Test]
    public async Task JwksOfCDown_DegradesOnlyCsHealthEntry()
    {
        var health = _receiver.Services.GetRequiredService<HealthCheckService>();
        (await health.CheckHealthAsync()).Entries.Select(e => (e.Key, e.Value.Status)).Should().BeEquivalentTo(new[]
        {
            ("hanko-webhooks-a", HealthStatus.Healthy), ("hanko-webhooks-b", HealthStatus.Healthy), ("hanko-webhooks-c", HealthStatus.Healthy),
        });

        _jwks["c"].Down = true;
        try
        {
            await Task.Delay(1300); // every project's keys are now due for refresh (max-age=1)
            var report = await health.CheckHealthAsync();

            report.Entries.Select(e => (e.Key, e.Value.Status)).Should().BeEquivalentTo(new[]
            {
                ("hanko-webhooks-a", HealthStatus.Healthy), ("hanko-webhooks-b", HealthStatus.Healthy), ("hanko-webhooks-c", HealthStatus.Degraded),
            });
            report.Entries["hanko-webhooks-c"].Data["project"].Should().Be("c");
            report.Entries["hanko-webhooks-c"].Data["lastError"].Should().Be("the JWKS endpoint answered 500");
            report.Entries["hanko-webhooks-c"].Data["jwksUri"].Should().Be(_jwks["c"].Url);
            (await PostAsync("c", _jwks["c"].Hanko.CreateDelivery(HankoEventNames.UserLogin))).Should().Be(HttpStatusCode.OK, "C still verifies with the keys it holds");
            (await PostAsync("a", _jwks["a"].Hanko.CreateDelivery(HankoEventNames.UserLogin))).Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            _jwks["c"].Down = false;
        }
    }

    [Test]
    public async Task BackgroundProcessing_IsPerProject_EachProjectsQueueIsItsHandOff_ProcessedByItsOwnReceiver()
    {
        // a and b share one Hanko's keys and audience (two names for deliveries of one project): one token is valid on both.
        var shared = _jwks["a"];
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Recorder>();
        builder.Services.AddHankoWebhooks("a", o => (o.JwksUrl, o.Audience) = (shared.Url, "a.example.com")).AddHandler<OnlyHandler<A>>().UseBackgroundProcessing();
        builder.Services.AddHankoWebhooks("b", o => (o.JwksUrl, o.Audience) = (shared.Url, "a.example.com")).AddHandler<OnlyHandler<B>>().UseBackgroundProcessing();
        builder.Services.AddHankoWebhooks("c", o => (o.JwksUrl, o.Audience) = (shared.Url, "a.example.com")).AddHandler<OnlyHandler<C>>();
        await using var app = builder.Build();
        app.MapHankoWebhooks("/a", "a");
        app.MapHankoWebhooks("/b", "b");
        app.MapHankoWebhooks("/c", "c");
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(Address(app)) };
        var delivery = shared.Hanko.CreateDelivery(HankoEventNames.UserLogin);

        using var atA = await client.PostAsync("/a", delivery.ToHttpContent());
        using var atB = await client.PostAsync("/b", delivery.ToHttpContent());
        var recorder = app.Services.GetRequiredService<Recorder>();
        await recorder.WaitForAsync(r => r.Calls.Count == 2, "both queued events are processed");
        using var again = await client.PostAsync("/a", delivery.ToHttpContent());
        using var atC = await client.PostAsync("/c", delivery.ToHttpContent());

        app.Services.GetKeyedService<IHankoHandOff>("a").Should().NotBeNull().And.NotBeSameAs(app.Services.GetKeyedService<IHankoHandOff>("b"), "each project has its own queue");
        app.Services.GetKeyedService<IHankoHandOff>("c").Should().BeNull("c did not ask for background processing");
        atC.StatusCode.Should().Be(HttpStatusCode.OK, "c runs its handlers inline");
        atA.StatusCode.Should().Be(HttpStatusCode.Accepted);
        atB.StatusCode.Should().Be(HttpStatusCode.Accepted, "the same delivery on b is not a replay of a's");
        again.StatusCode.Should().Be(HttpStatusCode.OK, "a's copy again is a duplicate on a");
        recorder.Calls.Select(c => (c.Handler, c.Event.Project)).Should().BeEquivalentTo(new[] { ("AOnlyHandler", "a"), ("BOnlyHandler", "b"), ("COnlyHandler", "c") });
    }

    [Test]
    public async Task MapHankoWebhooks_ProjectNotAdded_ThrowsNamingTheCallToMake()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddHankoWebhooks("eu", o => o.JwksUrl = "https://eu.test/jwks");
        await using var app = builder.Build();

        var act = () => app.MapHankoWebhooks("/webhooks/hanko/us", "us");

        act.Should().Throw<InvalidOperationException>().WithMessage("*needs the Hanko project \"us\". Call services.AddHankoWebhooks(\"us\") (its settings are read from Hanko:Webhooks:Projects:us)*");
    }

    private async Task<HttpStatusCode> PostAsync(string project, HankoDelivery delivery)
    {
        using var response = await _client.PostAsync($"/webhooks/hanko/{project}", delivery.ToHttpContent());
        return response.StatusCode;
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

    /// <summary>One project's JWKS on its own Kestrel: counts requests, and answers 500 while <see cref="Down"/>.</summary>
    private sealed class JwksServer : IAsyncDisposable
    {
        private int _requests;

        private JwksServer(FakeHanko hanko, WebApplication app)
        {
            Hanko = hanko;
            App = app;
        }

        public FakeHanko Hanko { get; }

        public WebApplication App { get; }

        public string Url => Address(App) + "/.well-known/jwks.json";

        public int Requests => Volatile.Read(ref _requests);

        public volatile bool Down;

        public static async Task<JwksServer> StartAsync(FakeHanko hanko)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var server = new JwksServer(hanko, app);
            app.MapGet("/.well-known/jwks.json", (HttpContext context) =>
            {
                Interlocked.Increment(ref server._requests);
                if (server.Down)
                {
                    context.Response.StatusCode = 500;
                    return Task.CompletedTask;
                }

                context.Response.Headers.CacheControl = "max-age=1";
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync(hanko.GetJwksJson());
            });
            await app.StartAsync();
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            Hanko.Dispose();
        }
    }
}

/// <summary>A handler of one project: records itself as <c>{TProject}OnlyHandler</c>.</summary>
internal sealed class OnlyHandler<TProject>(Recorder recorder) : IHankoEventHandler<HankoEvent>
{
    public Task HandleAsync(HankoEvent @event, CancellationToken cancellationToken)
    {
        recorder.Add(typeof(TProject).Name + "OnlyHandler", @event);
        return Task.CompletedTask;
    }
}
