using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Hanko.Webhooks.Diagnostics;
using Hanko.Webhooks.Serialization;
using Hanko.Webhooks.TestSupport;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.Tests.TestSupport;
using Hanko.Webhooks.Verification;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Verification;

/// <summary>
/// Regression tests from the independent review of the verifier (issue 9): hostile or unusual tokens, claims and keys;
/// each test names the behaviour it proves, and each failed on the code before its fix.
/// </summary>
public sealed class VerifierEdgeCaseTests
{
    private const string JwksUrl = "https://hanko.test/.well-known/jwks.json";

    /// <summary>Metadata <c>{"a":[[…]]}</c> with <paramref name="depth"/> nested arrays (the shape: 61 levels in 128 characters).</summary>
    private static string DeepMetadata(int depth) => "{\"a\":" + new string('[', depth) + new string(']', depth) + "}";

    private static JsonNode ParseDeep(string json) =>
        JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 100_000 })!;

    // ---- Deep user metadata --------------------------------------------------------------------------------------

    [Test]
    public async Task UnsafeMetadata1400LevelsDeepIn3000Characters_IsVerifiedTypedAndIntact()
    {
        using var h = new VerifierHarness();
        var metadata = DeepMetadata(1400);
        metadata.Length.Should().BeLessThanOrEqualTo(3000, "Hanko allows 3,000 characters of metadata");
        var delivery = h.Hanko.CreateDelivery("user.login", o => o.EditData = d => d["metadata"]!["unsafe_metadata"] = ParseDeep(metadata));

        var result = await h.VerifyAsync(delivery);

        result.IsValid.Should().BeTrue(result.FailureMessage);
        var login = result.Event.Should().BeOfType<UserLoginEvent>().Subject;
        login.User.Metadata!.Unsafe!.Value.GetRawText().Should().Be(metadata);
        login.User.Metadata.Public!.Value.GetProperty("role").GetString().Should().Be("admin", "the rest of the payload is read as usual");
        login.RawData.GetProperty("metadata").GetProperty("unsafe_metadata").GetRawText().Should().Be(metadata, "RawData parses as deep");
    }

    [Test]
    public void TypedModel_AcceptsMetadataAsDeepAsGoCanEncode()
    {
        var data = FakeHanko.GetDefaultData("user.login");
        var metadata = DeepMetadata(9_990);
        data["metadata"]!["unsafe_metadata"] = ParseDeep(metadata);
        var json = data.ToJsonString(new JsonSerializerOptions { MaxDepth = 20_000 });

        var user = HankoPayloadSerializer.DeserializeUser(Encoding.UTF8.GetBytes(json));

        user.Metadata!.Unsafe!.Value.GetRawText().Should().Be(metadata);
        var claims = $$"""{"data":{{json}}}""";
        WebhookClaims.TryRead(Encoding.UTF8.GetBytes(claims), out _, out var error).Should().BeTrue(error);
    }

    [Test]
    public async Task PayloadDeeperThanTheLimit_IsMalformed_NotAStackOverflow()
    {
        using var h = new VerifierHarness();
        var tooDeep = DeepMetadata(WebhookClaims.MaxDepth + 10);
        var delivery = h.Hanko.CreateDelivery("user.login", o => o.EditData = d => d["metadata"]!["unsafe_metadata"] = ParseDeep(tooDeep));

        var result = await h.VerifyAsync(delivery);

        result.Failure.Should().Be(HankoWebhookFailure.MalformedToken);
        result.FailureMessage.Should().Contain($"deeper than {WebhookClaims.MaxDepth} levels");
    }

    [Test]
    public void Pathological100000Levels_IsRefusedByTheClaimsReaderCleanly()
    {
        var payload = "{\"data\":{\"a\":" + new string('[', 100_000) + new string(']', 100_000) + "},\"evt\":\"user.login\"}";

        WebhookClaims.TryRead(Encoding.UTF8.GetBytes(payload), out _, out var error).Should().BeFalse();

        error.Should().Contain("deeper than");
    }

    // ---- One second of replay ------------------------------------------------------------------------------------

    [Test]
    public async Task HalfASecondPastExpPlusSkew_IsExpired()
    {
        using var h = new VerifierHarness();
        var delivery = h.Hanko.CreateDelivery("user.create"); // exp = Start + 5 min
        h.Time.Advance(TimeSpan.FromMinutes(5) + h.Options.ClockSkew);
        (await h.VerifyAsync(delivery)).IsValid.Should().BeTrue("exp + skew is the last instant accepted");

        h.Time.Advance(TimeSpan.FromMilliseconds(500));

        var late = await h.VerifyAsync(delivery);
        late.Failure.Should().Be(HankoWebhookFailure.Expired, "the instant the replay guard forgets the delivery is the instant the verifier stops accepting it");
    }

    // ---- A JWK OpenSSL refuses -------------------------------------------------------------------------------------

    [TestCase(new byte[] { 0 })]
    [TestCase(new byte[] { 1 })]
    [TestCase(new byte[] { 2 })]
    public async Task JwkWithAnExponentCryptoRefuses_IsSkippedAtLoad_AndItsKidNeverThrows(byte[] exponent)
    {
        using var hanko = new FakeHanko(new FakeHankoOptions { TimeProvider = new FakeTimeProvider(VerifierHarness.Start) });
        using var bad = new RawSigner(2048, "bad-key");
        var logs = new FakeLogCollector();
        var verifier = new WebhookVerifier(
            new HankoWebhookOptions { JwksUrl = JwksUrl, Audience = "localhost" },
            new HttpClient(new StaticJwksHandler(RawSigner.Jwks(bad.Jwk(exponent: exponent), hanko.SigningKey.GetPublicJwkJson()))),
            hanko.TimeProvider,
            new FakeLogger(logs));
        var forged = hanko.CreateDelivery("user.create", o => o.KeyIdOverride = "bad-key");

        var result = await verifier.VerifyAsync(forged.BodyBytes);

        result.Failure.Should().Be(HankoWebhookFailure.UnknownKey, "the key was never loaded; a random signature naming it is not a 500");
        (await verifier.VerifyAsync(hanko.CreateDelivery("user.create").BodyBytes)).IsValid.Should().BeTrue("the good key in the same set still verifies");
        logs.GetSnapshot().Should().Contain(r => r.Id.Id == 4 && r.Message.Contains("bad-key") && r.Message.Contains("exponent"));
    }

    [Test]
    public void CryptographicExceptionWhileVerifying_IsABadSignatureNotAThrow()
    {
        // A key that reached the store without the load-time check (e = 1): OpenSSL throws when it is used.
        using var signer = new RawSigner();
        var parameters = signer.Rsa.ExportParameters(false);
        var key = new VerificationKey("k", "RS256", new RSAParameters { Modulus = parameters.Modulus, Exponent = [1] }, 2048);
        var token = Encoding.ASCII.GetBytes(signer.Sign("{}"));
        CompactJws.TryParse(token, token.Length, out var jws, out _, out _).Should().BeTrue();

        var verified = WebhookVerifier.VerifySignature(token, jws, key, out var deliveryId);

        verified.Should().BeFalse();
        deliveryId.Should().BeEmpty();
        key.CanVerify(out var reason).Should().BeFalse("the load-time check finds it");
        reason.Should().Contain("cannot be used to check a signature");
    }

    // ---- One bad JWK -----------------------------------------------------------------------------------------------

    [TestCase("{\"kid\":42,\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}", "(not a string)", "\"kid\" is not a string")]
    [TestCase("\"not a key\"", "(none)", "not a JSON object")]
    [TestCase("{\"kid\":\"twice\",\"kid\":\"twice\",\"kty\":\"RSA\"}", "twice", "\"kid\" twice")]
    [TestCase("{\"kid\":\"ec\",\"kty\":\"EC\",\"crv\":\"P-256\"}", "ec", "not RSA")]
    public async Task OneJwkThatCannotBeRead_IsSkipped_TheOthersStayUsable(string badJwk, string loggedKid, string reason)
    {
        using var hanko = new FakeHanko(new FakeHankoOptions { TimeProvider = new FakeTimeProvider(VerifierHarness.Start) });
        var logs = new FakeLogCollector();
        var verifier = new WebhookVerifier(
            new HankoWebhookOptions { JwksUrl = JwksUrl, Audience = "localhost" },
            new HttpClient(new StaticJwksHandler(RawSigner.Jwks(badJwk, hanko.SigningKey.GetPublicJwkJson()))),
            hanko.TimeProvider,
            new FakeLogger(logs));

        var result = await verifier.VerifyAsync(hanko.CreateDelivery("user.create").BodyBytes);

        result.IsValid.Should().BeTrue(result.FailureMessage);
        verifier.Keys.Status.KeyCount.Should().Be(1);
        logs.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 4).Which.Message.Should().Contain(loggedKid).And.Contain(reason);
    }

    // ---- Signed claims that are not valid text -----------------------------------------------------------------------

    [TestCase("sub", "\"\\ud800\"")]
    [TestCase("evt", "\"user.\\udc00login\"")]
    [TestCase("aud", "[\"local\\ud800host\"]")]
    public async Task LoneSurrogateEscapeInAClaim_IsMalformed(string claim, string value)
    {
        using var signer = new RawSigner();
        var verifier = VerifierFor(signer, out _);
        var claims = JsonNode.Parse(RawSigner.Claims(VerifierHarness.Start, "{}"))!.AsObject();
        claims.Remove(claim);
        var payload = claims.ToJsonString()[..^1] + $",\"{claim}\":{value}}}";

        var result = await verifier.VerifyAsync(Encoding.UTF8.GetBytes(RawSigner.Body(signer.Sign(payload))));

        result.Failure.Should().Be(HankoWebhookFailure.MalformedToken);
        result.FailureMessage.Should().Contain("not valid Unicode text");
    }

    [TestCase("sub")]
    [TestCase("evt")]
    [TestCase("aud")]
    public async Task InvalidUtf8InAClaim_IsMalformed(string claim)
    {
        using var signer = new RawSigner();
        var verifier = VerifierFor(signer, out _);
        var claims = JsonNode.Parse(RawSigner.Claims(VerifierHarness.Start, "{}"))!.AsObject();
        claims.Remove(claim);
        var json = claims.ToJsonString()[..^1] + $",\"{claim}\":" + (claim == "aud" ? "[\"XX\"]" : "\"XX\"") + "}";
        var payload = Encoding.UTF8.GetBytes(json);
        var at = json.IndexOf("XX", StringComparison.Ordinal);
        payload[at] = 0xC3; // a two-byte sequence whose second byte is not a continuation byte
        payload[at + 1] = 0x28;

        var result = await verifier.VerifyAsync(Encoding.UTF8.GetBytes(RawSigner.Body(signer.Sign(Encoding.UTF8.GetBytes(signer.Header), payload))));

        result.Failure.Should().Be(HankoWebhookFailure.MalformedToken);
    }

    // ---- Container values in sub / evt -------------------------------------------------------------------------------

    [Test]
    public async Task EvtThatIsAnObjectWithAnExpInside_IsSkippedWhole_NotAWebhookToken()
    {
        using var h = new VerifierHarness();
        var delivery = h.Hanko.CreateDelivery("user.create", o =>
        {
            o.OmitEventClaim = true;
            o.OmitBodyEvent = true;
            o.ExtraClaims["evt"] = new JsonObject { ["exp"] = 1 };
        });

        var result = await h.VerifyAsync(delivery);

        result.Failure.Should().Be(HankoWebhookFailure.NotWebhookToken, "the nested exp is not the token's exp, and evt is not a string");
        result.FailureMessage.Should().Contain("\"evt\" is not a non-empty string");
    }

    [Test]
    public async Task SubThatIsAnObject_IsSkippedWhole_ItsMembersAreNotReadAsClaims()
    {
        using var signer = new RawSigner();
        var verifier = VerifierFor(signer, out _);
        var payload = "{\"sub\":{\"sub\":\"hanko webhooks\",\"evt\":\"user.login\"}," + RawSigner.Claims(VerifierHarness.Start, "{}")[1..].Replace(",\"sub\":\"hanko webhooks\"", "", StringComparison.Ordinal);

        var result = await verifier.VerifyAsync(Encoding.UTF8.GetBytes(RawSigner.Body(signer.Sign(payload))));

        result.Failure.Should().Be(HankoWebhookFailure.NotWebhookToken, "the object's members are not the token's claims");
        result.FailureMessage.Should().Contain("\"sub\" is not \"hanko webhooks\"");
    }

    // ---- Trailing bytes --------------------------------------------------------------------------------------------

    [TestCase(" x")]
    [TestCase("{}")]
    [TestCase("]")]
    public async Task BytesAfterThePayloadObject_AreMalformed(string trailing)
    {
        using var signer = new RawSigner();
        var verifier = VerifierFor(signer, out _);

        var result = await verifier.VerifyAsync(Encoding.UTF8.GetBytes(RawSigner.Body(signer.Sign(RawSigner.Claims(VerifierHarness.Start, "{}") + trailing))));

        result.Failure.Should().Be(HankoWebhookFailure.MalformedToken);
    }

    [TestCase(" x")]
    [TestCase("{}")]
    public async Task BytesAfterTheHeaderObject_AreMalformed(string trailing)
    {
        using var signer = new RawSigner();
        var verifier = VerifierFor(signer, out _);

        var result = await verifier.VerifyAsync(Encoding.UTF8.GetBytes(RawSigner.Body(signer.Sign(signer.Header + trailing, RawSigner.Claims(VerifierHarness.Start, "{}")))));

        result.Failure.Should().Be(HankoWebhookFailure.MalformedToken);
    }

    [Test]
    public async Task SameTokenWithoutTrailingBytes_IsValid()
    {
        using var signer = new RawSigner();
        var verifier = VerifierFor(signer, out _);

        var result = await verifier.VerifyAsync(Encoding.UTF8.GetBytes(RawSigner.Body(signer.Sign(RawSigner.Claims(VerifierHarness.Start, "{}")))));

        result.IsValid.Should().BeTrue(result.FailureMessage);
    }

    // ---- The real modulus length -----------------------------------------------------------------------------------

    [TestCase(512)]
    [TestCase(1024)]
    public async Task SmallKeyPaddedTo256Bytes_IsSkippedByItsRealSize(int bits)
    {
        using var small = new RawSigner(bits);
        var logs = new FakeLogCollector();
        var verifier = new WebhookVerifier(
            new HankoWebhookOptions { JwksUrl = JwksUrl, Audience = "localhost" },
            new HttpClient(new StaticJwksHandler(RawSigner.Jwks(small.Jwk(modulusBytes: 256)))),
            new FakeTimeProvider(VerifierHarness.Start),
            new FakeLogger(logs));

        var result = await verifier.VerifyAsync(Encoding.UTF8.GetBytes(RawSigner.Body(small.Sign(RawSigner.Claims(VerifierHarness.Start, "{}")))));

        result.Failure.Should().Be(HankoWebhookFailure.KeysUnavailable, "the only key is too small, so no key is held");
        logs.GetSnapshot().Should().Contain(r => r.Id.Id == 4 && r.Message.Contains($"{bits} bits"));
    }

    [Test]
    public async Task A2048BitKeyWithLeadingZeroPadding_IsStillAccepted()
    {
        using var signer = new RawSigner(2048);
        var verifier = new WebhookVerifier(
            new HankoWebhookOptions { JwksUrl = JwksUrl, Audience = "localhost" },
            new HttpClient(new StaticJwksHandler(RawSigner.Jwks(signer.Jwk(modulusBytes: 257)))),
            new FakeTimeProvider(VerifierHarness.Start));

        var result = await verifier.VerifyAsync(Encoding.UTF8.GetBytes(RawSigner.Body(signer.Sign(RawSigner.Claims(VerifierHarness.Start, "{}")))));

        result.IsValid.Should().BeTrue(result.FailureMessage);
    }

    // ---- JWKS redirects (the HTTP side is in the AspNetCore tests, over real Kestrel) ---------------------------------

    [Test]
    public async Task JwksRedirect_IsNotFollowed_LoggedAndRecordedAsRedirect()
    {
        using var telemetry = new TelemetryCapture();
        using var hanko = new FakeHanko(new FakeHankoOptions { TimeProvider = new FakeTimeProvider(VerifierHarness.Start) });
        var logs = new FakeLogCollector();
        var handler = new RedirectingHandler(new Uri("http://evil.example/jwks.json"), follow: false);
        var verifier = new WebhookVerifier(new HankoWebhookOptions { JwksUrl = "http://localhost:5555/.well-known/jwks.json", Audience = "localhost" }, new HttpClient(handler), hanko.TimeProvider, new FakeLogger(logs));

        var result = await verifier.VerifyAsync(hanko.CreateDelivery("user.create").BodyBytes);

        result.Failure.Should().Be(HankoWebhookFailure.KeysUnavailable);
        result.FailureMessage.Should().Contain("redirect");
        verifier.Keys.Status.LastError.Should().Contain("answered 302 with a redirect to http://evil.example/jwks.json").And.Contain("JwksUrl");
        logs.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 2).Which.Message.Should().Contain("redirects are not followed");
        telemetry.Sum("hanko.webhooks.jwks.fetches", (HankoTelemetryNames.JwksResultTag, "redirect")).Should().Be(1);
    }

    [Test]
    public async Task ApplicationClientThatFollowsAJwksRedirect_IsRefusedToo()
    {
        using var hanko = new FakeHanko(new FakeHankoOptions { TimeProvider = new FakeTimeProvider(VerifierHarness.Start) });
        var handler = new RedirectingHandler(new Uri("http://evil.example/jwks.json"), follow: true, hanko.GetJwksJson());
        var verifier = new WebhookVerifier(new HankoWebhookOptions { JwksUrl = "http://localhost:5555/.well-known/jwks.json", Audience = "localhost" }, new HttpClient(handler), hanko.TimeProvider);

        var result = await verifier.VerifyAsync(hanko.CreateDelivery("user.create").BodyBytes);

        result.Failure.Should().Be(HankoWebhookFailure.KeysUnavailable, "keys served from where the redirect led are not trusted");
        verifier.Keys.Status.LastError.Should().Contain("redirected to http://evil.example/jwks.json");
    }

    // ---- Exp near 9999 and the longest lifetime -------------------------------------------------------------------------

    [Test]
    public async Task TokenLivingLongerThanFifteenMinutes_IsNotAWebhookToken()
    {
        using var h = new VerifierHarness();

        var fifteen = await h.VerifyAsync(h.Hanko.CreateDelivery("user.create", o => o.Lifetime = TimeSpan.FromMinutes(15)));
        var sixteen = await h.VerifyAsync(h.Hanko.CreateDelivery("user.create", o => o.Lifetime = TimeSpan.FromMinutes(16)));
        using var signer = new RawSigner();
        var withoutIat = VerifierFor(signer, out _);
        var exp = VerifierHarness.Start.AddMinutes(20).ToUnixTimeSeconds();
        var noIat = await withoutIat.VerifyAsync(Encoding.UTF8.GetBytes(RawSigner.Body(signer.Sign(
            $$"""{"aud":["localhost"],"data":{},"evt":"user.login","exp":{{exp}},"sub":"hanko webhooks"}"""))));
        var year9999 = await h.VerifyAsync(h.Hanko.CreateDelivery("user.create", o => o.ExtraClaims["exp"] = 253402300799));

        fifteen.IsValid.Should().BeTrue(fifteen.FailureMessage);
        sixteen.Failure.Should().Be(HankoWebhookFailure.NotWebhookToken);
        sixteen.FailureMessage.Should().Contain("00:16:00").And.Contain("at most 00:15:00 is accepted");
        noIat.Failure.Should().Be(HankoWebhookFailure.NotWebhookToken);
        noIat.FailureMessage.Should().Contain("from now to exp");
        year9999.Failure.Should().Be(HankoWebhookFailure.NotWebhookToken);
    }

    [Test]
    public void AcceptedUntil_SaturatesAtTheEndOfTime()
    {
        var last = DateTimeOffset.FromUnixTimeSeconds(253402300799);

        WebhookVerifier.AcceptedUntil(last, TimeSpan.FromSeconds(30)).Should().Be(DateTimeOffset.MaxValue);
        WebhookVerifier.AcceptedUntil(VerifierHarness.Start, TimeSpan.FromSeconds(30)).Should().Be(VerifierHarness.Start.AddSeconds(30));
    }

    // ---- Refusals that tell the user what to do --------------------------------------------------------------------

    [Test]
    public async Task WrongAudience_NamesTheTokensAudienceAndTheConfiguredOne_InTheMessage_AndTheVerifierLogsNothing()
    {
        using var hanko = new FakeHanko(new FakeHankoOptions { TimeProvider = new FakeTimeProvider(VerifierHarness.Start) });
        var logs = new FakeLogCollector();
        var verifier = new WebhookVerifier(
            new HankoWebhookOptions { JwksUrl = JwksUrl, Audience = "myapp.example.com" },
            new HttpClient(hanko.CreateJwksHandler()),
            hanko.TimeProvider,
            new FakeLogger(logs));

        var result = await verifier.VerifyAsync(hanko.CreateDelivery("user.create", o => o.Audience = ["localhost", "evil\r\nline"]).BodyBytes);

        result.Failure.Should().Be(HankoWebhookFailure.WrongAudience);
        result.FailureMessage.Should().Be("The token is for [localhost, (an unexpected value)], not myapp.example.com; set Hanko:Webhooks:Audience to one of those.");
        logs.GetSnapshot().Should().NotContain(r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Warning, "the verifier returns the refusal; the receiver writes its one record (23)");
    }

    // ---- Anonymous session events (the fixtures in Fixtures/upcoming are also compared field by field) -----------------

    [Test]
    public async Task AnonymousSessionEvent_IsVerifiedWithANullUserId()
    {
        using var h = new VerifierHarness();
        var data = JsonNode.Parse(Fixtures.DataElement("upcoming/session.create.flow.anonymous.json").GetRawText())!.AsObject();

        var result = await h.VerifyAsync(h.Hanko.CreateDelivery("session.create.flow", o => o.Data = data));

        result.IsValid.Should().BeTrue(result.FailureMessage);
        var session = result.Event.Should().BeOfType<SessionCreateFlowEvent>().Subject.Session;
        session.UserId.Should().BeNull();
        session.Id.Should().Be(Guid.Parse("3f1c2b7e-8d4a-4c61-9e2f-6a5b4c3d2e1f"));
    }

    private static WebhookVerifier VerifierFor(RawSigner signer, out FakeTimeProvider time)
    {
        time = new FakeTimeProvider(VerifierHarness.Start);
        return new WebhookVerifier(
            new HankoWebhookOptions { JwksUrl = JwksUrl, Audience = "localhost" },
            new HttpClient(new StaticJwksHandler(RawSigner.Jwks(signer.Jwk()))),
            time);
    }

    /// <summary>Answers 302 to <c>location</c>, or (follow) pretends a redirect was followed and serves the JWKS from there.</summary>
    private sealed class RedirectingHandler(Uri location, bool follow, string? jwks = null) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!follow)
            {
                var redirect = new HttpResponseMessage(HttpStatusCode.Found) { RequestMessage = request };
                redirect.Headers.Location = location;
                return Task.FromResult(redirect);
            }

            request.RequestUri = location; // what HttpClientHandler does when it follows a redirect
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new StringContent(jwks!, Encoding.UTF8, "application/json") });
        }
    }
}
