using FluentAssertions;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Diagnostics;

/// <summary>The opt-in health check, driven by a <see cref="FakeHanko"/> JWKS and a fake clock.</summary>
public sealed class HankoWebhooksHealthCheckTests
{
    [Test]
    public async Task CheckHealth_KeysFetched_IsHealthyWithKeyCountAndFetchTime()
    {
        await using var app = HealthApp.Create();

        var report = await app.CheckAsync();

        var entry = report.Entries.Should().ContainKey("hanko-webhooks").WhoseValue;
        entry.Status.Should().Be(HealthStatus.Healthy, entry.Description);
        entry.Data["keyCount"].Should().Be(1);
        entry.Data["fetchedAt"].Should().Be(VerifierHarness.Start);
        entry.Data.Should().NotContainKey("lastError");
        entry.Data["jwksUri"].Should().Be("https://hanko.test/.well-known/jwks.json");
    }

    [TestCase(FakeJwksBehavior.ServerError, "the JWKS endpoint answered 500")]
    [TestCase(FakeJwksBehavior.InvalidJson, "the JWKS is not valid JSON Web Key Set JSON")]
    [TestCase(FakeJwksBehavior.Empty, "the JWKS holds no usable RSA signing key")]
    public async Task CheckHealth_KeysNeverFetched_IsUnhealthyWithTheLastError(FakeJwksBehavior behavior, string error)
    {
        await using var app = HealthApp.Create();
        app.Hanko.JwksBehavior = behavior;

        var entry = (await app.CheckAsync()).Entries["hanko-webhooks"];

        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Description.Should().Contain("No Hanko signing keys").And.Contain(error);
        entry.Data["keyCount"].Should().Be(0);
        entry.Data["lastError"].Should().Be(error);
        entry.Data.Should().NotContainKey("fetchedAt");
    }

    [Test]
    public async Task CheckHealth_RefreshFailsAfterKeysWereFetched_IsDegradedWhileTheOldKeysStayInUse()
    {
        await using var app = HealthApp.Create();
        (await app.CheckAsync()).Status.Should().Be(HealthStatus.Healthy);
        app.Hanko.JwksBehavior = FakeJwksBehavior.ServerError;
        app.Time.Advance(TimeSpan.FromMinutes(11)); // Hanko's max-age is 10 minutes

        var entry = (await app.CheckAsync()).Entries["hanko-webhooks"];

        entry.Status.Should().Be(HealthStatus.Degraded, entry.Description);
        entry.Data["keyCount"].Should().Be(1);
        entry.Data["fetchedAt"].Should().Be(VerifierHarness.Start);
        entry.Data["lastError"].Should().Be("the JWKS endpoint answered 500");

        app.Hanko.JwksBehavior = FakeJwksBehavior.Normal;
        app.Time.Advance(TimeSpan.FromSeconds(11)); // past the refetch cooldown
        (await app.CheckAsync()).Status.Should().Be(HealthStatus.Healthy, "a successful refresh clears the error");
    }

    [Test]
    public async Task CheckHealth_KeysOverdueInAQuietApp_RefreshesThemAndStaysHealthy()
    {
        await using var app = HealthApp.Create();
        (await app.CheckAsync()).Status.Should().Be(HealthStatus.Healthy);
        app.Time.Advance(TimeSpan.FromHours(1));

        var entry = (await app.CheckAsync()).Entries["hanko-webhooks"];

        entry.Status.Should().Be(HealthStatus.Healthy);
        entry.Data["fetchedAt"].Should().Be(VerifierHarness.Start.AddHours(1));
        app.Hanko.JwksRequestCount.Should().Be(2);
    }

    [Test]
    public async Task CheckHealth_RepeatedWhileKeysAreFresh_DoesNotFetchAgain()
    {
        await using var app = HealthApp.Create();

        for (var i = 0; i < 5; i++)
        {
            (await app.CheckAsync()).Status.Should().Be(HealthStatus.Healthy);
            app.Time.Advance(TimeSpan.FromMinutes(1));
        }

        app.Hanko.JwksRequestCount.Should().Be(1);
    }

    [Test]
    public async Task AddHealthCheck_WithNameFailureStatusAndTags_RegistersThem()
    {
        await using var app = HealthApp.Create(b => b.AddHealthCheck("jwks", HealthStatus.Degraded, ["ready"]));
        app.Hanko.JwksBehavior = FakeJwksBehavior.ServerError;

        var report = await app.CheckAsync();

        var entry = report.Entries.Should().ContainSingle().Which;
        entry.Key.Should().Be("jwks");
        entry.Value.Status.Should().Be(HealthStatus.Degraded, "the failure status replaces Unhealthy");
        entry.Value.Tags.Should().Equal("ready");
    }

    [Test]
    public async Task CheckHealth_CustomVerifierRegistered_StillChecksTheSharedKeyStore()
    {
        await using var app = HealthApp.Create(customVerifier: true);
        app.Hanko.JwksBehavior = FakeJwksBehavior.ServerError;

        var entry = (await app.CheckAsync()).Entries["hanko-webhooks"];

        app.Verifier.Should().BeOfType<RefusingVerifier>("the custom verifier replaced the SDK's");
        entry.Status.Should().Be(HealthStatus.Unhealthy, "the key store is a service of its own, not reached through the verifier");
        entry.Data["lastError"].Should().Be("the JWKS endpoint answered 500");
        app.Hanko.JwksRequestCount.Should().Be(1);
    }

    private sealed class RefusingVerifier : IHankoWebhookVerifier
    {
        private static HankoVerificationResult Refused => HankoVerificationResult.Fail(HankoWebhookFailure.BadSignature, "custom");

        public ValueTask<HankoVerificationResult> VerifyAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) => new(Refused);

        public ValueTask<HankoVerificationResult> VerifyTokenAsync(string token, string? bodyEvent = null, CancellationToken cancellationToken = default) => new(Refused);
    }

    private sealed class HealthApp : IAsyncDisposable
    {
        private readonly ServiceProvider _provider;

        private HealthApp(Action<HankoWebhooksBuilder>? addCheck, bool customVerifier)
        {
            Time = new FakeTimeProvider(VerifierHarness.Start);
            Hanko = new FakeHanko(new FakeHankoOptions { TimeProvider = Time });
            var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(Time);
            if (customVerifier)
            {
                services.AddSingleton<IHankoWebhookVerifier, RefusingVerifier>();
            }

            var builder = services.AddHankoWebhooks(o =>
            {
                o.JwksUrl = "https://hanko.test/.well-known/jwks.json";
                o.Audience = "localhost";
            });
            services.AddHttpClient(HankoWebhookOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(Hanko.CreateJwksHandler);
            (addCheck ?? (b => b.AddHealthCheck()))(builder);
            _provider = services.BuildServiceProvider();
        }

        public FakeTimeProvider Time { get; }

        public FakeHanko Hanko { get; }

        public IHankoWebhookVerifier Verifier => _provider.GetRequiredService<IHankoWebhookVerifier>();

        public static HealthApp Create(Action<HankoWebhooksBuilder>? addCheck = null, bool customVerifier = false) => new(addCheck, customVerifier);

        public Task<HealthReport> CheckAsync() => _provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        public async ValueTask DisposeAsync()
        {
            await _provider.DisposeAsync();
            Hanko.Dispose();
        }
    }
}
