using System.Collections.Concurrent;
using FluentAssertions;
using Hanko.Webhooks.Diagnostics;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.Tests.Receiving;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.DependencyInjection;

/// <summary>Several Hanko projects in one app: options per project, isolation of keys, audiences, replay namespaces and handlers.</summary>
public sealed class NamedProjectsTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    private static HankoWebhookOptions OptionsOf(IServiceProvider provider, string project) =>
        provider.GetRequiredService<IOptionsMonitor<HankoWebhookOptions>>().Get(project);

    // ---- options ------------------------------------------------------------------------------------------------------

    [Test]
    public async Task AddHankoWebhooks_Named_BindsItsProjectSectionOverTheSharedOne()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(Configuration(
            ("Hanko:Webhooks:Audience", "example.com"),
            ("Hanko:Webhooks:ClockSkew", "00:00:10"),
            ("Hanko:Webhooks:TenantId", "shared-tenant"),
            ("Hanko:Webhooks:AllowedAlgorithms:0", "RS256"),
            ("Hanko:Webhooks:Projects:eu:ApiUrl", "https://eu.example.com/tenant-1"),
            ("Hanko:Webhooks:Projects:eu:AllowedAlgorithms:0", "PS256"),
            ("Hanko:Webhooks:Projects:us:Audience", "us.example.com")));
        services.AddHankoWebhooks("eu", o => o.MaxBodyBytes = 4096);
        services.AddHankoWebhooks("us");
        await using var provider = services.BuildServiceProvider();

        var eu = OptionsOf(provider, "eu");
        eu.ApiUrl.Should().Be("https://eu.example.com/tenant-1");
        eu.TenantId.Should().BeNull("the key source is taken whole: the project set ApiUrl, so the shared TenantId is not inherited");
        eu.Audience.Should().Be("example.com", "a key the project does not set falls back to Hanko:Webhooks");
        eu.ClockSkew.Should().Be(TimeSpan.FromSeconds(10));
        eu.IgnoredKeys.Should().Equal(["Hanko:Webhooks:AllowedAlgorithms", "Hanko:Webhooks:Projects:eu:AllowedAlgorithms"], "a setting 1.0 fixed is named where it is set (warning 15), not bound");
        eu.MaxBodyBytes.Should().Be(4096);
        eu.JwksSource!.Uri.Should().Be(new Uri("https://eu.example.com/tenant-1/.well-known/jwks.json"));

        var us = OptionsOf(provider, "us");
        us.TenantId.Should().Be("shared-tenant");
        us.Audience.Should().Be("us.example.com");
        us.AllowedAlgorithms.Should().BeNull();
        us.MaxBodyBytes.Should().Be(1024 * 1024, "code for eu configures eu only");
    }

    [Test]
    public async Task ValidateOnStart_InvalidProject_FailsNamingTheProjectAndItsSection()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(Configuration(
            ("Hanko:Webhooks:TenantId", "good-tenant"),
            ("Hanko:Webhooks:Projects:eu:TenantId", "good-eu"),
            ("Hanko:Webhooks:Projects:us:JwksUrl", "http://hanko.example.com/jwks"),
            ("Hanko:Webhooks:Projects:us:ClockSkew", "01:00:00")));
        services.AddHankoWebhooks();
        services.AddHankoWebhooks("eu");
        services.AddHankoWebhooks("us");
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        var failure = act.Should().Throw<OptionsValidationException>("only us is invalid").Which;
        failure.OptionsName.Should().Be("us");
        failure.Failures.Should().BeEquivalentTo(
            "Hanko project \"us\": Hanko:Webhooks:Projects:us:JwksUrl \"http://hanko.example.com/jwks\" uses plain http. Hanko's keys must be read over https (plain http is allowed only to localhost); set Hanko:Webhooks:Projects:us:RequireHttpsJwks to false only on a trusted private network.",
            "Hanko project \"us\": Hanko:Webhooks:Projects:us:ClockSkew is 01:00:00; it must be between 00:00:00 and 00:05:00.");
    }

    [TestCase("")]
    [TestCase("eu:west")]
    [TestCase("eu west")]
    [TestCase("ü")]
    public void AddHankoWebhooks_InvalidName_ThrowsSayingWhatANameIs(string name)
    {
        var act = () => new ServiceCollection().AddHankoWebhooks(name);

        act.Should().Throw<ArgumentException>().WithParameterName("project").WithMessage("*is not a Hanko project name: use 1 to 64 letters, digits*");
    }

    [Test]
    public void AddHankoWebhooks_NameDifferingOnlyInCase_Throws()
    {
        var services = new ServiceCollection();
        services.AddHankoWebhooks("eu");
        services.AddHankoWebhooks("eu").Project.Should().Be("eu", "the same name again adds to the same project");

        var act = () => services.AddHankoWebhooks("EU");

        act.Should().Throw<ArgumentException>().WithMessage("*\"EU\" differs from the registered project \"eu\" only in case*");
        services.Count(d => d.ServiceType == typeof(IHankoWebhookReceiver)).Should().Be(1);
    }

    // ---- isolation ----------------------------------------------------------------------------------------------------

    [Test]
    public async Task TokenOfProjectA_PostedToB_IsRefusedAsUnknownKey_BsHandlersNotCalled_AsJwksNeverFetchedByB()
    {
        await using var app = await Projects.StartAsync();
        var delivery = app.A.CreateDelivery(HankoEventNames.UserCreate);

        var atB = await app.Receiver("b").ReceiveAsync(delivery.BodyBytes);

        atB.Outcome.Should().Be(HankoReceiveOutcome.Refused);
        atB.Failure.Should().Be(HankoWebhookFailure.UnknownKey);
        atB.StatusCode.Should().Be(401);
        app.Recorder.Calls.Should().BeEmpty("no handler runs for a refused delivery, shared or B's own");
        app.A.JwksRequestCount.Should().Be(1, "only A's warm-up fetched A's keys");
        app.B.JwksRequestCount.Should().Be(2, "B fetched its own JWKS again for the unknown kid");

        var atA = await app.Receiver("a").ReceiveAsync(delivery.BodyBytes);
        atA.Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        app.Recorder.Calls.Select(c => (c.Handler, c.Project)).Should().BeEquivalentTo(new[] { ("Shared", "a"), ("AOnly", "a") });
    }

    [Test]
    public async Task JwksClient_ConfiguredForOneProject_NeverServesAnothersKeys()
    {
        // Both projects name the same JWKS URL; what answers it is configured per project, on each project's own client.
        using var a = new FakeHanko(new FakeHankoOptions { Audience = "shared.example.com" });
        using var b = new FakeHanko(new FakeHankoOptions { Audience = "shared.example.com" });
        await using var provider = Build(services =>
        {
            services.AddHankoWebhooks("a", o => Keys(o, "https://shared.test/jwks", "shared.example.com"));
            services.AddHankoWebhooks("b", o => Keys(o, "https://shared.test/jwks", "shared.example.com"));
            services.AddHttpClient(HankoWebhookOptions.GetHttpClientName("a")).ConfigurePrimaryHttpMessageHandler(a.CreateJwksHandler);
            services.AddHttpClient(HankoWebhookOptions.GetHttpClientName("b")).ConfigurePrimaryHttpMessageHandler(b.CreateJwksHandler);
        });

        var aAtB = await provider.GetRequiredKeyedService<IHankoWebhookReceiver>("b").ReceiveAsync(a.CreateDelivery(HankoEventNames.UserLogin).BodyBytes);
        var bAtB = await provider.GetRequiredKeyedService<IHankoWebhookReceiver>("b").ReceiveAsync(b.CreateDelivery(HankoEventNames.UserLogin).BodyBytes);
        var aAtA = await provider.GetRequiredKeyedService<IHankoWebhookReceiver>("a").ReceiveAsync(a.CreateDelivery(HankoEventNames.UserLogin).BodyBytes);

        aAtB.Failure.Should().Be(HankoWebhookFailure.UnknownKey, "a's handler is configured on a's client only");
        bAtB.Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        aAtA.Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        HankoWebhookOptions.GetHttpClientName("a").Should().Be("Hanko.Webhooks.Jwks:a");
        HankoWebhookOptions.GetHttpClientName(null).Should().Be(HankoWebhookOptions.HttpClientName);
    }

    [Test]
    public async Task TokenOfProjectA_PostedToBWithTheSameKeys_IsRefusedAsWrongAudience()
    {
        // Two projects of one Hanko server can share its keys; the audience keeps them apart.
        using var hanko = new FakeHanko(new FakeHankoOptions { Audience = "a.example.com" });
        await using var provider = Build(services =>
        {
            services.AddHankoWebhooks("a", o => Keys(o, "https://shared.test/jwks", "a.example.com")).AddHandler<Recording<AOnly>>();
            services.AddHankoWebhooks("b", o => Keys(o, "https://shared.test/jwks", "b.example.com")).AddHandler<Recording<BOnly>>();
            Route(services, ("shared.test", hanko));
        });

        var result = await provider.GetRequiredKeyedService<IHankoWebhookReceiver>("b").ReceiveAsync(hanko.CreateDelivery(HankoEventNames.UserLogin).BodyBytes);

        result.Failure.Should().Be(HankoWebhookFailure.WrongAudience);
        provider.GetRequiredService<ProjectRecorder>().Calls.Should().BeEmpty();
    }

    [Test]
    public async Task SameDelivery_OnTwoProjects_IsNotAReplayOfTheOther_ButIsOnTheSameProject()
    {
        using var hanko = new FakeHanko(new FakeHankoOptions { Audience = "shared.example.com" });
        var cache = new RecordingCache(new Microsoft.Extensions.Caching.Distributed.MemoryDistributedCache(
            Microsoft.Extensions.Options.Options.Create(new Microsoft.Extensions.Caching.Memory.MemoryDistributedCacheOptions())));
        await using var provider = Build(services =>
        {
            services.AddSingleton<IDistributedCache>(cache);
            services.AddHankoWebhooks(o => Keys(o, "https://shared.test/jwks", "shared.example.com"));
            services.AddHankoWebhooks("a", o => Keys(o, "https://shared.test/jwks", "shared.example.com"));
            services.AddHankoWebhooks("b", o => Keys(o, "https://shared.test/jwks", "shared.example.com"));
            services.AddHankoWebhooks().AddHandler<Recording<Shared>>();
            Route(services, ("shared.test", hanko));
        });
        var body = hanko.CreateDelivery(HankoEventNames.UserCreate).BodyBytes;

        var unnamed = await provider.GetRequiredService<IHankoWebhookReceiver>().ReceiveAsync(body);
        var a = await provider.GetRequiredKeyedService<IHankoWebhookReceiver>("a").ReceiveAsync(body);
        var b = await provider.GetRequiredKeyedService<IHankoWebhookReceiver>("b").ReceiveAsync(body);
        var aAgain = await provider.GetRequiredKeyedService<IHankoWebhookReceiver>("a").ReceiveAsync(body);

        new[] { unnamed.Outcome, a.Outcome, b.Outcome }.Should().AllBeEquivalentTo(HankoReceiveOutcome.Dispatched);
        aAgain.Outcome.Should().Be(HankoReceiveOutcome.Duplicate);
        var id = a.Event!.DeliveryId;
        cache.Writes.Select(w => w.Key).Should().Equal(
            "Hanko.Webhooks:delivery:" + id,
            "Hanko.Webhooks:project:a:delivery:" + id,
            "Hanko.Webhooks:project:b:delivery:" + id);
        provider.GetRequiredService<ProjectRecorder>().Calls.Select(c => c.Project).Should().Equal(null, "a", "b");
    }

    [Test]
    public async Task ClaimStores_AnAppsOwnStoreSeesNamedProjectsIdsNamespaced_AProjectsKeyedStoreIsItsOwn()
    {
        using var hanko = new FakeHanko(new FakeHankoOptions { Audience = "shared.example.com" });
        var shared = new RecordingClaimStore();
        var own = new RecordingClaimStore();
        await using var provider = Build(services =>
        {
            services.AddSingleton<IHankoReplayClaimStore>(shared); // the app's store (as an unnamed UseRedis() registers)
            services.AddKeyedSingleton<IHankoReplayClaimStore>("b", own); // b's own (as AddHankoWebhooks("b").UseRedis() registers)
            services.AddHankoWebhooks(o => Keys(o, "https://shared.test/jwks", "shared.example.com"));
            services.AddHankoWebhooks("a", o => Keys(o, "https://shared.test/jwks", "shared.example.com"));
            services.AddHankoWebhooks("b", o => Keys(o, "https://shared.test/jwks", "shared.example.com"));
            Route(services, ("shared.test", hanko));
        });
        var body = hanko.CreateDelivery(HankoEventNames.UserCreate).BodyBytes;

        var unnamed = await provider.GetRequiredService<IHankoWebhookReceiver>().ReceiveAsync(body);
        (await provider.GetRequiredKeyedService<IHankoWebhookReceiver>("a").ReceiveAsync(body)).Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        (await provider.GetRequiredKeyedService<IHankoWebhookReceiver>("b").ReceiveAsync(body)).Outcome.Should().Be(HankoReceiveOutcome.Dispatched);

        var id = unnamed.Event!.DeliveryId;
        shared.Claimed.Should().Equal(id, "project:a:" + id);
        own.Claimed.Should().Equal([id], "b's own store gets the bare id: its keys are b's already");
    }

    private sealed class RecordingClaimStore : IHankoReplayClaimStore
    {
        private readonly ConcurrentDictionary<string, string> _claims = new(StringComparer.Ordinal);

        public List<string> Claimed { get; } = [];

        public ValueTask<bool> TryClaimAsync(string deliveryId, string owner, TimeSpan lifetime, CancellationToken cancellationToken)
        {
            lock (Claimed)
            {
                Claimed.Add(deliveryId);
            }

            return ValueTask.FromResult(_claims.TryAdd(deliveryId, owner));
        }

        public ValueTask ReleaseAsync(string deliveryId, string owner, CancellationToken cancellationToken)
        {
            _claims.TryRemove(KeyValuePair.Create(deliveryId, owner));
            return ValueTask.CompletedTask;
        }
    }

    [Test]
    public async Task Handlers_PerProjectOnlySeeTheirProject_SharedSeeAllWithTheRightProject()
    {
        await using var app = await Projects.StartAsync(withUnnamed: true);

        foreach (var (project, hanko) in new[] { ((string?)null, app.Unnamed!), ("a", app.A), ("b", app.B) })
        {
            var receiver = project is null ? app.Provider.GetRequiredService<IHankoWebhookReceiver>() : app.Receiver(project);
            (await receiver.ReceiveAsync(hanko.CreateDelivery(HankoEventNames.UserCreate).BodyBytes)).Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        }

        app.Recorder.Calls.Select(c => (c.Handler, c.Project)).Should().BeEquivalentTo(new (string, string?)[]
        {
            ("Shared", null), ("Shared", "a"), ("AOnly", "a"), ("Shared", "b"), ("BOnly", "b"),
        });
    }

    [Test]
    public async Task AddHandler_TwiceOnAProject_OrBothSharedAndOnIt_RunsOncePerDelivery()
    {
        await using var app = await Projects.StartAsync(configure: s =>
        {
            s.AddHankoWebhooks("a").AddHandler<Recording<BOnly>>().AddHandler<Recording<Shared>>();
            s.AddHankoWebhooks("a").AddHandler<Recording<BOnly>>();
        });

        await app.Receiver("a").ReceiveAsync(app.A.CreateDelivery(HankoEventNames.UserLogin).BodyBytes);

        app.Recorder.Calls.Select(c => c.Handler).Should().BeEquivalentTo("Shared", "AOnly", "BOnly");
    }

    // ---- telemetry and logs -------------------------------------------------------------------------------------------

    [Test]
    public async Task Telemetry_NamedProject_TagsSpansAndMeasurementsWithTheProject_UnnamedHasNoTag()
    {
        using var telemetry = new TelemetryCapture();
        await using var app = await Projects.StartAsync(withUnnamed: true, prefix: "tel");

        var a = await app.Receiver("tel-a").ReceiveAsync(app.A.CreateDelivery(HankoEventNames.UserLogin).BodyBytes);
        var refused = await app.Receiver("tel-b").ReceiveAsync(app.A.CreateDelivery(HankoEventNames.UserLogin).BodyBytes);
        var unnamed = await app.Provider.GetRequiredService<IHankoWebhookReceiver>().ReceiveAsync(app.Unnamed!.CreateDelivery(HankoEventNames.UserLogin).BodyBytes);

        unnamed.Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        a.Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        telemetry.SpansNamed(HankoTelemetryNames.DeliverySpan).Select(s => ((string?)s.GetTagItem("hanko.webhook.project"), (string?)s.GetTagItem("hanko.webhook.outcome")))
            .Should().Equal(("tel-a", "handled"), ("tel-b", "refused"), (null, "handled"));
        telemetry.SpansNamed(HankoTelemetryNames.VerifySpan).Select(s => (string?)s.GetTagItem("hanko.webhook.project")).Should().Equal("tel-a", "tel-b", null);
        telemetry.SpansNamed(HankoTelemetryNames.HandlerSpan).Where(s => (string?)s.GetTagItem("hanko.webhook.project") == "tel-a")
            .Select(s => s.GetTagItem("hanko.webhook.handler")).Should().BeEquivalentTo(new[] { typeof(Recording<Shared>).FullName, typeof(Recording<AOnly>).FullName });
        telemetry.SpansNamed(HankoTelemetryNames.JwksFetchSpan).Select(s => s.GetTagItem("hanko.webhook.project")).Should().Contain(["tel-a", "tel-b"]);
        telemetry.Sum("hanko.webhooks.deliveries", ("hanko.webhook.project", "tel-a"), ("hanko.webhook.outcome", "handled")).Should().Be(1);
        telemetry.Sum("hanko.webhooks.refusals", ("hanko.webhook.project", "tel-b"), ("hanko.webhook.failure", "UnknownKey")).Should().Be(1);
        telemetry.Sum("hanko.webhooks.jwks.fetches", ("hanko.webhook.project", "tel-b")).Should().Be(2);
        refused.Failure.Should().Be(HankoWebhookFailure.UnknownKey);
    }

    [Test]
    public async Task Logs_OfANamedProjectsDelivery_AreInItsScope_TheUnnamedHasNone()
    {
        await using var app = await Projects.StartAsync(withUnnamed: true);

        await app.Receiver("b").ReceiveAsync(app.B.CreateDelivery(HankoEventNames.UserLogin).BodyBytes);
        await app.Provider.GetRequiredService<IHankoWebhookReceiver>().ReceiveAsync(app.Unnamed!.CreateDelivery(HankoEventNames.UserLogin).BodyBytes);

        var verified = app.Provider.GetFakeLogCollector().GetSnapshot().Where(r => r.Id.Id == 21).ToList();
        verified.Should().HaveCount(2);
        verified.Select(r => ProjectOf(r)).Should().Equal("b", null);
        app.Provider.GetFakeLogCollector().GetSnapshot().Where(r => r.Id.Id == 1).Select(ProjectOf).Should().BeEquivalentTo(new[] { "a", "b", null }, "each warm-up fetch is logged in its project's scope");
    }

    private static string? ProjectOf(FakeLogRecord record) =>
        record.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>().SelectMany(s => s).Where(kv => kv.Key == "HankoProject").Select(kv => kv.Value as string).SingleOrDefault();

    // ---- support ------------------------------------------------------------------------------------------------------

    private static void Keys(HankoWebhookOptions o, string jwksUrl, string audience) =>
        (o.JwksUrl, o.Audience, o.FetchKeysOnStart) = (jwksUrl, audience, false);

    private static ServiceProvider Build(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddFakeLogging())
            .AddSingleton<ProjectRecorder>();
        configure(services);
        return services.BuildServiceProvider();
    }

    /// <summary>Routes the requests of every registered project's JWKS client (each project has its own) to one fake Hanko per host.</summary>
    private static void Route(IServiceCollection services, params (string Host, FakeHanko Hanko)[] routes)
    {
        foreach (var project in HankoProjectRegistration.In(services).Select(r => r.Name).ToList())
        {
            services.AddHttpClient(HankoWebhookOptions.GetHttpClientName(project))
                .ConfigurePrimaryHttpMessageHandler(() => new HostRouter(routes.ToDictionary(r => r.Host, r => new HttpMessageInvoker(r.Hanko.CreateJwksHandler()))));
        }
    }

    private sealed class HostRouter(Dictionary<string, HttpMessageInvoker> routes) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            routes[request.RequestUri!.Host].SendAsync(request, cancellationToken);
    }

    /// <summary>Projects a and b (and optionally the unnamed one), each with its own fake Hanko and audience, warmed up.</summary>
    private sealed class Projects : IAsyncDisposable
    {
        private Projects(ServiceProvider provider, FakeHanko a, FakeHanko b, FakeHanko? unnamed, string prefix)
        {
            Provider = provider;
            A = a;
            B = b;
            Unnamed = unnamed;
            _prefix = prefix;
        }

        private readonly string _prefix;

        public ServiceProvider Provider { get; }

        public FakeHanko A { get; }

        public FakeHanko B { get; }

        public FakeHanko? Unnamed { get; }

        public ProjectRecorder Recorder => Provider.GetRequiredService<ProjectRecorder>();

        public IHankoWebhookReceiver Receiver(string project) => Provider.GetRequiredKeyedService<IHankoWebhookReceiver>(project);

        public static async Task<Projects> StartAsync(bool withUnnamed = false, string? prefix = null, Action<IServiceCollection>? configure = null)
        {
            var (na, nb) = prefix is null ? ("a", "b") : ($"{prefix}-a", $"{prefix}-b");
            var a = new FakeHanko(new FakeHankoOptions { Audience = "a.example.com" });
            var b = new FakeHanko(new FakeHankoOptions { Audience = "b.example.com" });
            var unnamed = withUnnamed ? new FakeHanko(new FakeHankoOptions { Audience = "unnamed.example.com" }) : null;
            var provider = Build(services =>
            {
                services.AddHankoWebhooks(na, o => (o.JwksUrl, o.Audience, o.JwksRefetchCooldown) = ("https://a.test/jwks", "a.example.com", TimeSpan.FromMilliseconds(1))).AddHandler<Recording<AOnly>>();
                services.AddHankoWebhooks(nb, o => (o.JwksUrl, o.Audience, o.JwksRefetchCooldown) = ("https://b.test/jwks", "b.example.com", TimeSpan.FromMilliseconds(1))).AddHandler<Recording<BOnly>>();
                if (withUnnamed)
                {
                    services.AddHankoWebhooks(o => (o.JwksUrl, o.Audience) = ("https://unnamed.test/jwks", "unnamed.example.com")).AddHandler<Recording<Shared>>();
                }
                else
                {
                    services.AddScoped<IHankoEventHandler<HankoEvent>, Recording<Shared>>(); // a shared handler without the unnamed project
                }

                configure?.Invoke(services);
                Route(services, [("a.test", a), ("b.test", b), .. unnamed is null ? [] : new[] { ("unnamed.test", unnamed) }]);
            });
            foreach (var hosted in provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>())
            {
                await hosted.StartAsync(CancellationToken.None);
            }

            await Task.Delay(5); // past the 1 ms refetch cooldown of the warm-up
            return new Projects(provider, a, b, unnamed, prefix ?? string.Empty);
        }

        public async ValueTask DisposeAsync()
        {
            await Provider.DisposeAsync();
            A.Dispose();
            B.Dispose();
            Unnamed?.Dispose();
        }
    }
}

/// <summary>What the project tests' handlers saw: the handler and the event's <see cref="HankoEvent.Project"/>.</summary>
internal sealed class ProjectRecorder
{
    private readonly ConcurrentQueue<(string Handler, string? Project)> _calls = new();

    public IReadOnlyList<(string Handler, string? Project)> Calls => [.. _calls];

    public void Add(string handler, HankoEvent @event) => _calls.Enqueue((handler, @event.Project));
}

/// <summary>A handler that records itself under the name of <typeparamref name="TName"/>.</summary>
internal sealed class Recording<TName>(ProjectRecorder recorder) : IHankoEventHandler<HankoEvent>
{
    public Task HandleAsync(HankoEvent @event, CancellationToken cancellationToken)
    {
        recorder.Add(typeof(TName).Name, @event);
        return Task.CompletedTask;
    }
}

// The names of the recording handlers: shared by every project, a's own, b's own.
internal sealed class Shared;

internal sealed class AOnly;

internal sealed class BOnly;
