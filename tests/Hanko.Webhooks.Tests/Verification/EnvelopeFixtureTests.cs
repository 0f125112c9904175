using System.Text.Json;
using FluentAssertions;
using Hanko.Webhooks.Tests.TestSupport;
using Hanko.Webhooks.Verification;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Verification;

/// <summary>The three real request bodies from shared/hanko/fixtures verify against the fixture JWKS.</summary>
public sealed class EnvelopeFixtureTests
{
    // The envelopes were signed at 2026-08-14T10:15:30Z + up to 60 s and live 5 minutes.
    private static readonly DateTimeOffset SigningTime = DateTimeOffset.FromUnixTimeSeconds(1786702600);

    private static WebhookVerifier CreateVerifier(StaticJwksHandler jwks, DateTimeOffset now) =>
        new(
            new HankoWebhookOptions { JwksUrl = "https://hanko.test/.well-known/jwks.json", Audience = "example.com" },
            new HttpClient(jwks),
            new FakeTimeProvider(now));

    [TestCase("envelope.user.create.json", "user.create.json", typeof(UserCreateEvent))]
    [TestCase("envelope.email.send.passcode.json", "email.send.passcode.json", typeof(EmailSendEvent))]
    [TestCase("envelope.session.create.flow.json", "session.create.flow.json", typeof(SessionCreateFlowEvent))]
    public async Task VerifyAsync_RealHankoEnvelope_IsVerifiedIntoTheExactType(string envelope, string claimsFixture, Type expectedType)
    {
        var jwks = new StaticJwksHandler(Fixtures.ReadText("jwks.json"));
        var verifier = CreateVerifier(jwks, SigningTime);

        var result = await verifier.VerifyAsync(Fixtures.ReadBytes(envelope));

        result.IsValid.Should().BeTrue(result.FailureMessage);
        result.Event.Should().BeOfType(expectedType);
        using var claims = JsonDocument.Parse(Fixtures.ReadText(claimsFixture));
        var root = claims.RootElement;
        result.Event!.Name.Should().Be(root.GetProperty("evt").GetString());
        result.Event.IssuedAt.Should().Be(DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("iat").GetInt64()));
        result.Event.ExpiresAt.Should().Be(DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("exp").GetInt64()));
        result.Event.Audience.Should().Equal("example.com");
        JsonElement.DeepEquals(result.Event.RawData, root.GetProperty("data")).Should().BeTrue("RawData is the signed data claim");
        jwks.Requests.Should().Be(1);
    }

    [Test]
    public async Task VerifyAsync_RealEnvelopes_AreSignedByTheNewestKeyOfTheFixtureJwks()
    {
        var verifier = CreateVerifier(new StaticJwksHandler(Fixtures.ReadText("jwks.json")), SigningTime);
        using var jwks = JsonDocument.Parse(Fixtures.ReadText("jwks.json"));
        var newestKid = jwks.RootElement.GetProperty("keys")[1].GetProperty("kid").GetString();

        var result = await verifier.VerifyAsync(Fixtures.ReadBytes("envelope.user.create.json"));

        result.IsValid.Should().BeTrue();
        verifier.Keys.Status.KeyCount.Should().Be(2);
        using var envelope = JsonDocument.Parse(Fixtures.ReadText("envelope.user.create.json"));
        var header = envelope.RootElement.GetProperty("token").GetString()!.Split('.')[0];
        System.Text.Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(header)).Should().Contain(newestKid);
    }

    [Test]
    public async Task VerifyAsync_RealEnvelopeAfterItsFiveMinutes_IsExpired()
    {
        var verifier = CreateVerifier(new StaticJwksHandler(Fixtures.ReadText("jwks.json")), SigningTime.AddMinutes(10));

        var result = await verifier.VerifyAsync(Fixtures.ReadBytes("envelope.email.send.passcode.json"));

        result.IsValid.Should().BeFalse();
        result.Failure.Should().Be(HankoWebhookFailure.Expired);
    }

    [Test]
    public async Task VerifyAsync_RealEnvelopeForAnotherAudience_IsWrongAudience()
    {
        var verifier = new WebhookVerifier(
            new HankoWebhookOptions { JwksUrl = "https://hanko.test/.well-known/jwks.json", Audience = "other.example" },
            new HttpClient(new StaticJwksHandler(Fixtures.ReadText("jwks.json"))),
            new FakeTimeProvider(SigningTime));

        var result = await verifier.VerifyAsync(Fixtures.ReadBytes("envelope.session.create.flow.json"));

        result.Failure.Should().Be(HankoWebhookFailure.WrongAudience);
    }
}
