using System.Security.Cryptography;
using System.Text;
using Hanko.Webhooks.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Hanko.Webhooks.Benchmarks;

/// <summary>
/// One signed delivery and a receiver built the way a user builds it: <c>AddHankoWebhooks(...).AddHandler&lt;NoOp&gt;()</c> in a
/// real DI container, JWKS served by FakeHanko's handler, hosted services started (so the keys are fetched at start).
/// </summary>
public sealed class DeliveryFixture : IDisposable
{
    public const string Audience = "localhost";

    private DeliveryFixture(string payload)
    {
        Hanko = new FakeHanko(new FakeHankoOptions { KeySize = 4096, Audience = Audience });

        // Long-lived token: a BenchmarkDotNet process may run longer than Hanko's five minutes.
        Delivery = Hanko.CreateDelivery(payload, o => o.Lifetime = TimeSpan.FromHours(2));
        Body = Delivery.BodyBytes.ToArray();

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHankoWebhooks(o =>
        {
            o.JwksUrl = "https://hanko.bench.invalid/.well-known/jwks.json";
            o.Audience = Audience;
            o.MaxTokenLifetime = TimeSpan.FromHours(3); // the two-hour token above
        }).AddHandler<NoOpHandler>();
        services.AddHttpClient(HankoWebhookOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(Hanko.CreateJwksHandler);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        foreach (var hosted in Services.GetServices<IHostedService>())
        {
            hosted.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        Verifier = Services.GetRequiredService<IHankoWebhookVerifier>();
        Dispatcher = Services.GetRequiredService<IHankoEventDispatcher>();

        // Bare RSA: the same token's signing input and signature, checked with RSA.VerifyData and the published key.
        var token = Delivery.Token;
        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var lastDot = token.LastIndexOf('.');
        SigningInput = Encoding.ASCII.GetBytes(token[..lastDot]);
        Signature = Base64UrlEncoder.DecodeBytes(token[(lastDot + 1)..]);
        PayloadSegment = token[(firstDot + 1)..lastDot];
        var jwk = new JsonWebKeySet(Hanko.GetJwksJson()).Keys.Single(k => k.Kid == Hanko.SigningKey.KeyId);
        Rsa = RSA.Create(new RSAParameters { Modulus = Base64UrlEncoder.DecodeBytes(jwk.N), Exponent = Base64UrlEncoder.DecodeBytes(jwk.E) });

        // Warm: one full delivery, which must verify and reach the handler.
        var result = PipelineAsync().GetAwaiter().GetResult();
        if (result.HandlerCount != 1 || !result.Succeeded)
        {
            throw new InvalidOperationException($"The warm-up delivery did not reach the handler ({result.HandlerCount} handlers).");
        }

        if (!RawRsa())
        {
            throw new InvalidOperationException("RSA.VerifyData refused the token.");
        }

        JwksRequestsAfterWarmUp = Hanko.JwksRequestCount;
    }

    public FakeHanko Hanko { get; }

    public HankoDelivery Delivery { get; }

    public byte[] Body { get; }

    public byte[] SigningInput { get; }

    public byte[] Signature { get; }

    public string PayloadSegment { get; }

    public RSA Rsa { get; }

    public ServiceProvider Services { get; }

    public IHankoWebhookVerifier Verifier { get; }

    public IHankoEventDispatcher Dispatcher { get; }

    public int JwksRequestsAfterWarmUp { get; }

    public static DeliveryFixture Create(string payload) => new(payload);

    public bool RawRsa() => Rsa.VerifyData(SigningInput, Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>Body bytes → envelope → verified token → typed event → dispatched to the no-op handler.</summary>
    public async Task<HankoDispatchResult> PipelineAsync()
    {
        var result = await Verifier.VerifyAsync(Body);
        if (!result.IsValid)
        {
            throw new InvalidOperationException($"The delivery was refused: {result.Failure} {result.FailureMessage}");
        }

        return await Dispatcher.DispatchAsync(result.Event);
    }

    /// <summary>Reports the JWKS requests made since warm-up to the host process, and fails the run if there were any.</summary>
    public void ReportSteadyState(string benchmark)
    {
        var extra = Hanko.JwksRequestCount - JwksRequestsAfterWarmUp;
        var line = $"{benchmark}\tjwks-requests-after-warm-up={extra}\tjwks-requests-total={Hanko.JwksRequestCount}";
        Console.WriteLine("// " + line);
        if (Environment.GetEnvironmentVariable(Program.ReportEnvironmentVariable) is { Length: > 0 } path)
        {
            File.AppendAllText(path, line + Environment.NewLine);
        }

        if (extra != 0)
        {
            throw new InvalidOperationException($"{benchmark}: {extra} JWKS request(s) in steady state; expected none.");
        }
    }

    public void Dispose()
    {
        Services.Dispose();
        Rsa.Dispose();
        Hanko.Dispose();
    }
}

/// <summary>The handler a user would write to acknowledge and do nothing.</summary>
public sealed class NoOpHandler : IHankoEventHandler<HankoEvent>
{
    public Task HandleAsync(HankoEvent hankoEvent, CancellationToken cancellationToken) => Task.CompletedTask;
}
