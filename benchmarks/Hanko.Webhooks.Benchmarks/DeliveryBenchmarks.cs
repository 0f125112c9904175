using BenchmarkDotNet.Attributes;

namespace Hanko.Webhooks.Benchmarks;

/// <summary>
/// The headline comparison: the SDK's whole in-process path for one delivery against the one cost it cannot avoid,
/// RSA-4096 verification of the same token's signature.
/// </summary>
[MemoryDiagnoser]
public class DeliveryBenchmarks
{
    private DeliveryFixture _fixture = null!;

    /// <summary>email.send (the passcode fixture, ~3.8 KB body) and user.login (a full user payload).</summary>
    [Params("email.send", "user.login")]
    public string Payload { get; set; } = "email.send";

    [GlobalSetup]
    public void Setup() => _fixture = DeliveryFixture.Create(Payload);

    [GlobalCleanup]
    public void Cleanup()
    {
        _fixture.ReportSteadyState($"{nameof(DeliveryBenchmarks)}/{Payload}");
        _fixture.Dispose();
    }

    /// <summary><c>RSA.VerifyData</c> over the signing input, signature already decoded: the floor.</summary>
    [Benchmark(Baseline = true)]
    public bool RawRsa() => _fixture.RawRsa();

    /// <summary>Body bytes → envelope → verified token → typed event → no-op handler, through DI.</summary>
    [Benchmark]
    public Task<HankoDispatchResult> Pipeline() => _fixture.PipelineAsync();
}
