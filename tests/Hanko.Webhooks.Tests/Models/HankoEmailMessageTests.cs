using FluentAssertions;
using Hanko.Webhooks.Serialization;
using Hanko.Webhooks.Tests.TestSupport;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Models;

/// <summary>The <c>email.send</c> fixtures: envelope fields, <c>type</c> → data class, and every data field.</summary>
[TestFixture]
public sealed class HankoEmailMessageTests
{
    private const string Jane = "jane.doe@example.com";

    private static HankoEmailMessage Read(string file) => HankoPayloadSerializer.DeserializeEmailMessage(Fixtures.Data(file));

    // file, type, subject, to, delivered_by_hanko, accept_language, language, body_plain length, body length (0 = absent)
    [TestCase("email.send.passcode.json", "login", "Use passcode 482913 to login to your account", Jane, false, "en", "en", 99, 1325)]
    [TestCase("email.send.email_verification.json", "email_verification", "Use passcode 731046 to verify your email address", "j.doe@personal.example.net", false, "en", "en", 104, 1334)]
    [TestCase("email.send.recovery.json", "recovery", "Use passcode 095527 to recover your account", Jane, true, "en", "en", 96, 1321)]
    [TestCase("email.send.email_login_attempted.json", "email_login_attempted", "Provided email address is not recognized", "unknown.person@example.com", false, "en", "en", 133, 1245)]
    [TestCase("email.send.email_registration_attempted.json", "email_registration_attempted", "Provided email address already taken", Jane, true, "en", "en", 146, 1254)]
    [TestCase("email.send.security_notification.json", "security_notification", "Your primary email address has been updated", Jane, false, "", "en", 122, 1194)]
    [TestCase("email.send.security_notification.email_create.json", "security_notification", "A new email address has been added", Jane, false, "", "en", 87, 1159)]
    [TestCase("email.send.security_notification.email_delete.json", "security_notification", "An email address has been removed", Jane, true, "", "en", 86, 1158)]
    [TestCase("email.send.security_notification.password_update.json", "security_notification", "Your password has been updated", Jane, false, "", "en", 58, 1130)]
    [TestCase("legacy/email.send.passcode.v1.3.json", "passcode", "Use passcode 482913 to login to your account", Jane, false, "de-DE,de;q=0.9,en;q=0.8", null, 99, 0)]
    [TestCase("legacy/email.send.email_login_attempted.v2.1.json", "email_login_attempted", "Provided email address is not recognized", "unknown.person@example.com", false, "en", "en", 133, 1245)]
    public void DeserializeEmailMessage_Fixture_EnvelopeFieldsMatch(
        string file, string type, string subject, string to, bool delivered, string acceptLanguage, string? language, int bodyPlainLength, int bodyLength)
    {
        var message = Read(file);

        message.Type.Should().Be(type);
        message.Subject.Should().Be(subject);
        message.ToEmailAddress.Should().Be(to);
        message.DeliveredByHanko.Should().Be(delivered);
        message.AcceptLanguage.Should().Be(acceptLanguage);
        message.Language.Should().Be(language);
        message.BodyPlain.Should().HaveLength(bodyPlainLength);
        if (bodyLength == 0)
        {
            message.Body.Should().BeNull("body is absent before v1.5.0");
        }
        else
        {
            message.Body.Should().HaveLength(bodyLength).And.StartWith("<!DOCTYPE html>").And.EndWith("</html>");
        }
    }

    [Test]
    public void DeserializeEmailMessage_Login_BodiesAreDecoded()
    {
        var message = Read("email.send.passcode.json");

        message.BodyPlain.Should().Be("Enter the following passcode to verify your identity:\n\n482913\n\nThe passcode is valid for 5 minutes.");
        message.Body.Should().Contain("<title>Use passcode 482913 to login to your account</title>")
            .And.Contain("<div style=\"font-size: 34px; font-weight: 500; letter-spacing: 3.4px; margin: 20px 0 20px 0;\">482913</div>");
    }

