using System.Net;
using System.Net.Sockets;
using FluentAssertions;
using Hanko.Webhooks.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.DependencyInjection;

/// <summary>
/// The named JWKS client logs nothing of its own (IHttpClientFactory's default loggers would write four Information lines
/// per fetch and two stack traces per failed one); the SDK's own messages (ids 1–3) say what happened.
/// </summary>
public sealed class JwksHttpClientLoggingTests
{
    [Test]
    public async Task JwksFetch_Succeeds_OnlyTheSdksLineIsLogged_NoHttpClientLines()
    {
        using var hanko = new FakeHanko();
        var (provider, logs) = Build(o => o.JwksUrl = "https://hanko.test/.well-known/jwks.json", hanko.CreateJwksHandler);
        await using var _ = provider;

        var result = await provider.GetRequiredService<IHankoWebhookVerifier>().VerifyAsync(hanko.CreateDelivery("user.create").BodyBytes);

        result.IsValid.Should().BeTrue();
        hanko.JwksRequestCount.Should().Be(1);
        var records = logs.GetSnapshot();
        records.Should().ContainSingle(r => r.Id.Id == 1 && r.Category == "Hanko.Webhooks");
        records.Where(r => r.Category?.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal) == true)
            .Select(r => $"{r.Category}: {r.Message}").Should().BeEmpty();
    }

    [Test]
    public async Task JwksFetch_ConnectionRefused_NoStackTraceIsLogged_TheSdksErrorIsTheFirstLine()
    {
        var port = ClosedLoopbackPort();
        var (provider, logs) = Build(o => o.JwksUrl = $"http://127.0.0.1:{port}/.well-known/jwks.json", primaryHandler: null);
        await using var _ = provider;
        using var hanko = new FakeHanko();

        var result = await provider.GetRequiredService<IHankoWebhookVerifier>().VerifyAsync(hanko.CreateDelivery("user.create").BodyBytes);

        result.Failure.Should().Be(HankoWebhookFailure.KeysUnavailable);
        var records = logs.GetSnapshot();
        records.Should().NotContain(r => r.Category != null && r.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal));
        records.Should().NotContain(r => r.Exception != null, "a refused connection is reported by the SDK's one line, without a stack trace");
        records.Where(r => r.Level >= LogLevel.Warning && r.Id.Id != 11).Select(r => r.Id.Id).Should().Equal([2], "the SDK's 'Could not fetch the Hanko JWKS' is the line that tells what happened");
        records.Single(r => r.Id.Id == 2).Message.Should().Contain($"http://127.0.0.1:{port}/.well-known/jwks.json");
    }

    [Test]
    public async Task AddDefaultLogger_OnTheNamedClient_TurnsItsRequestLoggingBackOn()
    {
        using var hanko = new FakeHanko();
        var (provider, logs) = Build(o => o.JwksUrl = "https://hanko.test/.well-known/jwks.json", hanko.CreateJwksHandler,
            services => services.AddHttpClient(HankoWebhookOptions.HttpClientName).AddDefaultLogger());
        await using var _ = provider;

        await provider.GetRequiredService<IHankoWebhookVerifier>().VerifyAsync(hanko.CreateDelivery("user.create").BodyBytes);

        logs.GetSnapshot().Where(r => r.Category == $"System.Net.Http.HttpClient.{HankoWebhookOptions.HttpClientName}.ClientHandler" && r.Level == LogLevel.Information)
            .Select(r => r.Message).Should().Equal(
                ["Sending HTTP request GET https://hanko.test/.well-known/jwks.json", "Received HTTP response headers after * - 200"],
                (actual, pattern) => actual.StartsWith(pattern.Split('*')[0], StringComparison.Ordinal) && actual.EndsWith(pattern.Split('*')[^1], StringComparison.Ordinal),
                "the README's one line brings back the factory's request lines");
    }

    private static (ServiceProvider Provider, FakeLogCollector Logs) Build(
        Action<HankoWebhookOptions> options,
        Func<HttpMessageHandler>? primaryHandler,
        Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddHankoWebhooks(o =>
        {
            options(o);
            o.Audience = "localhost";
            o.FetchKeysOnStart = false;
        });
        if (primaryHandler is not null)
        {
            services.AddHttpClient(HankoWebhookOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(primaryHandler);
        }

        more?.Invoke(services);
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetFakeLogCollector());
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
