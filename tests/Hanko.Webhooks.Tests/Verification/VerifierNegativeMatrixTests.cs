using System.Text.Json.Nodes;
using FluentAssertions;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.Tests.TestSupport;
using Hanko.Webhooks.Verification;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Verification;

/// <summary>Every way a delivery can be wrong is refused with its own reason and yields no event.</summary>
public sealed class VerifierNegativeMatrixTests
{
    private VerifierHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new VerifierHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private FakeHanko Hanko => _harness.Hanko;

    private async Task<HankoVerificationResult> Refused(HankoDelivery delivery, HankoWebhookFailure expected)
    {
        var result = await _harness.VerifyAsync(delivery);
        result.IsValid.Should().BeFalse();
        result.Event.Should().BeNull();
        result.Failure.Should().Be(expected, result.FailureMessage);
        result.FailureMessage.Should().NotBeNullOrWhiteSpace();
        result.FailureMessage.Should().NotContain(delivery.Token[..Math.Min(40, delivery.Token.Length)], "a refusal never echoes the token");
        return result;
    }

    [Test]
    public async Task VerifyAsync_ValidDelivery_IsAcceptedAsTheControlCase()
    {
        var result = await _harness.VerifyAsync(Hanko.CreateDelivery("user.create"));

        result.IsValid.Should().BeTrue(result.FailureMessage);
        result.Event.Should().BeOfType<UserCreateEvent>();
    }

    [Test]
    public Task Expired_IsRefused() => Refused(Hanko.CreateExpiredDelivery(), HankoWebhookFailure.Expired);

    [Test]
    public async Task ExpiredWithinClockSkew_IsAccepted_AndJustBeyondIsRefused()
    {
        var delivery = Hanko.CreateDelivery("user.create");
        _harness.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(30));
        (await _harness.VerifyAsync(delivery)).IsValid.Should().BeTrue("30 s of skew is allowed by default");

