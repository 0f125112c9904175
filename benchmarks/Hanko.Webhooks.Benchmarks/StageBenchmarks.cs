using System.Text;
using BenchmarkDotNet.Attributes;
using Hanko.Webhooks.Verification;
using Microsoft.IdentityModel.Tokens;

namespace Hanko.Webhooks.Benchmarks;

/// <summary>
/// One benchmark per step of the pipeline, to see where the microseconds beside RSA go. Each step runs on the
/// output of the previous ones, prepared in setup.
/// </summary>
[MemoryDiagnoser]
public class StageBenchmarks
{
    private DeliveryFixture _fixture = null!;
    private ReadOnlyMemory<byte> _token;
    private CompactJws _jws;
    private WebhookVerifier _verifier = null!;
    private VerificationKey _key = null!;
    private byte[] _tokenArray = null!;
    private byte[] _payload = null!;
    private WebhookClaims _claims = null!;
    private byte[] _data = null!;
    private HankoEvent _event = null!;

    [Params("email.send", "user.login")]
    public string Payload { get; set; } = "email.send";

    [GlobalSetup]
    public void Setup()
    {
        _fixture = DeliveryFixture.Create(Payload);
        _verifier = (WebhookVerifier)_fixture.Verifier;
        if (!WebhookEnvelope.TryParse(_fixture.Body, out var envelope, out _))
        {
            throw new InvalidOperationException("envelope");
        }

        _token = envelope.Token;
        _tokenArray = _token.ToArray();
        if (!CompactJws.TryParse(_token.Span, int.MaxValue, out _jws, out _, out _))
        {
            throw new InvalidOperationException("jws");
        }

        _key = _verifier.Keys.FindAsync(_jws.KeyId, default).Result.Key!;
        _payload = Base64UrlEncoder.DecodeBytes(_fixture.PayloadSegment);
        if (!WebhookClaims.TryRead(_payload, out _claims, out _))
        {
            throw new InvalidOperationException("claims");
        }

        _data = _payload.AsSpan()[_claims.Data].ToArray();
        _event = _verifier.VerifyAsync(_fixture.Body).AsTask().GetAwaiter().GetResult().Event!;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fixture.ReportSteadyState($"{nameof(StageBenchmarks)}/{Payload}");
        _fixture.Dispose();
    }

    [Benchmark(Description = "1 envelope (body JSON → token slice)")]
    public bool Envelope() => WebhookEnvelope.TryParse(_fixture.Body, out _, out _);

    [Benchmark(Description = "2 JWS split + header")]
    public bool Header() => CompactJws.TryParse(_token.Span, int.MaxValue, out _, out _, out _);

    [Benchmark(Description = "3 key lookup (cached)")]
    public object? KeyLookup() => _verifier.Keys.FindAsync(_jws.KeyId, default).Result.Key;

    [Benchmark(Description = "4 signature (IdentityModel provider)")]
    public bool Signature()
    {
        var signature = Base64UrlEncoder.DecodeBytes(Encoding.ASCII.GetString(_tokenArray, _jws.SecondDot + 1, _tokenArray.Length - _jws.SecondDot - 1));
        return _key.GetProvider("RS256").Verify(_tokenArray, 0, _jws.SigningInputLength, signature, 0, signature.Length);
    }

    [Benchmark(Description = "4b RSA.VerifyData (floor)")]
    public bool RawRsa() => _fixture.RawRsa();

    [Benchmark(Description = "5 payload base64url + claims")]
    public bool Claims() => _jws.TryDecodePayload(_token.Span, out var payload) && WebhookClaims.TryRead(payload, out _, out _);

    [Benchmark(Description = "6 typed event (source-gen JSON)")]
    public HankoEvent TypedEvent() => HankoEventFactory.Create(_claims.EventName!, _data);

    [Benchmark(Description = "7 dispatch (scope + handler chain)")]
    public Task<HankoDispatchResult> Dispatch() => _fixture.Dispatcher.DispatchAsync(_event);

    [Benchmark(Description = "8 VerifyAsync (1-6)")]
    public ValueTask<HankoVerificationResult> Verify() => _fixture.Verifier.VerifyAsync(_fixture.Body);

    [Benchmark(Description = "9 whole pipeline")]
    public Task<HankoDispatchResult> Pipeline() => _fixture.PipelineAsync();
}