    // file, otp_code, valid_until as UTC (year, month, day, hour, minute, second)
    [TestCase("email.send.passcode.json", "482913", 2026, 8, 14, 10, 20, 59)]
    [TestCase("email.send.email_verification.json", "731046", 2026, 8, 14, 10, 21, 1)]
    [TestCase("email.send.recovery.json", "095527", 2026, 8, 14, 10, 21, 3)]
    [TestCase("legacy/email.send.passcode.v1.3.json", "482913", 2025, 7, 10, 10, 20, 29)]
    [TestCase("legacy/email.send.email_login_attempted.v2.1.json", "660412", 2026, 1, 26, 10, 20, 29)]
    public void DeserializeEmailMessage_PasscodeFixture_DataHasEveryField(
        string file, string otpCode, int year, int month, int day, int hour, int minute, int second)
    {
        var message = Read(file);

        var data = message.Data.Should().BeOfType<PasscodeEmailData>().Subject;
        data.ServiceName.Should().Be("Acme Cloud");
        data.OtpCode.Should().Be(otpCode, "the code stays a string, leading zeros included");
        data.Ttl.Should().Be(TimeSpan.FromSeconds(300));
        data.ValidUntil.Should().Be(new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero));
        data.ValidUntil!.Value.Offset.Should().Be(TimeSpan.Zero);
    }

    [TestCase("email.send.email_login_attempted.json")]
    [TestCase("email.send.email_registration_attempted.json")]
    public void DeserializeEmailMessage_AttemptedFixture_DataHasOnlyServiceName(string file)
    {
        var data = Read(file).Data.Should().BeOfType<PasscodeEmailData>().Subject;

        data.ServiceName.Should().Be("Acme Cloud");
        data.OtpCode.Should().BeNull();
        data.Ttl.Should().BeNull();
        data.ValidUntil.Should().BeNull();
    }

    // file, template, new_email_address, old_email_address, deleted_email_address
    [TestCase("email.send.security_notification.json", "primary_email_update", "jane@work.example.org", "jane.doe@example.com", null)]
    [TestCase("email.send.security_notification.email_create.json", "email_create", "j.doe@personal.example.net", null, null)]
    [TestCase("email.send.security_notification.email_delete.json", "email_delete", null, null, "jane@work.example.org")]
    [TestCase("email.send.security_notification.password_update.json", "password_update", null, null, null)]
    public void DeserializeEmailMessage_SecurityNotificationFixture_DataHasEveryField(
        string file, string template, string? newAddress, string? oldAddress, string? deletedAddress)
    {
        var message = Read(file);

        var data = message.Data.Should().BeOfType<SecurityNotificationEmailData>().Subject;
        data.Template.Should().Be(template);
        data.ServiceName.Should().Be("Acme Cloud");
        data.NewEmailAddress.Should().Be(newAddress);
        data.OldEmailAddress.Should().Be(oldAddress);
        data.DeletedEmailAddress.Should().Be(deletedAddress);
    }

    [Test]
    public void Constants_WireStrings_MatchHanko()
    {
        new[]
        {
            HankoEmailTypes.Login, HankoEmailTypes.Recovery, HankoEmailTypes.EmailVerification,
            HankoEmailTypes.EmailLoginAttempted, HankoEmailTypes.EmailRegistrationAttempted,
            HankoEmailTypes.SecurityNotification, HankoEmailTypes.Passcode,
        }.Should().Equal(
            "login", "recovery", "email_verification", "email_login_attempted", "email_registration_attempted",
            "security_notification", "passcode");
        new[]
        {
            HankoSecurityNotificationTemplates.PasswordUpdate, HankoSecurityNotificationTemplates.PrimaryEmailUpdate,
            HankoSecurityNotificationTemplates.EmailCreate, HankoSecurityNotificationTemplates.EmailDelete,
            HankoSecurityNotificationTemplates.PasskeyCreate, HankoSecurityNotificationTemplates.MfaCreate,
            HankoSecurityNotificationTemplates.MfaDelete,
        }.Should().Equal(
            "password_update", "primary_email_update", "email_create", "email_delete", "passkey_create", "mfa_create", "mfa_delete");
    }
}
