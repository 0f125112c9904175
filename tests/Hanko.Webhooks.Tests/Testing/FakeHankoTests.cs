using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Hanko.Webhooks.Testing;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Testing;

// Checks the fake with independent means: IdentityModel's JsonWebKeySet/JsonWebTokenHandler, the BCL's HMAC, and the
// Hanko fixtures (which reproduce Hanko's bytes) in the test's own Fixtures folder.
[TestFixture]
public sealed class FakeHankoTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_786_702_530_789);

    private static string FixturePath(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", name);

    private static JsonObject ReadFixture(string name) => JsonNode.Parse(File.ReadAllText(FixturePath(name)))!.AsObject();

    private static string[] Segments(string token) => token.Split('.');

    private static string DecodeSegment(string segment) => Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(segment));

    private static JsonObject Claims(HankoDelivery delivery) => JsonNode.Parse(DecodeSegment(Segments(delivery.Token)[1]))!.AsObject();

    private static JsonObject Header(HankoDelivery delivery) => JsonNode.Parse(DecodeSegment(Segments(delivery.Token)[0]))!.AsObject();

    private static Task<TokenValidationResult> ValidateAsync(
        FakeHanko fake,
        string token,
        bool validateLifetime = true,
        string[]? algorithms = null)
    {
        var jwks = new JsonWebKeySet(fake.GetJwksJson());
        return new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidAudience = fake.Audiences[0],
            ValidateIssuer = false,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = algorithms ?? ["RS256"],
            ValidateLifetime = validateLifetime,
            ClockSkew = TimeSpan.FromSeconds(30),
        });
    }

    private static FakeHanko NewFakeAtFixedTime() => new(new FakeHankoOptions { TimeProvider = new FakeTimeProvider(Now) });

    // ---- JWKS ----

    [Test]
    public void GetJwksJson_Default_ParsesWithIdentityModelAndHasHankosMembersInOrder()
    {
        using var fake = new FakeHanko();

        var json = fake.GetJwksJson();
        var jwks = new JsonWebKeySet(json);

        json.Should().MatchRegex("""^\{"keys":\[\{"alg":"RS256","e":"AQAB","kid":"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}","kty":"RSA","n":"[A-Za-z0-9_-]+","use":"sig"\}\]\}$""");
        jwks.Keys.Should().ContainSingle();
        var key = jwks.Keys[0];
        key.Kid.Should().Be(fake.SigningKey.KeyId);
        key.Kty.Should().Be("RSA");
        key.Alg.Should().Be("RS256");
        key.Use.Should().Be("sig");
        Base64UrlEncoder.DecodeBytes(key.N).Length.Should().Be(256);
        jwks.GetSigningKeys().Should().ContainSingle();
        fake.SigningKey.KeySize.Should().Be(2048);
        fake.SigningKey.GetPublicJwkJson().Should().Be(json["{\"keys\":[".Length..^2]);
    }

    [Test]
    public void RotateKey_AddsANewestSigningKey_OldKeyStaysPublished()
    {
        using var fake = new FakeHanko();
        var first = fake.SigningKey;

        var second = fake.RotateKey();

        fake.SigningKey.Should().BeSameAs(second);
        fake.Keys.Should().Equal(first, second);
        new JsonWebKeySet(fake.GetJwksJson()).Keys.Select(k => k.Kid).Should().Equal(first.KeyId, second.KeyId);
        Header(fake.CreateDelivery("user.create"))["kid"]!.GetValue<string>().Should().Be(second.KeyId);
    }

    [Test]
    public async Task RotateKey_WithKmsStyleKeyId_IsUsedVerbatim()
    {
        using var fake = new FakeHanko();
        const string arn = "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

        fake.RotateKey(arn);
        var delivery = fake.CreateDelivery("user.login");

        Header(delivery)["kid"]!.GetValue<string>().Should().Be(arn);
        fake.GetJwksJson().Should().Contain($"\"kid\":\"{arn}\"");
        (await ValidateAsync(fake, delivery.Token)).IsValid.Should().BeTrue();
        fake.Invoking(f => f.RotateKey(arn)).Should().Throw<ArgumentException>();
    }

    [Test]
    public void UnpublishAndPublish_ChangeTheJwks_KeysKeepsAll()
    {
        using var fake = new FakeHanko();
        var first = fake.SigningKey;
        var second = fake.RotateKey();

        fake.Unpublish(first);

        first.IsPublished.Should().BeFalse();
        fake.Keys.Should().HaveCount(2);
        new JsonWebKeySet(fake.GetJwksJson()).Keys.Select(k => k.Kid).Should().Equal(second.KeyId);

        fake.Unpublish(second);
        fake.GetJwksJson().Should().Be("""{"keys":[]}""");

        fake.Publish(first);
        new JsonWebKeySet(fake.GetJwksJson()).Keys.Select(k => k.Kid).Should().Equal(first.KeyId);
    }

    [Test]
    public void Unpublish_KeyOfAnotherFake_Throws()
    {
        using var fake = new FakeHanko();
        using var other = new FakeHanko();

        fake.Invoking(f => f.Unpublish(other.SigningKey)).Should().Throw<ArgumentException>();
    }

    [Test]
    public async Task CreateDelivery_SignedByUnpublishedKey_FailsValidationWithUnknownKey()
    {
        using var fake = new FakeHanko();
        fake.Unpublish(fake.SigningKey);

        var result = await ValidateAsync(fake, fake.CreateDelivery("user.create").Token);

        result.IsValid.Should().BeFalse();
        result.Exception.Should().BeAssignableTo<SecurityTokenSignatureKeyNotFoundException>();
    }

    // ---- JWKS handler ----

    [Test]
    public async Task CreateJwksHandler_Normal_AnswersAnyGetWithJwksAndCacheControl()
    {
        using var fake = new FakeHanko();
        using var client = new HttpClient(fake.CreateJwksHandler());

        using var response = await client.GetAsync(new Uri("https://tenant.hanko.io/.well-known/jwks.json"));
        using var other = await client.GetAsync(new Uri("http://anything/else?x=1"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().Should().Be("application/json");
        response.Headers.CacheControl!.MaxAge.Should().Be(TimeSpan.FromSeconds(600));
        (await response.Content.ReadAsStringAsync()).Should().Be(fake.GetJwksJson());
        other.StatusCode.Should().Be(HttpStatusCode.OK);
        fake.JwksRequestCount.Should().Be(2);
    }

    [Test]
    public async Task CreateJwksHandler_JwksMaxAgeNull_SendsNoCacheControl()
    {
        using var fake = new FakeHanko(new FakeHankoOptions { JwksMaxAge = null });
        using var client = new HttpClient(fake.CreateJwksHandler());

        using var response = await client.GetAsync(new Uri("https://h/.well-known/jwks.json"));

        response.Headers.CacheControl.Should().BeNull();
    }

    [Test]
    public async Task CreateJwksHandler_Behaviors_AnswerAsConfiguredAndAreCounted()
    {
        using var fake = new FakeHanko();
        using var client = new HttpClient(fake.CreateJwksHandler());
        var uri = new Uri("https://h/.well-known/jwks.json");

        fake.JwksBehavior = FakeJwksBehavior.ServerError;
        using (var response = await client.GetAsync(uri))
        {
            response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        }

        fake.JwksBehavior = FakeJwksBehavior.InvalidJson;
        using (var response = await client.GetAsync(uri))
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            var body = await response.Content.ReadAsStringAsync();
            FluentActions.Invoking(() => JsonDocument.Parse(body)).Should().Throw<JsonException>();
        }

        fake.JwksBehavior = FakeJwksBehavior.Empty;
        using (var response = await client.GetAsync(uri))
        {
            var jwks = new JsonWebKeySet(await response.Content.ReadAsStringAsync());
            jwks.Keys.Should().BeEmpty();
        }

        fake.JwksBehavior = FakeJwksBehavior.Hang;
        using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
        {
            await FluentActions.Awaiting(() => client.GetAsync(uri, cts.Token)).Should().ThrowAsync<OperationCanceledException>();
        }

        fake.JwksBehavior = FakeJwksBehavior.Normal;
        using (var response = await client.GetAsync(uri))
        {
            new JsonWebKeySet(await response.Content.ReadAsStringAsync()).Keys.Should().ContainSingle();
        }

        fake.JwksRequestCount.Should().Be(5);
    }

    [Test]
    public async Task CreateJwksHandler_Hang_IsEndedByHttpClientTimeout()
    {
        using var fake = new FakeHanko { JwksBehavior = FakeJwksBehavior.Hang };
        using var client = new HttpClient(fake.CreateJwksHandler()) { Timeout = TimeSpan.FromMilliseconds(150) };

        await FluentActions.Awaiting(() => client.GetAsync(new Uri("https://h/jwks"))).Should().ThrowAsync<TaskCanceledException>();
    }

    [Test]
    public async Task JwksRequestCount_ConcurrentRequestsOverSeveralHandlers_CountsEveryOne()
    {
        using var fake = new FakeHanko();
        using var a = new HttpClient(fake.CreateJwksHandler());
        using var b = new HttpClient(fake.CreateJwksHandler());

        await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            using var response = await (i % 2 == 0 ? a : b).GetAsync(new Uri("https://h/jwks"));
            response.EnsureSuccessStatusCode();
        }));

        fake.JwksRequestCount.Should().Be(100);
    }

    [Test]
    public async Task CreateJwksHandler_Post_Is405()
    {
        using var fake = new FakeHanko();
        using var client = new HttpClient(fake.CreateJwksHandler());

        using var response = await client.PostAsync(new Uri("https://h/jwks"), new StringContent("x"));

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
    }

    // ---- Genuine deliveries ----

    [Test]
    public async Task CreateDelivery_Default_ValidatesWithJsonWebTokenHandler()
    {
        using var fake = new FakeHanko();

        var result = await ValidateAsync(fake, fake.CreateDelivery("user.create").Token);

        result.IsValid.Should().BeTrue(result.Exception?.ToString());
        result.Claims["sub"].Should().Be("hanko webhooks");
        result.Claims["evt"].Should().Be("user.create");
    }

    [Test]
    public void CreateDelivery_Default_HasHankosHeaderAndExactlyHankosClaims()
    {
        using var fake = NewFakeAtFixedTime();

        var delivery = fake.CreateDelivery("user.create");

        Segments(delivery.Token).Should().HaveCount(3);
        DecodeSegment(Segments(delivery.Token)[0]).Should().Be($$"""{"alg":"RS256","kid":"{{fake.SigningKey.KeyId}}","typ":"JWT"}""");
        var claims = Claims(delivery);
        claims.Select(c => c.Key).Should().Equal("aud", "data", "evt", "exp", "iat", "sub");
        claims["aud"].Should().BeOfType<JsonArray>().Which.Select(a => a!.GetValue<string>()).Should().Equal("localhost");
        claims["evt"]!.GetValue<string>().Should().Be("user.create");
        claims["sub"]!.GetValue<string>().Should().Be("hanko webhooks");
        claims["iat"]!.GetValueKind().Should().Be(JsonValueKind.Number);
        claims["iat"]!.ToJsonString().Should().Be("1786702530"); // whole seconds, truncated
        claims["exp"]!.GetValue<long>().Should().Be(claims["iat"]!.GetValue<long>() + 300);
        JsonNode.DeepEquals(claims["data"], ReadFixture("user.create.json")["data"]).Should().BeTrue();
        DecodeSegment(Segments(delivery.Token)[1]).Should().NotContain("\n").And.NotContain("\": ").And.NotContain(", \"");
    }

    [Test]
    public void CreateDelivery_Default_BodyIsTokenThenEvent()
    {
        using var fake = new FakeHanko();

        var delivery = fake.CreateDelivery("session.create.flow");

        delivery.EventName.Should().Be("session.create.flow");
        delivery.Body.Should().Be($$"""{"token":"{{delivery.Token}}","event":"session.create.flow"}""");
        delivery.BodyBytes.ToArray().Should().Equal(Encoding.UTF8.GetBytes(delivery.Body));
        using var document = JsonDocument.Parse(delivery.Body);
        document.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("token", "event");
    }

    [Test]
    public async Task ToHttpContent_IsApplicationJsonWithoutCharset_AndRepeatable()
    {
        using var fake = new FakeHanko();
        var delivery = fake.CreateDelivery("user.login");

        using var first = delivery.ToHttpContent();
        using var second = delivery.ToHttpContent();

        first.Headers.ContentType!.ToString().Should().Be("application/json");
        first.Headers.ContentType.CharSet.Should().BeNull();
        (await first.ReadAsByteArrayAsync()).Should().Equal(delivery.BodyBytes.ToArray());
        (await second.ReadAsStringAsync()).Should().Be(delivery.Body);
    }

    [TestCase("envelope.user.create.json")]
    [TestCase("envelope.email.send.passcode.json")]
    [TestCase("envelope.session.create.flow.json")]
    public void CreateDelivery_SameClaimsAsHankoEnvelope_ProducesTheSamePayloadBytes(string envelopeFile)
    {
        var envelope = ReadFixture(envelopeFile);
        var hankoToken = envelope["token"]!.GetValue<string>();
        var hankoPayload = Base64UrlEncoder.DecodeBytes(Segments(hankoToken)[1]);
        var hankoClaims = JsonNode.Parse(hankoPayload)!.AsObject();
        using var fake = new FakeHanko();

        var delivery = fake.CreateDelivery(envelope["event"]!.GetValue<string>(), o =>
        {
            o.Audience = hankoClaims["aud"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();
            o.IssuedAt = DateTimeOffset.FromUnixTimeSeconds(hankoClaims["iat"]!.GetValue<long>());
            o.Data = hankoClaims["data"];
        });

        Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(Segments(delivery.Token)[1]))
            .Should().Be(Encoding.UTF8.GetString(hankoPayload));
        var hankoHeader = JsonNode.Parse(DecodeSegment(Segments(hankoToken)[0]))!;
        DecodeSegment(Segments(delivery.Token)[0])
            .Should().Be(hankoHeader.ToJsonString().Replace(hankoHeader["kid"]!.GetValue<string>(), fake.SigningKey.KeyId, StringComparison.Ordinal));
        delivery.Body.Should().Be(File.ReadAllText(FixturePath(envelopeFile)).Replace(hankoToken, delivery.Token, StringComparison.Ordinal));
    }

    [Test]
    public void CreateDelivery_EmailSend_EscapesHtmlLikeGo()
    {
        using var fake = new FakeHanko();

        var payload = DecodeSegment(Segments(fake.CreateDelivery("email.send").Token)[1]);

        payload.Should().Contain("\\u003c!DOCTYPE html\\u003e").And.NotContain("<").And.NotContain(">");
    }

    [Test]
    public void EventNames_AreTheTwentyDeliveredEvents()
    {
        FakeHanko.EventNames.Should().HaveCount(20).And.OnlyHaveUniqueItems();
        FakeHanko.EventNames.Should().Contain(["email.send", "user.update", "user.update.password.update", "user.update.custom_claims", "session.delete.passive.limit"]);
        FakeHanko.EventNames.Should().NotContain(["user", "session", "session.delete", "user.update.email"]);
    }

    [Test]
    public void PayloadNames_MatchTheFixtureFiles()
    {
        var fixtures = Directory.GetFiles(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures"), "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => !n!.StartsWith("envelope.", StringComparison.Ordinal) && n != "jwks" && n != "jwt-header");

        FakeHanko.PayloadNames.Should().HaveCount(29).And.BeEquivalentTo(fixtures);
    }

    [TestCaseSource(typeof(FakeHanko), nameof(FakeHanko.EventNames))]
    public async Task CreateDelivery_EveryEvent_ValidatesAndCarriesTheFixtureDataWithItsTimesMovedToTheTokensIat(string eventName)
    {
        using var fake = new FakeHanko();

        var delivery = fake.CreateDelivery(eventName);

        (await ValidateAsync(fake, delivery.Token)).IsValid.Should().BeTrue();
        var expected = ReadFixture((eventName == "email.send" ? "email.send.passcode" : eventName) + ".json");
        var claims = Claims(delivery);
        AssertSameShapeTimesShifted(claims["data"]!, expected["data"]!, claims["iat"]!.GetValue<long>() - expected["iat"]!.GetValue<long>(), "data");
        claims["evt"]!.GetValue<string>().Should().Be(eventName).And.Be(expected["evt"]!.GetValue<string>());
    }

    [TestCaseSource(typeof(FakeHanko), nameof(FakeHanko.PayloadNames))]
    public void CreateDelivery_EveryVariant_CarriesThatFixturesDataWithItsTimesMovedToTheTokensIat(string payloadName)
    {
        var expected = ReadFixture(payloadName + ".json");
        var eventName = expected["evt"]!.GetValue<string>();
        var at = DateTimeOffset.FromUnixTimeSeconds(expected["iat"]!.GetValue<long>()).AddDays(1234).AddSeconds(17);
        using var fake = new FakeHanko(new FakeHankoOptions { TimeProvider = new FakeTimeProvider(at) });

        var claims = Claims(fake.CreateDelivery(eventName, o => o.Variant = payloadName));

        claims["iat"]!.GetValue<long>().Should().Be(at.ToUnixTimeSeconds());
        AssertSameShapeTimesShifted(claims["data"]!, expected["data"]!, (long)TimeSpan.FromDays(1234).TotalSeconds + 17, "data");
    }

    [TestCaseSource(typeof(FakeHanko), nameof(FakeHanko.PayloadNames))]
    public void CreateDelivery_IssuedAtTheFixturesIat_CarriesTheFixturesDataByteForByte(string payloadName)
    {
        var expected = ReadFixture(payloadName + ".json");
        using var fake = new FakeHanko();

        var claims = Claims(fake.CreateDelivery(expected["evt"]!.GetValue<string>(), o =>
        {
            o.Variant = payloadName;
            o.IssuedAt = DateTimeOffset.FromUnixTimeSeconds(expected["iat"]!.GetValue<long>());
        }));

        claims["data"]!.ToJsonString().Should().Be(expected["data"]!.ToJsonString());
    }

    [Test]
    public void CreateDelivery_EmailSend_PasscodeIsValidForFiveMinutesFromTheTokensIssueTime_InTheFakesClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 2, 3, 4, 5, 6, TimeSpan.Zero));
        using var fake = new FakeHanko(new FakeHankoOptions { TimeProvider = clock });

        var first = Claims(fake.CreateDelivery("email.send"));
        clock.Advance(TimeSpan.FromDays(40));
        var later = Claims(fake.CreateDelivery("email.send"));

        foreach (var claims in new[] { first, later })
        {
            var iat = claims["iat"]!.GetValue<long>();
            var passcode = claims["data"]!["data"]!;
            passcode["valid_until"]!.GetValue<long>().Should().BeGreaterThan(iat).And.Be(iat + 299, "the fixture's passcode was created a second before its token, with a ttl of 300 s");
            passcode["ttl"]!.GetValue<int>().Should().Be(300);
        }

        first["iat"]!.GetValue<long>().Should().Be(clock.GetUtcNow().AddDays(-40).ToUnixTimeSeconds());
        later["iat"]!.GetValue<long>().Should().Be(clock.GetUtcNow().ToUnixTimeSeconds());
    }

    [Test]
    public void CreateDelivery_OnTheSystemClock_CarriesTimesOfNowNotOfTheFixtures()
    {
        using var fake = new FakeHanko();
        var now = DateTimeOffset.UtcNow;

        var mail = Claims(fake.CreateDelivery("email.send"));
        var session = Claims(fake.CreateDelivery("session.create.flow"));
        var user = Claims(fake.CreateDelivery("user.create"));

        DateTimeOffset.FromUnixTimeSeconds(mail["data"]!["data"]!["valid_until"]!.GetValue<long>()).Should().BeAfter(now, "a handler that skips expired passcodes still gets the fake's");
        var sessionData = session["data"]!;
        DateTimeOffset.Parse(sessionData["created_at"]!.GetValue<string>(), CultureInfo.InvariantCulture).Should().BeCloseTo(now, TimeSpan.FromMinutes(1));
        DateTimeOffset.Parse(sessionData["expires_at"]!.GetValue<string>(), CultureInfo.InvariantCulture).Should().BeCloseTo(now.AddHours(12), TimeSpan.FromMinutes(1));
        DateTimeOffset.Parse(user["data"]!["created_at"]!.GetValue<string>(), CultureInfo.InvariantCulture).Should().BeCloseTo(now, TimeSpan.FromMinutes(1));
    }

    [Test]
    public void CreateDelivery_WithDataSet_SignsItsTimesAsTheyAre()
    {
        using var fake = new FakeHanko();
        var data = FakeHanko.GetDefaultData("email.send");

        var claims = Claims(fake.CreateDelivery("email.send", o => o.Data = data));

        claims["data"]!["data"]!["valid_until"]!.GetValue<long>().Should().Be(1786702859, "GetDefaultData has the fixture's own times, and Data is signed as given");
    }

    /// <summary>
    /// The fake's data against a fixture's: the same keys in the same order, the same values, except that every time is moved by
    /// <paramref name="shift"/> seconds and keeps its exact text shape (length and fractional digits).
    /// </summary>
    private static void AssertSameShapeTimesShifted(JsonNode actual, JsonNode expected, long shift, string path)
    {
        actual.GetValueKind().Should().Be(expected.GetValueKind(), path);
        switch (expected)
        {
            case JsonObject expectedObject:
                var actualObject = actual.AsObject();
                actualObject.Select(p => p.Key).Should().Equal(expectedObject.Select(p => p.Key), path);
                foreach (var (key, value) in expectedObject)
                {
                    if (value is null)
                    {
                        actualObject[key].Should().BeNull($"{path}.{key}");
                    }
                    else if (key == "valid_until")
                    {
                        actualObject[key]!.GetValue<long>().Should().Be(value.GetValue<long>() + shift, $"{path}.{key}");
                    }
                    else
                    {
                        AssertSameShapeTimesShifted(actualObject[key]!, value, shift, $"{path}.{key}");
                    }
                }

                break;
            case JsonArray expectedArray:
                actual.AsArray().Should().HaveCount(expectedArray.Count, path);
                for (var i = 0; i < expectedArray.Count; i++)
                {
                    AssertSameShapeTimesShifted(actual[i]!, expectedArray[i]!, shift, $"{path}[{i}]");
                }

                break;
            default:
                if (expected.GetValueKind() == JsonValueKind.String && IsUtcTime(expected.GetValue<string>(), out var expectedTime))
                {
                    var text = actual.GetValue<string>();
                    IsUtcTime(text, out var actualTime).Should().BeTrue($"{path} is a time: {text}");
                    actualTime.Should().Be(expectedTime.AddSeconds(shift), path);
                    text.Length.Should().Be(expected.GetValue<string>().Length, $"{path} keeps its shape");
                    text[19..].Should().Be(expected.GetValue<string>()[19..], $"{path} keeps its fractional digits");
                }
                else
                {
                    actual.ToJsonString().Should().Be(expected.ToJsonString(), path);
                }

                break;
        }
    }

    private static bool IsUtcTime(string text, out DateTimeOffset time)
    {
        time = default;
        return text.Length >= 20 && text[10] == 'T' && text.EndsWith('Z')
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
    }

    [Test]
    public void GetDefaultData_ShortVariant_AndFreshCopies()
    {
        var recovery = FakeHanko.GetDefaultData("email.send", "recovery");
        recovery["type"]!.GetValue<string>().Should().Be("recovery");
        FakeHanko.GetDefaultData("email.send", "email.send.security_notification.email_create")["data"]!["template"]!.GetValue<string>()
            .Should().Be("email_create");

        var first = FakeHanko.GetDefaultData("user.create");
        first["id"] = "changed";
        FakeHanko.GetDefaultData("user.create")["id"]!.GetValue<string>().Should().NotBe("changed");
    }

    [Test]
    public void GetDefaultData_UnknownEventOrVariant_Throws()
    {
        FluentActions.Invoking(() => FakeHanko.GetDefaultData("user.frobnicate")).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => FakeHanko.GetDefaultData("email.send", "nope")).Should().Throw<ArgumentException>();
    }

    [Test]
    public void CreateDelivery_EventWithoutPayload_SendsEmptyData()
    {
        using var fake = new FakeHanko();

        var claims = Claims(fake.CreateDelivery("session.delete.passive.idle"));

        claims["data"]!.ToJsonString().Should().Be("{}");
        claims["evt"]!.GetValue<string>().Should().Be("session.delete.passive.idle");
    }

    [Test]
    public void CreateDelivery_Options_ChangeExactlyWhatTheySay()
    {
        using var fake = NewFakeAtFixedTime();

        var delivery = fake.CreateDelivery("user.create", o =>
        {
            o.EditData = d => d["id"] = "00000000-0000-4000-8000-000000000000";
            o.Lifetime = TimeSpan.FromSeconds(10);
            o.Audience = ["a.example", "b.example"];
            o.Subject = null;
            o.EventClaim = "user.delete";
            o.OmitBodyEvent = true;
            o.KeyIdOverride = "other-kid";
            o.ExtraClaims["session_id"] = "s";
            o.ExtraHeader["typ"] = "at+jwt";
        });

        var claims = Claims(delivery);
        claims.Select(c => c.Key).Should().Equal("aud", "data", "evt", "exp", "iat", "session_id");
        claims["data"]!["id"]!.GetValue<string>().Should().Be("00000000-0000-4000-8000-000000000000");
        claims["exp"]!.GetValue<long>().Should().Be(claims["iat"]!.GetValue<long>() + 10);
        claims["aud"]!.ToJsonString().Should().Be("""["a.example","b.example"]""");
        claims["evt"]!.GetValue<string>().Should().Be("user.delete");
        DecodeSegment(Segments(delivery.Token)[0]).Should().Be("""{"alg":"RS256","kid":"other-kid","typ":"at+jwt"}""");
        delivery.Body.Should().Be($$"""{"token":"{{delivery.Token}}"}""");

        var bare = Claims(fake.CreateDelivery("user.create", o =>
        {
            o.OmitData = true;
            o.OmitEventClaim = true;
            o.ExtraClaims["aud"] = "localhost";
        }));
        bare.Select(c => c.Key).Should().Equal("aud", "exp", "iat", "sub");
        bare["aud"]!.GetValueKind().Should().Be(JsonValueKind.String);
    }

    [TestCase("RS384")]
    [TestCase("RS512")]
    [TestCase("PS256")]
    [TestCase("PS512")]
    public async Task CreateDelivery_OtherRsaAlgorithms_AreRealSignatures(string algorithm)
    {
        using var fake = new FakeHanko();

        var delivery = fake.CreateDelivery("user.create", o => o.Algorithm = algorithm);

        Header(delivery)["alg"]!.GetValue<string>().Should().Be(algorithm);
        (await ValidateAsync(fake, delivery.Token, algorithms: [algorithm])).IsValid.Should().BeTrue();
        (await ValidateAsync(fake, delivery.Token)).IsValid.Should().BeFalse("only RS256 is allowed by default");
    }

    [Test]
    public void CreateDelivery_UnsupportedAlgorithm_Throws()
    {
        using var fake = new FakeHanko();

        fake.Invoking(f => f.CreateDelivery("user.create", o => o.Algorithm = "ES256")).Should().Throw<ArgumentException>();
    }

    [Test]
    public async Task FakeHanko_Audiences_AreAllInAud()
    {
        using var fake = new FakeHanko(new FakeHankoOptions { Audiences = ["app.example.com", "example.com"] });

        var delivery = fake.CreateDelivery("user.create");

        Claims(delivery)["aud"]!.ToJsonString().Should().Be("""["app.example.com","example.com"]""");
        (await ValidateAsync(fake, delivery.Token)).IsValid.Should().BeTrue();
    }

    [Test]
    public void FakeHanko_InvalidOptions_Throw()
    {
        FluentActions.Invoking(() => new FakeHanko(new FakeHankoOptions { KeySize = 1024 })).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("*KeySize*");
        FluentActions.Invoking(() => new FakeHanko(new FakeHankoOptions { Audience = "" })).Should().Throw<ArgumentException>()
            .WithMessage("*Audience*");
    }

    [Test]
    public void Dispose_ThenUse_Throws()
    {
        var fake = new FakeHanko();
        fake.Dispose();
        fake.Dispose();

        fake.Invoking(f => f.CreateDelivery("user.create")).Should().Throw<ObjectDisposedException>();
        fake.Invoking(f => f.GetJwksJson()).Should().Throw<ObjectDisposedException>();
    }

    [Test]
    public async Task CreateDelivery_ConcurrentWithRotation_AllValidate()
    {
        using var fake = new FakeHanko();

        var deliveries = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
        {
            if (i % 10 == 0)
            {
                fake.RotateKey();
            }

            return fake.CreateDelivery(FakeHanko.EventNames[i % FakeHanko.EventNames.Count]);
        })));

        fake.Keys.Should().HaveCount(5);
        foreach (var delivery in deliveries)
        {
            (await ValidateAsync(fake, delivery.Token)).IsValid.Should().BeTrue();
        }
    }

    // ---- Broken deliveries ----

    [Test]
    public async Task CreateExpiredDelivery_IsExpiredButOtherwiseValid()
    {
        using var fake = new FakeHanko();

        var delivery = fake.CreateExpiredDelivery();

        var claims = Claims(delivery);
        claims["exp"]!.GetValue<long>().Should().BeLessThan(DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeSeconds());
        claims["exp"]!.GetValue<long>().Should().Be(claims["iat"]!.GetValue<long>() + 300);
        var result = await ValidateAsync(fake, delivery.Token);
        result.IsValid.Should().BeFalse();
        result.Exception.Should().BeOfType<SecurityTokenExpiredException>();
        (await ValidateAsync(fake, delivery.Token, validateLifetime: false)).IsValid.Should().BeTrue();
    }

    [Test]
    public async Task CreateNotYetValidDelivery_HasFutureIat_AndAValidSignature()
    {
        using var fake = new FakeHanko();

        var delivery = fake.CreateNotYetValidDelivery("user.login");

        var claims = Claims(delivery);
        claims["iat"]!.GetValue<long>().Should().BeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds());
        claims.ContainsKey("nbf").Should().BeFalse();
        (await ValidateAsync(fake, delivery.Token, validateLifetime: false)).IsValid.Should().BeTrue();
    }

    [Test]
    public async Task CreateWrongAudienceDelivery_FailsOnAudienceOnly()
    {
        using var fake = new FakeHanko();

        var delivery = fake.CreateWrongAudienceDelivery();

        Claims(delivery)["aud"]!.ToJsonString().Should().Be("""["wrong-audience.example"]""");
        var result = await ValidateAsync(fake, delivery.Token);
        result.IsValid.Should().BeFalse();
        result.Exception.Should().BeOfType<SecurityTokenInvalidAudienceException>();
    }

    [Test]
    public async Task CreateSessionTokenDelivery_VerifiesWithSameKeyAndAudience_ButIsNoWebhookToken()
    {
        using var fake = new FakeHanko();

        var delivery = fake.CreateSessionTokenDelivery();

        var result = await ValidateAsync(fake, delivery.Token);
        result.IsValid.Should().BeTrue("a session token is signed by the same key for the same audience");
        Header(delivery)["kid"]!.GetValue<string>().Should().Be(fake.SigningKey.KeyId);
        var claims = Claims(delivery);
        claims.ContainsKey("evt").Should().BeFalse();
        claims.ContainsKey("data").Should().BeFalse();
        claims["sub"]!.GetValue<string>().Should().NotBe("hanko webhooks").And.MatchRegex("^[0-9a-f-]{36}$");
        claims["session_id"]!.GetValue<string>().Should().MatchRegex("^[0-9a-f-]{36}$");
        claims["aud"]!.ToJsonString().Should().Be("""["localhost"]""");
        JsonDocument.Parse(delivery.Body).RootElement.GetProperty("event").GetString().Should().Be("user.create");
    }

    [Test]
    public async Task CreateUnknownKeyDelivery_KidIsNotInJwks_AndNoKeyIsAdded()
    {
        using var fake = new FakeHanko();

        var delivery = fake.CreateUnknownKeyDelivery();

        var kid = Header(delivery)["kid"]!.GetValue<string>();
        new JsonWebKeySet(fake.GetJwksJson()).Keys.Select(k => k.Kid).Should().NotContain(kid);
        fake.Keys.Should().ContainSingle();
        var result = await ValidateAsync(fake, delivery.Token);
        result.IsValid.Should().BeFalse();
        result.Exception.Should().BeAssignableTo<SecurityTokenSignatureKeyNotFoundException>();
    }

    [Test]
    public async Task CreateTamperedPayloadDelivery_KeepsHeaderAndSignature_ButFailsValidation()
    {
        using var fake = NewFakeAtFixedTime();
        var genuine = Segments(fake.CreateDelivery("user.create").Token);

        var tampered = Segments(fake.CreateTamperedPayloadDelivery().Token);

        tampered[0].Should().Be(genuine[0]);
        tampered[2].Should().Be(genuine[2], "RS256 is deterministic, so the signature is the genuine token's");
        tampered[1].Should().NotBe(genuine[1]);
        JsonNode.Parse(DecodeSegment(tampered[1]))!["data"]!["tampered"]!.GetValue<bool>().Should().BeTrue();
        var result = await ValidateAsync(fake, string.Join('.', tampered), validateLifetime: false);
        result.IsValid.Should().BeFalse();
        result.Exception.Should().BeAssignableTo<SecurityTokenInvalidSignatureException>();
    }

    [Test]
    public async Task CreateTamperedSignatureDelivery_DiffersOnlyInSignature_AndFailsValidation()
    {
        using var fake = NewFakeAtFixedTime();
        var genuine = Segments(fake.CreateDelivery("user.create").Token);

        var tampered = Segments(fake.CreateTamperedSignatureDelivery().Token);

        tampered[0].Should().Be(genuine[0]);
        tampered[1].Should().Be(genuine[1]);
        var diff = Base64UrlEncoder.DecodeBytes(tampered[2]).Zip(Base64UrlEncoder.DecodeBytes(genuine[2]), (a, b) => a ^ b).Where(x => x != 0);
        diff.Should().Equal(1);
        (await ValidateAsync(fake, string.Join('.', tampered), validateLifetime: false)).IsValid.Should().BeFalse();
    }

    [Test]
    public async Task CreateAlgNoneDelivery_HasAlgNoneAndEmptySignature()
    {
        using var fake = new FakeHanko();

        var delivery = fake.CreateAlgNoneDelivery();

        DecodeSegment(Segments(delivery.Token)[0]).Should().Be($$"""{"alg":"none","kid":"{{fake.SigningKey.KeyId}}","typ":"JWT"}""");
        delivery.Token.Should().EndWith(".");
        Segments(delivery.Token)[2].Should().BeEmpty();
        (await ValidateAsync(fake, delivery.Token)).IsValid.Should().BeFalse();
    }

    [Test]
    public async Task CreateHs256WithPublicKeyDelivery_IsHmacKeyedWithThePublicModulus()
    {
        using var fake = new FakeHanko();

        var delivery = fake.CreateHs256WithPublicKeyDelivery();

        var segments = Segments(delivery.Token);
        Header(delivery)["alg"]!.GetValue<string>().Should().Be("HS256");
        Header(delivery)["kid"]!.GetValue<string>().Should().Be(fake.SigningKey.KeyId);
        var modulus = Base64UrlEncoder.DecodeBytes(new JsonWebKeySet(fake.GetJwksJson()).Keys[0].N);
        var expected = HMACSHA256.HashData(modulus, Encoding.ASCII.GetBytes(segments[0] + "." + segments[1]));
        Base64UrlEncoder.DecodeBytes(segments[2]).Should().Equal(expected);
        (await ValidateAsync(fake, delivery.Token)).IsValid.Should().BeFalse();
        (await ValidateAsync(fake, delivery.Token, algorithms: ["RS256", "HS256"])).IsValid.Should().BeFalse();
    }

    [Test]
    public void CreateTruncatedDelivery_TokenIsCutOff_BodyStillJson()
    {
        using var fake = NewFakeAtFixedTime();
        var genuine = fake.CreateDelivery("user.create").Token;

        var delivery = fake.CreateTruncatedDelivery();

        genuine.Should().StartWith(delivery.Token);
        delivery.Token.Length.Should().BeLessThan(genuine.Length);
        new JsonWebTokenHandler().CanReadToken(delivery.Token).Should().BeFalse();
        JsonDocument.Parse(delivery.Body).RootElement.GetProperty("token").GetString().Should().Be(delivery.Token);
    }

    [Test]
    public async Task CreateEventMismatchDelivery_BodyEventDiffersFromSignedEvt()
    {
        using var fake = new FakeHanko();

        var delivery = fake.CreateEventMismatchDelivery("user.create");
        var reverse = fake.CreateEventMismatchDelivery("user.delete");

        (await ValidateAsync(fake, delivery.Token)).IsValid.Should().BeTrue();
        Claims(delivery)["evt"]!.GetValue<string>().Should().Be("user.create");
        JsonDocument.Parse(delivery.Body).RootElement.GetProperty("event").GetString().Should().Be("user.delete");
        JsonDocument.Parse(reverse.Body).RootElement.GetProperty("event").GetString().Should().Be("user.create");
    }

    [Test]
    public void WithBody_ReplacesTheBodyOnly()
    {
        using var fake = new FakeHanko();
        var delivery = fake.CreateDelivery("user.create");

        var cut = delivery.WithBody(delivery.Body[..20]);

        cut.Token.Should().Be(delivery.Token);
        cut.Body.Should().Be(delivery.Body[..20]);
        cut.BodyBytes.Length.Should().Be(20);
    }

    [Test]
    public void GetPublicSecurityKey_VerifiesAGenuineSignature()
    {
        using var fake = new FakeHanko();
        var delivery = fake.CreateDelivery("user.create");
        var segments = Segments(delivery.Token);

        var key = fake.SigningKey.GetPublicSecurityKey();

        key.KeyId.Should().Be(fake.SigningKey.KeyId);
        using var rsa = RSA.Create(key.Parameters);
        rsa.VerifyData(
            Encoding.ASCII.GetBytes(segments[0] + "." + segments[1]),
            Base64UrlEncoder.DecodeBytes(segments[2]),
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1).Should().BeTrue();
    }
}
