using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Receiving;

/// <summary>
/// The stored form of a handed-off delivery's parts (what a durable store protects): it round-trips every part, reads back
/// whatever the verifier accepted (deep metadata too), and refuses anything else without throwing.
/// </summary>
public sealed class HankoEventPartsSerializerTests
{
    [Test]
    public async Task RoundTrip_KeepsEveryPart_ButNotTheProject_AndTheEventRebuildsTheSame()
    {
        await using var h = ReceiverHarness.Create();
        var original = (await h.Receiver.ReceiveAsync(h.Hanko.CreateDelivery(HankoEventNames.UserLogin).BodyBytes)).Event!;
        var parts = original.ToParts() with { Project = "eu" };

        HankoEventPartsSerializer.TryDeserialize(HankoEventPartsSerializer.Serialize(parts), out var read).Should().BeTrue();

        (read.Name, read.DeliveryId, read.IssuedAt, read.ExpiresAt, read.Project).Should().Be((parts.Name, parts.DeliveryId, parts.IssuedAt, parts.ExpiresAt, (string?)null));
        read.Audience.Should().Equal(parts.Audience);
        read.Data.ToArray().Should().Equal(parts.Data.ToArray(), "the data is kept as it was signed");
        HankoEventFactory.TryCreate(read, out var rebuilt, out var error).Should().BeTrue(error);
        rebuilt!.RawData.GetRawText().Should().Be(original.RawData.GetRawText());
    }

    [Test]
    public void DataNested1400LevelsDeep_AsTheVerifierAccepts_ReadsBack()
    {
        var metadata = new string('[', 1400) + new string(']', 1400);
        var parts = new HankoEventParts("user.update", Encoding.UTF8.GetBytes("{\"unsafe\":" + metadata + "}")) { DeliveryId = "d", Audience = ["a"] };

        HankoEventPartsSerializer.TryDeserialize(HankoEventPartsSerializer.Serialize(parts), out var read).Should().BeTrue("the default reader depth of 64 would refuse it");

        Encoding.UTF8.GetString(read.Data.Span).Should().Be("{\"unsafe\":" + metadata + "}");
    }

    [TestCase("")]
    [TestCase("not json")]
    [TestCase("[]")]
    [TestCase("""{"v":1,"n":"user.create","id":"d","iat":1,"exp":2,"aud":[]}""")]
    [TestCase("""{"v":2,"n":"user.create","id":"d","iat":1,"exp":2,"aud":[],"data":{}}""")]
    [TestCase("""{"v":1,"n":"user.create","id":"d","iat":"x","exp":2,"aud":[],"data":{}}""")]
    [TestCase("""{"v":1,"n":"user.create","id":"d","iat":1,"exp":2,"aud":[],"data":{}} trailing""")]
    [TestCase("""{"v":1,"n":"user.create","id":"d","iat":1,"exp":2,"aud":[],"data":{""")]
    public void AnythingElse_IsRefused_WithoutThrowing(string stored)
    {
        HankoEventPartsSerializer.TryDeserialize(Encoding.UTF8.GetBytes(stored), out var parts).Should().BeFalse();
        parts.Name.Should().BeNull();
    }

    [Test]
    public void DataDeeperThanTheVerifierAccepts_IsRefused()
    {
        var tooDeep = Encoding.UTF8.GetBytes("""{"v":1,"n":"user.create","id":"d","iat":1,"exp":2,"aud":[],"data":""" + new string('[', 20_000) + new string(']', 20_000) + "}");

        HankoEventPartsSerializer.TryDeserialize(tooDeep, out _).Should().BeFalse();
    }

    [Test]
    public void Serialize_PartsWithoutNameOrData_Throws()
    {
        FluentActions.Invoking(() => default(HankoEventParts).ToBytes()).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => new HankoEventParts("user.create", ReadOnlyMemory<byte>.Empty).ToBytes()).Should().Throw<InvalidOperationException>();
    }

    [Test]
    public void Serialize_WritesTheDocumentedFields()
    {
        var parts = new HankoEventParts("email.send", "{\"x\":1}"u8.ToArray()) { DeliveryId = "abc", IssuedAt = DateTimeOffset.FromUnixTimeSeconds(10), ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(20), Audience = ["a", "b"] };

        using var json = JsonDocument.Parse(HankoEventPartsSerializer.Serialize(parts));

        json.RootElement.GetRawText().Should().Be("""{"v":1,"n":"email.send","id":"abc","iat":10,"exp":20,"aud":["a","b"],"data":{"x":1}}""");
    }
}
