using System.Text;
using System.Text.Json;
using FluentAssertions;
using Hanko.Webhooks.Serialization;
using Hanko.Webhooks.Tests.TestSupport;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Models;

/// <summary>Edge cases of the facade: unknown fields and types, key order, time formats, nulls, malformed input.</summary>
[TestFixture]
public sealed class HankoPayloadSerializerTests
{
    private static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    [Test]
    public void DeserializeUser_UnknownFieldsEverywhere_AreIgnored()
    {
        var json = """
            {"future_flag":true,"id":"9a38d246-c5e4-48e6-9714-e7ffbb48e6e1","nested_future":{"a":[1,{"b":null}]},
             "emails":[{"id":"5c8b6264-08ac-47ad-bc49-fe4285d7f80c","address":"a@example.com","is_verified":true,
                        "is_primary":true,"created_at":"2026-03-02T08:17:17Z","updated_at":"2026-03-02T08:17:17Z","label":"x"}],
             "created_at":"2026-03-02T08:17:17Z","updated_at":"2026-03-02T08:17:17Z"}
            """;

        var user = HankoPayloadSerializer.DeserializeUser(Utf8(json));

        user.Id.Should().Be(new Guid("9a38d246-c5e4-48e6-9714-e7ffbb48e6e1"));
        user.PrimaryEmail!.Address.Should().Be("a@example.com");
    }

    [Test]
    public void DeserializeUser_MinimalObject_CollectionsAreEmptyNotNull()
    {
        var user = HankoPayloadSerializer.DeserializeUser(Utf8("""{"id":"9a38d246-c5e4-48e6-9714-e7ffbb48e6e1"}"""));

        user.WebAuthnCredentials.Should().NotBeNull().And.BeEmpty();
        user.Emails.Should().NotBeNull().And.BeEmpty();
        user.Identities.Should().NotBeNull().And.BeEmpty();
        user.PrimaryEmail.Should().BeNull();
        user.Username.Should().BeNull();
        user.Otp.Should().BeNull();
    }

    [Test]
    public void DeserializeUser_ExplicitNullCollectionsAndStrings_BecomeEmpty()
    {
        var json = """
            {"id":"9a38d246-c5e4-48e6-9714-e7ffbb48e6e1","emails":null,"identities":null,
             "webauthn_credentials":[{"id":null,"public_key":null,"attestation_type":null,"aaguid":"00000000-0000-0000-0000-000000000000",
             "created_at":"2026-03-02T08:17:17Z","transports":null,"backup_eligible":false,"backup_state":false}]}
            """;

        var user = HankoPayloadSerializer.DeserializeUser(Utf8(json));

        user.Emails.Should().BeEmpty();
        user.Identities.Should().BeEmpty();
        var credential = user.WebAuthnCredentials.Should().ContainSingle().Subject;
        credential.Id.Should().BeEmpty();
        credential.PublicKey.Should().BeEmpty();
        credential.AttestationType.Should().BeEmpty();
        credential.Transports.Should().NotBeNull().And.BeEmpty();
    }

    [Test]
    public void DeserializeUser_OtpNull_IsNull()
        => HankoPayloadSerializer.DeserializeUser(Utf8("""{"id":"9a38d246-c5e4-48e6-9714-e7ffbb48e6e1","otp":null}"""))
            .Otp.Should().BeNull();

    [Test]
    public void DeserializeUser_IdentityEmailIdNull_IsNull()
    {
        var json = """
            {"id":"9a38d246-c5e4-48e6-9714-e7ffbb48e6e1","identities":[{"id":"3353d99c-0a10-4ca2-be9c-8f20420e0a01",
             "provider_id":"sub-1","provider_name":"custom_acme","email_id":null,
             "created_at":"2026-07-05T11:10:52Z","updated_at":"2026-07-05T11:10:52Z"}]}
            """;

        var identity = HankoPayloadSerializer.DeserializeUser(Utf8(json)).Identities.Should().ContainSingle().Subject;

        identity.EmailId.Should().BeNull();
        identity.ProviderUserId.Should().Be("sub-1");
        identity.ProviderName.Should().Be("custom_acme");
    }

