using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Hanko.Webhooks.Serialization;
using Hanko.Webhooks.Testing;
using Microsoft.IdentityModel.Tokens;

namespace Hanko.Webhooks.Benchmarks;

/// <summary>
/// Step 6 alone: the <c>data</c> claim of a FakeHanko delivery (the same fixtures as <see cref="DeliveryBenchmarks"/>)
/// read into the payload model by the source-generated context, with no event, claims or signature around it.
/// This is what the shape of the models (setters, init, fields, collections) costs.
/// </summary>
[MemoryDiagnoser]
public class PayloadBenchmarks
{
    private byte[] _data = null!;

    /// <summary>email.send (the passcode fixture: the message converter plus the passcode data) and user.login (a full user).</summary>
    [Params("email.send", "user.login")]
    public string Payload { get; set; } = "email.send";

    [GlobalSetup]
    public void Setup()
    {
        using var hanko = new FakeHanko();
        var token = hanko.CreateDelivery(Payload).Token;
        var payload = token.Split('.')[1];
        using var claims = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(payload));
        _data = JsonSerializer.SerializeToUtf8Bytes(claims.RootElement.GetProperty("data"));
        _ = Deserialize();
    }

    /// <summary>The <c>data</c> bytes → <see cref="HankoEmailMessage"/> or <see cref="HankoUser"/>.</summary>
    [Benchmark]
    public object Deserialize() => Payload == "user.login"
        ? HankoPayloadSerializer.DeserializeUser(_data)
        : HankoPayloadSerializer.DeserializeEmailMessage(_data);
}