        _harness.Time.Advance(TimeSpan.FromSeconds(1));
        await Refused(delivery, HankoWebhookFailure.Expired);
    }

    [Test]
    public Task IssuedInTheFuture_IsNotYetValid() => Refused(Hanko.CreateNotYetValidDelivery(), HankoWebhookFailure.NotYetValid);

    [Test]
    public Task NotBeforeInTheFuture_IsNotYetValid() =>
        Refused(Hanko.CreateDelivery("user.create", o => o.ExtraClaims["nbf"] = _harness.Time.GetUtcNow().AddMinutes(2).ToUnixTimeSeconds()), HankoWebhookFailure.NotYetValid);

    [Test]
    public Task WrongAudience_IsRefused() => Refused(Hanko.CreateWrongAudienceDelivery(), HankoWebhookFailure.WrongAudience);

    [Test]
    public async Task SessionToken_SignedWithTheSameKeyForTheSameAudience_IsNotAWebhookToken()
    {
        var result = await Refused(Hanko.CreateSessionTokenDelivery(), HankoWebhookFailure.NotWebhookToken);
        result.FailureMessage.Should().Contain("sub");
    }

    [Test]
    public async Task SessionTokenWithTenantCustomClaimsNamedEvtAndData_IsNotAWebhookToken()
    {
        // Hanko's custom claims let a tenant name a session token's claims "evt" and "data"; the token keeps its user's "sub".
        var sessionToken = Hanko.CreateSessionTokenDelivery(HankoEventNames.UserCreate, o =>
        {
            o.Lifetime = TimeSpan.FromMinutes(5);
            o.ExtraClaims["evt"] = HankoEventNames.UserCreate;
            o.ExtraClaims["data"] = FakeHanko.GetDefaultData(HankoEventNames.UserCreate);
        });

        var result = await Refused(sessionToken, HankoWebhookFailure.NotWebhookToken);
        result.FailureMessage.Should().Contain("sub");
        (await _harness.Verifier.VerifyTokenAsync(sessionToken.Token)).Failure.Should().Be(HankoWebhookFailure.NotWebhookToken);
    }

    private static IEnumerable<TestCaseData> SessionIdValues()
    {
        yield return new TestCaseData(JsonValue.Create("6a1c3d3e-3b8f-4f4e-9a53-2f1d0c8b7e55")).SetArgDisplayNames("a session's id");
        yield return new TestCaseData(null).SetArgDisplayNames("null");
        yield return new TestCaseData(new JsonObject()).SetArgDisplayNames("an object");
    }

    [TestCaseSource(nameof(SessionIdValues))]
    public async Task TokenCarryingASessionIdClaim_IsNotAWebhookToken_EvenWithTheWebhookSubject(JsonNode? sessionId)
    {
        var result = await Refused(Hanko.CreateDelivery(HankoEventNames.UserCreate, o => o.ExtraClaims["session_id"] = sessionId), HankoWebhookFailure.NotWebhookToken);
        result.FailureMessage.Should().Contain("session_id");
    }

    [Test]
    public Task WrongSubject_IsNotAWebhookToken() =>
        Refused(Hanko.CreateDelivery("user.create", o => o.Subject = "9a38d246-c5e4-48e6-9714-e7ffbb48e6e1"), HankoWebhookFailure.NotWebhookToken);

    [Test]
    public Task MissingSubject_IsNotAWebhookToken() =>
        Refused(Hanko.CreateDelivery("user.create", o => o.Subject = null), HankoWebhookFailure.NotWebhookToken);

    [Test]
    public async Task MissingEvt_IsNotAWebhookToken()
    {
        var result = await Refused(Hanko.CreateDelivery("user.create", o => { o.OmitEventClaim = true; o.OmitBodyEvent = true; }), HankoWebhookFailure.NotWebhookToken);
        result.FailureMessage.Should().Contain("evt");
    }

    [Test]
    public Task NonStringEvt_IsNotAWebhookToken() =>
        Refused(Hanko.CreateDelivery("user.create", o => { o.OmitEventClaim = true; o.OmitBodyEvent = true; o.ExtraClaims["evt"] = 42; }), HankoWebhookFailure.NotWebhookToken);

    [Test]
    public async Task MissingData_IsNotAWebhookToken()
    {
        var result = await Refused(Hanko.CreateDelivery("user.create", o => o.OmitData = true), HankoWebhookFailure.NotWebhookToken);
        result.FailureMessage.Should().Contain("data");
    }

    [Test]
    public Task DataThatIsNotAnObject_IsNotAWebhookToken() =>
        Refused(Hanko.CreateDelivery("user.create", o => o.Data = JsonValue.Create("user")), HankoWebhookFailure.NotWebhookToken);

    [Test]
    public Task MissingExp_IsMalformed() =>
        Refused(Hanko.CreateDelivery("user.create", o => o.ExtraClaims["exp"] = null), HankoWebhookFailure.MalformedToken);

    [Test]
    public Task AlgNone_IsRefused() => Refused(Hanko.CreateAlgNoneDelivery(), HankoWebhookFailure.UnsupportedAlgorithm);

    [Test]
    public Task Hs256SignedWithThePublicKey_IsRefused() => Refused(Hanko.CreateHs256WithPublicKeyDelivery(), HankoWebhookFailure.UnsupportedAlgorithm);

    [TestCase("RS512")]
    [TestCase("PS256")]
    [TestCase("RS384")]
    public Task OtherRsaAlgorithms_AreRefusedByDefault(string algorithm) =>
        Refused(Hanko.CreateDelivery("user.create", o => o.Algorithm = algorithm), HankoWebhookFailure.UnsupportedAlgorithm);

    [Test]
    public async Task Ps256_AllowListed_IsStillRefusedForAKeyPublishedForRs256()
    {
        using var harness = new VerifierHarness(o => o.AllowedAlgorithms = ["RS256", "PS256"]);

        var result = await harness.VerifyAsync(harness.Hanko.CreateDelivery("user.create", o => o.Algorithm = "PS256"));

        result.Failure.Should().Be(HankoWebhookFailure.UnsupportedAlgorithm);
        result.FailureMessage.Should().Contain("published for RS256");
    }

    [Test]
    public async Task Ps256_AllowListed_IsAcceptedForAKeyThatNamesNoAlgorithm()
    {
        using var hanko = new FakeHanko(new FakeHankoOptions { TimeProvider = _harness.Time });
        var jwk = JsonNode.Parse(hanko.SigningKey.GetPublicJwkJson())!.AsObject();
        jwk.Remove("alg");
        var jwks = new StaticJwksHandler(new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString());
        var options = new HankoWebhookOptions { JwksUrl = "https://hanko.test/jwks", Audience = "localhost", AllowedAlgorithms = ["RS256", "PS256"] };
        var verifier = new WebhookVerifier(options, new HttpClient(jwks), _harness.Time);

        var ps256 = await verifier.VerifyAsync(hanko.CreateDelivery("user.create", o => o.Algorithm = "PS256").BodyBytes);
        var rs512 = await verifier.VerifyAsync(hanko.CreateDelivery("user.create", o => o.Algorithm = "RS512").BodyBytes);

        ps256.IsValid.Should().BeTrue(ps256.FailureMessage);
        rs512.Failure.Should().Be(HankoWebhookFailure.UnsupportedAlgorithm, "RS512 is not in the allow-list");
    }

    [Test]
    public async Task UnknownKid_IsRefusedAfterExactlyOneRefetch()
    {
        (await _harness.VerifyAsync(Hanko.CreateDelivery("user.create"))).IsValid.Should().BeTrue();
        Hanko.JwksRequestCount.Should().Be(1);
        _harness.Time.Advance(TimeSpan.FromSeconds(11));

        await Refused(Hanko.CreateUnknownKeyDelivery(), HankoWebhookFailure.UnknownKey);

        Hanko.JwksRequestCount.Should().Be(2, "an unknown kid is looked up once more, then refused");
    }

    [Test]
    public async Task UnknownKidWithControlCharacters_IsNotEchoed()
    {
        var result = await Refused(Hanko.CreateDelivery("user.create", o => o.KeyIdOverride = "kid\r\nFAKE LOG LINE"), HankoWebhookFailure.UnknownKey);

        result.FailureMessage.Should().Be("The key an unexpected value is not in the Hanko JWKS.");
    }

    [Test]
    public async Task UnknownKmsStyleKid_IsNamed()
    {
        var result = await Refused(Hanko.CreateDelivery("user.create", o => o.KeyIdOverride = "arn:aws:kms:eu-central-1:111122223333:alias/hanko"), HankoWebhookFailure.UnknownKey);

        result.FailureMessage.Should().Contain("\"arn:aws:kms:eu-central-1:111122223333:alias/hanko\"");
    }

    [Test]
    public Task MissingKid_IsMalformed() =>
        Refused(Hanko.CreateDelivery("user.create", o => o.OmitKeyId = true), HankoWebhookFailure.MalformedToken);

    [Test]
    public Task CritHeader_IsMalformed() =>
        Refused(Hanko.CreateDelivery("user.create", o => o.ExtraHeader["crit"] = new JsonArray("exp")), HankoWebhookFailure.MalformedToken);

    [Test]
    public Task TamperedPayload_HasABadSignature() => Refused(Hanko.CreateTamperedPayloadDelivery(), HankoWebhookFailure.BadSignature);

    [Test]
    public Task TamperedSignature_HasABadSignature() => Refused(Hanko.CreateTamperedSignatureDelivery(), HankoWebhookFailure.BadSignature);

    [Test]
    public Task SignatureOfAnotherToken_IsABadSignature()
    {
        var a = Hanko.CreateDelivery("user.create");
        var b = Hanko.CreateDelivery("user.delete");
        var spliced = a.Token[..a.Token.LastIndexOf('.')] + b.Token[b.Token.LastIndexOf('.')..];
        return Refused(a.WithBody($$"""{"token":"{{spliced}}","event":"user.create"}"""), HankoWebhookFailure.BadSignature);
    }

    [TestCase("\\n")]
    [TestCase(" ")]
    [TestCase("=")]
    [TestCase("+")]
    public Task TokenWithACharacterBase64UrlDoesNotUse_IsMalformed(string inserted)
    {
        var delivery = Hanko.CreateDelivery("user.create");
        var at = delivery.Token.LastIndexOf('.') + 20;
        var token = delivery.Token[..at] + inserted + delivery.Token[at..];
        return Refused(delivery.WithBody($$"""{"token":"{{token}}","event":"user.create"}"""), HankoWebhookFailure.MalformedToken);
    }

    [Test]
    public Task TruncatedToken_IsMalformed() => Refused(Hanko.CreateTruncatedDelivery(), HankoWebhookFailure.MalformedToken);

    [TestCase("not json at all")]
    [TestCase("")]
    [TestCase("[]")]
    [TestCase("\"token\"")]
    [TestCase("{\"event\":\"user.create\"}")]
    [TestCase("{\"token\":42,\"event\":\"user.create\"}")]
    [TestCase("{\"token\":\"a.b.c\",\"token\":\"a.b.c\"}")]
    [TestCase("{\"token\":\"a.b.c\"} trailing")]
    [TestCase("{\"token\":\"a.b.c\"")]
    public Task NonJsonOrWrongShapeBody_IsMalformedBody(string body) =>
        Refused(Hanko.CreateDelivery("user.create").WithBody(body), HankoWebhookFailure.MalformedBody);

    [Test]
    public async Task BodyEventDifferentFromEvt_IsAMismatch()
    {
        var result = await Refused(Hanko.CreateEventMismatchDelivery("user.create"), HankoWebhookFailure.EventMismatch);
        result.FailureMessage.Should().Contain("user.delete").And.Contain("user.create");
    }

    [Test]
    public async Task BodyWithoutEvent_IsVerifiedFromEvtAlone()
    {
        var result = await _harness.VerifyAsync(Hanko.CreateDelivery("user.delete", o => o.OmitBodyEvent = true));

        result.Event.Should().BeOfType<UserDeleteEvent>();
    }

    [Test]
    public async Task Token300KB_IsRefusedAsMalformed()
    {
        var delivery = Hanko.CreateDelivery("user.create", o => o.ExtraClaims["padding"] = new string('x', 300 * 1024));
        delivery.Token.Length.Should().BeGreaterThan(300 * 1024);

        var result = await Refused(delivery, HankoWebhookFailure.MalformedToken);

        result.FailureMessage.Should().Contain("at most");
    }

    [Test]
    public Task Body10000DeepNesting_IsMalformedBody()
    {
        var body = "{\"token\":\"a.b.c\",\"x\":" + new string('[', 10_000) + new string(']', 10_000) + "}";
        return Refused(Hanko.CreateDelivery("user.create").WithBody(body), HankoWebhookFailure.MalformedBody);
    }

    [Test]
    public async Task DataNested900Levels_IsAccepted_DepthLimitsOnlyGuardAgainstWhatHankoCannotSend()
    {
        // Before issue 9 the claims reader stopped at depth 64, so this (end-user-controlled metadata can do it) was refused.
        var deep = JsonNode.Parse(new string('[', 900) + new string(']', 900), documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 2_000 });

        var result = await _harness.VerifyAsync(Hanko.CreateDelivery("user.create", o => o.EditData = data => data["deep"] = deep));

        result.IsValid.Should().BeTrue(result.FailureMessage);
    }

    [Test]
    public Task BodyOverTheLimit_IsTooLarge()
    {
        var body = "{\"token\":\"" + new string('a', 1024 * 1024) + "\"}";
        return Refused(Hanko.CreateDelivery("user.create").WithBody(body), HankoWebhookFailure.BodyTooLarge);
    }

    [Test]
    public Task UserDataWithAnInvalidId_IsAnInvalidPayload() =>
        Refused(Hanko.CreateDelivery("user.create", o => o.EditData = data => data["id"] = "not-a-uuid"), HankoWebhookFailure.InvalidPayload);

    [Test]
    public async Task BodyAndTokenEntryPoints_GiveTheSameOutcomes()
    {
        var good = Hanko.CreateDelivery("session.create.flow");
        var bad = Hanko.CreateSessionTokenDelivery();

        (await _harness.Verifier.VerifyAsync(good.BodyBytes)).Event.Should().BeOfType<SessionCreateFlowEvent>();
        (await _harness.Verifier.VerifyAsync(bad.BodyBytes)).Failure.Should().Be(HankoWebhookFailure.NotWebhookToken);
        (await _harness.Verifier.VerifyTokenAsync(good.Token, "session.create.flow")).Event.Should().BeOfType<SessionCreateFlowEvent>();
        (await _harness.Verifier.VerifyTokenAsync(good.Token, "user.create")).Failure.Should().Be(HankoWebhookFailure.EventMismatch);
        (await _harness.Verifier.VerifyTokenAsync(bad.Token)).Failure.Should().Be(HankoWebhookFailure.NotWebhookToken);
    }

    [Test]
    public async Task AudienceAsAPlainString_IsAccepted()
    {
        var result = await _harness.VerifyAsync(Hanko.CreateDelivery("user.create", o => o.ExtraClaims["aud"] = "localhost"));

        result.IsValid.Should().BeTrue(result.FailureMessage);
        result.Event!.Audience.Should().Equal("localhost");
    }

    [Test]
    public async Task NoAudienceConfigured_AcceptsAnyAudience()
    {
        using var harness = new VerifierHarness(o => o.Audience = null);

        var result = await harness.VerifyAsync(harness.Hanko.CreateWrongAudienceDelivery());

        result.IsValid.Should().BeTrue(result.FailureMessage);
    }
}