    [Test]
    public void DeserializeUser_NineDigitFractionAndOffset_Parse()
    {
        var json = """
            {"id":"9a38d246-c5e4-48e6-9714-e7ffbb48e6e1","created_at":"2026-08-14T10:15:29.121874509Z",
             "updated_at":"2026-08-14T12:15:29.121874509+02:00"}
            """;

        var user = HankoPayloadSerializer.DeserializeUser(Utf8(json));

        user.CreatedAt.Should().Be(new DateTimeOffset(2026, 8, 14, 10, 15, 29, TimeSpan.Zero).AddTicks(1_218_745));
        user.CreatedAt.Offset.Should().Be(TimeSpan.Zero);
        user.UpdatedAt.Offset.Should().Be(TimeSpan.FromHours(2));
        user.UpdatedAt.Should().Be(user.CreatedAt, "the same instant written with +02:00");
    }

    [Test]
    public void DeserializeUser_Metadata_KeepsArbitraryJson()
    {
        var json = """
            {"id":"9a38d246-c5e4-48e6-9714-e7ffbb48e6e1","metadata":{"public_metadata":{"tier":3},"unsafe_metadata":[1,"x"]}}
            """;

        var metadata = HankoPayloadSerializer.DeserializeUser(Utf8(json)).Metadata!;

        metadata.Public!.Value.GetProperty("tier").GetInt32().Should().Be(3);
        metadata.Private.Should().BeNull();
        metadata.Unsafe!.Value.ValueKind.Should().Be(JsonValueKind.Array);
        metadata.Unsafe.Value.GetArrayLength().Should().Be(2);
    }

    [Test]
    public void DeserializeEmailMessage_DataBeforeType_DispatchesOnType()
    {
        var json = """
            {"data":{"service_name":"Acme","otp_code":"007","ttl":60,"valid_until":1786702859,"extra":{"x":[1]}},
             "subject":"s","type":"recovery","body_plain":"p","to_email_address":"a@example.com",
             "delivered_by_hanko":true,"accept_language":"de","language":"de"}
            """;

        var message = HankoPayloadSerializer.DeserializeEmailMessage(Utf8(json));

        message.Type.Should().Be(HankoEmailTypes.Recovery);
        message.Subject.Should().Be("s");
        message.BodyPlain.Should().Be("p");
        message.ToEmailAddress.Should().Be("a@example.com");
        message.DeliveredByHanko.Should().BeTrue();
        message.Language.Should().Be("de");
        var data = (PasscodeEmailData)message.Data;
        data.OtpCode.Should().Be("007");
        data.Ttl.Should().Be(TimeSpan.FromMinutes(1));
        data.ValidUntil.Should().Be(new DateTimeOffset(2026, 8, 14, 10, 20, 59, TimeSpan.Zero));
    }

    [Test]
    public void DeserializeEmailMessage_DataBeforeSecurityType_DispatchesOnType()
    {
        var json = """
            {"data":{"template":"mfa_delete","service_name":"Acme"},"type":"security_notification","subject":"s",
             "body_plain":"p","to_email_address":"a@example.com","delivered_by_hanko":false,"accept_language":""}
            """;

        var data = (SecurityNotificationEmailData)HankoPayloadSerializer.DeserializeEmailMessage(Utf8(json)).Data;

        data.Template.Should().Be(HankoSecurityNotificationTemplates.MfaDelete);
        data.ServiceName.Should().Be("Acme");
    }

    [TestCase(true)]
    [TestCase(false)]
    public void DeserializeEmailMessage_UnknownType_KeepsRawData(bool dataFirst)
    {
        const string data = """{"magic_link":"https://example.com/x","nested":{"n":[1,2]}}""";
        var json = dataFirst
            ? $$"""{"data":{{data}},"type":"magic_link","subject":"s","future":1}"""
            : $$"""{"type":"magic_link","subject":"s","future":1,"data":{{data}}}""";

        var message = HankoPayloadSerializer.DeserializeEmailMessage(Utf8(json));

        message.Type.Should().Be("magic_link");
        message.Subject.Should().Be("s");
        var unknown = message.Data.Should().BeOfType<UnknownEmailData>().Subject;
        JsonElement.DeepEquals(unknown.Raw, Expected.Json(data)).Should().BeTrue();
        message.Data.Should().NotBeAssignableTo<PasscodeEmailData>().And.NotBeAssignableTo<SecurityNotificationEmailData>();
    }

    [Test]
    public void DeserializeEmailMessage_NoData_GivesEmptyDataOfTheType()
    {
        HankoPayloadSerializer.DeserializeEmailMessage(Utf8("""{"type":"login"}""")).Data.Should().BeOfType<PasscodeEmailData>();
        HankoPayloadSerializer.DeserializeEmailMessage(Utf8("""{"type":"login","data":null}""")).Data.Should().BeOfType<PasscodeEmailData>();
        HankoPayloadSerializer.DeserializeEmailMessage(Utf8("""{"type":"whatever"}""")).Data.Should().BeOfType<UnknownEmailData>()
            .Which.Raw.ValueKind.Should().Be(JsonValueKind.Undefined);
        HankoPayloadSerializer.DeserializeEmailMessage(Utf8("{}")).Type.Should().BeEmpty();
    }

    [Test]
    public void DeserializeEmailMessage_Fixture_RoundTripsThroughWrite()
    {
        var message = HankoPayloadSerializer.DeserializeEmailMessage(Fixtures.Data("email.send.security_notification.json"));

        var written = JsonSerializer.SerializeToUtf8Bytes(message, HankoJsonContext.Default.HankoEmailMessage);
        var again = HankoPayloadSerializer.DeserializeEmailMessage(written);

        again.Should().BeEquivalentTo(message);
        JsonElement.DeepEquals(Expected.Json(Encoding.UTF8.GetString(written)), Fixtures.DataElement("email.send.security_notification.json"))
            .Should().BeTrue("every key of the fixture is written back with the same value");
    }

    private static IEnumerable<TestCaseData> Malformed()
    {
        foreach (var json in new[] { "[]", "null", """{"id":"not-a-guid"}""", "", "{", "\"x\"", "42", """{"id":"9a38d246-c5e4-48e6-9714-e7ffbb48e6e1","created_at":"yesterday"}""" })
        {
            yield return new TestCaseData(json).SetArgDisplayNames(json.Length == 0 ? "<empty>" : json);
        }
    }

    [TestCaseSource(nameof(Malformed))]
    public void DeserializeUser_Malformed_ThrowsJsonException(string json)
        => FluentActions.Invoking(() => HankoPayloadSerializer.DeserializeUser(Utf8(json))).Should().Throw<JsonException>();

    [TestCaseSource(nameof(Malformed))]
    public void DeserializeSession_Malformed_ThrowsJsonException(string json)
        => FluentActions.Invoking(() => HankoPayloadSerializer.DeserializeSession(Utf8(json))).Should().Throw<JsonException>();

    [TestCase("[]")]
    [TestCase("null")]
    [TestCase("")]
    [TestCase("{")]
    [TestCase("42")]
    [TestCase("""{"subject":1}""")]
    [TestCase("""{"delivered_by_hanko":"yes"}""")]
    [TestCase("""{"type":"login","data":[]}""")]
    [TestCase("""{"type":"login","data":{"ttl":"300"}}""")]
    [TestCase("""{"type":"login","data":{"valid_until":1.5}}""")]
    [TestCase("""{"data":{"otp_code":5},"type":"login"}""")]
    [TestCase("""{"type":"security_notification","data":"x"}""")]
    public void DeserializeEmailMessage_Malformed_ThrowsJsonException(string json)
        => FluentActions.Invoking(() => HankoPayloadSerializer.DeserializeEmailMessage(Utf8(json))).Should().Throw<JsonException>();
}
