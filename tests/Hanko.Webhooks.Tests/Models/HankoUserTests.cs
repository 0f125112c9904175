using System.Text.Json;
using FluentAssertions;
using Hanko.Webhooks.Serialization;
using Hanko.Webhooks.Tests.TestSupport;
using NUnit.Framework;
using static Hanko.Webhooks.Tests.Models.Expected;

namespace Hanko.Webhooks.Tests.Models;

/// <summary>The <c>user.*</c> fixtures against hand-written expected users.</summary>
[TestFixture]
public sealed class HankoUserTests
{
    private static HankoUser Read(string file) => HankoPayloadSerializer.DeserializeUser(Fixtures.Data(file));

    private static void ShouldMatch(HankoUser actual, HankoUser expected)
        => actual.Should().BeEquivalentTo(expected, o => o.Excluding(u => u.Metadata).WithStrictOrdering());

    private static void ShouldHaveJanesMetadata(HankoUser actual)
    {
        actual.Metadata.Should().NotBeNull();
        JsonElement.DeepEquals(actual.Metadata!.Public!.Value, Expected.Json(PublicMetadata)).Should().BeTrue();
        JsonElement.DeepEquals(actual.Metadata.Private!.Value, Expected.Json(PrivateMetadata)).Should().BeTrue();
        JsonElement.DeepEquals(actual.Metadata.Unsafe!.Value, Expected.Json(UnsafeMetadata)).Should().BeTrue();
    }

    [Test]
    public void DeserializeUser_UserLogin_EveryFieldMatches()
    {
        var user = Read("user.login.json");

        user.Id.Should().Be(JaneId);
        user.WebAuthnCredentials.Should().HaveCount(2);
        var passkey = user.WebAuthnCredentials[0];
        passkey.Id.Should().Be("Oiyjsab8gDd1_WKbg5zyDPmx0II");
        passkey.Name.Should().Be("iCloud Keychain");
        passkey.PublicKey.Should().Be("pQECAyYgASFYIEsNIfJIO7y0NbLEgQH-QDIkqk2lIj6tVf7esNA74HFRIlgg9AggkK1Ijrwq79bUVUFBhCqCtXkNiItvQkrmD6AY_qE");
        passkey.AttestationType.Should().Be("none");
        passkey.Aaguid.Should().Be(new Guid("fbfc3007-154e-4ecc-8c0b-6e020557d7bd"));
        passkey.LastUsedAt.Should().Be(new DateTimeOffset(2026, 8, 14, 10, 15, 28, TimeSpan.Zero).AddTicks(8_772_010));
        passkey.CreatedAt.Should().Be(new DateTimeOffset(2026, 3, 2, 8, 17, 19, TimeSpan.Zero).AddTicks(1_184_060));
        passkey.Transports.Should().Equal("hybrid", "internal");
        passkey.BackupEligible.Should().BeTrue();
        passkey.BackupState.Should().BeTrue();
        passkey.MfaOnly.Should().BeFalse();
        var securityKey = user.WebAuthnCredentials[1];
        securityKey.Name.Should().BeNull("the second credential leaves out name");
        securityKey.LastUsedAt.Should().BeNull("the second credential leaves out last_used_at");
        securityKey.Aaguid.Should().Be(Guid.Empty);
        securityKey.Transports.Should().Equal("nfc", "usb");
        securityKey.MfaOnly.Should().BeTrue();

        user.Emails.Select(e => e.Address).Should().Equal("jane.doe@example.com", "jane@work.example.org");
        user.PrimaryEmail!.Id.Should().Be(new Guid("5c8b6264-08ac-47ad-bc49-fe4285d7f80c"));
        user.Username!.Username.Should().Be("janedoe");
        user.CreatedAt.Should().Be(new DateTimeOffset(2026, 3, 2, 8, 17, 17, TimeSpan.Zero).AddTicks(4_829_130));
        user.UpdatedAt.Should().Be(new DateTimeOffset(2026, 8, 14, 10, 15, 29, TimeSpan.Zero).AddTicks(9_031_100));
        user.Password!.TenantId.Should().Be(new Guid("00000000-0000-0000-0000-000000000001"));
        var identity = user.Identities.Should().ContainSingle().Subject;
        identity.ProviderUserId.Should().Be("104623987465123456789", "provider_id is the user's id AT the provider");
        identity.ProviderName.Should().Be("google", "provider_name is the provider key");
        identity.EmailId.Should().Be(new Guid("dd1b9f45-cc95-415b-81bf-5712d7becaa6"));
        identity.CreatedAt.Should().Be(new DateTimeOffset(2026, 7, 5, 11, 10, 52, TimeSpan.Zero), "a time without a fraction parses");
        user.Otp!.Id.Should().Be(new Guid("04153ed7-e5a5-4925-ae7a-bc14224cc4fd"));
        user.IpAddress.Should().Be("203.0.113.42");
        user.UserAgent.Should().Be(JaneUserAgent);
        user.GivenName.Should().Be("Jane");
        user.FamilyName.Should().Be("Doe");
        user.Name.Should().Be("Jane Doe");
        user.Picture.Should().Be(Picture);
        ShouldHaveJanesMetadata(user);
        ShouldMatch(user, JaneAtLogin());
    }

    [Test]
    public void DeserializeUser_UserCreate_IsABrandNewUserWithoutIdentitiesOrNames()
    {
        var user = Read("user.create.json");

        ShouldMatch(user, new HankoUser
        {
            Id = JaneId,
            WebAuthnCredentials =
            [
                Passkey(createdAt: At(2026, 8, 14, 10, 15, 29, "452871"), lastUsedAt: At(2026, 8, 14, 10, 15, 29, "452871")),
                SecurityKey(createdAt: At(2026, 8, 14, 10, 15, 29, "455002"), lastUsedAt: At(2026, 8, 14, 10, 15, 29, "455002")),
            ],
            Emails = [JaneEmail(at: At(2026, 8, 14, 10, 15, 29, "440213"))],
            Username = new HankoUsername
            {
                Id = Username().Id,
                Username = "janedoe",
                CreatedAt = At(2026, 8, 14, 10, 15, 29, "44733"),
                UpdatedAt = At(2026, 8, 14, 10, 15, 29, "44733"),
            },
            CreatedAt = At(2026, 8, 14, 10, 15, 29, "438119"),
            UpdatedAt = At(2026, 8, 14, 10, 15, 29, "438119"),
            Password = new HankoPasswordCredential
            {
                Id = Password().Id,
                TenantId = Password().TenantId,
                CreatedAt = At(2026, 8, 14, 10, 15, 29, "449817"),
                UpdatedAt = At(2026, 8, 14, 10, 15, 29, "449817"),
            },
            Otp = new HankoOtpCredential { Id = Otp().Id, CreatedAt = At(2026, 8, 14, 10, 15, 29, "451106") },
            IpAddress = JaneIp,
            UserAgent = JaneUserAgent,
        });
        user.Identities.Should().BeEmpty();
        user.Metadata.Should().BeNull();
        user.GivenName.Should().BeNull();
        user.Picture.Should().BeNull();
    }

    [Test]
    public void DeserializeUser_UserDelete_HasNoIpAddressOrUserAgent()
    {
        var user = Read("user.delete.json");

        var expected = JaneAtLogin();
        ShouldMatch(user, new HankoUser
        {
            Id = expected.Id,
            WebAuthnCredentials = expected.WebAuthnCredentials,
            Emails = expected.Emails,
            Username = expected.Username,
            CreatedAt = expected.CreatedAt,
            UpdatedAt = expected.UpdatedAt,
            Password = expected.Password,
            Identities = expected.Identities,
            Otp = expected.Otp,
            IpAddress = null,
            UserAgent = null,
            GivenName = "Jane",
            FamilyName = "Doe",
            Name = "Jane Doe",
            Picture = Picture,
        });
        ShouldHaveJanesMetadata(user);
    }

    [Test]
    public void DeserializeUser_UserUpdateEmailDelete_HasOneEmailAndNoIdentities()
    {
        var user = Read("user.update.email.delete.json");

        user.Emails.Should().BeEquivalentTo([JaneEmail()], o => o.WithStrictOrdering());
        user.Identities.Should().NotBeNull().And.BeEmpty("identities is absent on the wire");
        user.PrimaryEmail!.Address.Should().Be("jane.doe@example.com");
        user.Username.Should().BeEquivalentTo(Username());
        user.IpAddress.Should().Be(JaneIp);
        ShouldHaveJanesMetadata(user);
    }

    [Test]
    public void DeserializeUser_UserUpdateUsernameDelete_HasNoUsername()
    {
        var user = Read("user.update.username.delete.json");

        user.Username.Should().BeNull();
        user.Emails.Should().HaveCount(2);
        user.Identities.Should().ContainSingle();
        user.Password.Should().BeEquivalentTo(Password());
    }

    [Test]
    public void DeserializeUser_UserUpdateEmailPrimary_PrimaryMovedToSecondEmail()
    {
        var user = Read("user.update.email.primary.json");

        user.Emails.Should().BeEquivalentTo([JaneEmail(isPrimary: false), WorkEmail(isPrimary: true)], o => o.WithStrictOrdering());
        user.PrimaryEmail!.Address.Should().Be("jane@work.example.org");
    }

    [Test]
    public void DeserializeUser_UserUpdateEmailCreate_HasThreeEmailsAndIpv6Address()
    {
        var user = Read("user.update.email.create.json");

        user.Emails.Should().HaveCount(3);
        user.Emails[2].Should().BeEquivalentTo(new HankoEmail
        {
            Id = new Guid("ccd7d999-0f08-4e8d-92e5-a7c8a419e4d1"),
            Address = "j.doe@personal.example.net",
            IsVerified = true,
            IsPrimary = false,
            CreatedAt = At(2026, 8, 14, 10, 15, 29, "780044"),
            UpdatedAt = At(2026, 8, 14, 10, 15, 29, "780044"),
        });
        user.IpAddress.Should().Be("2001:db8:4f2a::1c");
        user.UserAgent.Should().Be("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:141.0) Gecko/20100101 Firefox/141.0");
    }

    [Test]
    public void DeserializeUser_UserUpdate_HasNanosecondUpdatedAtAndNoIpAddress()
    {
        var user = Read("user.update.json");

        // 2026-08-14T10:15:29.121874509Z: 9 digits, kept to 100 ns (truncated).
        user.UpdatedAt.Should().Be(new DateTimeOffset(2026, 8, 14, 10, 15, 29, TimeSpan.Zero).AddTicks(1_218_745));
        user.Emails[1].UpdatedAt.Should().Be(At(2026, 8, 14, 10, 15, 29, "1182"));
        user.IpAddress.Should().BeNull();
        user.UserAgent.Should().BeNull();
    }

    [Test]
    public void DeserializeUser_UserUpdatePasswordUpdate_HasNewPasswordUpdatedAt()
        => Read("user.update.password.update.json").Password!.UpdatedAt.Should().Be(At(2026, 8, 14, 10, 15, 29, "03129"));

    [Test]
    public void DeserializeUser_UserUpdateUsernameCreate_HasNewUsername()
        => Read("user.update.username.create.json").Username.Should().BeEquivalentTo(new HankoUsername
        {
            Id = Username().Id,
            Username = "janedoe",
            CreatedAt = At(2026, 8, 14, 10, 15, 29, "06612"),
            UpdatedAt = At(2026, 8, 14, 10, 15, 29, "06612"),
        });

    [Test]
    public void DeserializeUser_UserUpdateUsernameUpdate_HasRenamedUsername()
        => Read("user.update.username.update.json").Username.Should().BeEquivalentTo(new HankoUsername
        {
            Id = Username().Id,
            Username = "jane_doe",
            CreatedAt = At(2026, 3, 2, 8, 17, 18, "002047"),
            UpdatedAt = At(2026, 8, 14, 10, 15, 29, "251777"),
        });

    [Test]
    public void DeserializeUser_LegacyV010_HasOnlyTheFiveOriginalFields()
    {
        var user = Read("legacy/user.create.v0.10.json");

        ShouldMatch(user, new HankoUser
        {
            Id = JaneId,
            WebAuthnCredentials = [Passkey()],
            Emails = [JaneEmail()],
            CreatedAt = At(2026, 3, 2, 8, 17, 17, "482913"),
            UpdatedAt = At(2024, 9, 13, 10, 15, 30, "0012"),
        });
        user.WebAuthnCredentials[0].MfaOnly.Should().BeFalse("mfa_only is absent before v1.3.0");
        user.Username.Should().BeNull();
        user.Password.Should().BeNull();
        user.Identities.Should().BeEmpty();
        user.Otp.Should().BeNull();
        user.Metadata.Should().BeNull();
    }

    [Test]
    public void DeserializeUser_LegacyV13_OtpNullAndNoTenantId()
    {
        var user = Read("legacy/user.create.v1.3.json");

        var login = JaneAtLogin();
        ShouldMatch(user, new HankoUser
        {
            Id = JaneId,
            WebAuthnCredentials = login.WebAuthnCredentials,
            Emails = login.Emails,
            Username = Username(),
            CreatedAt = login.CreatedAt,
            UpdatedAt = login.UpdatedAt,
            Password = Password(hasTenant: false),
            Identities = [Google()],
            Otp = null,
        });
        user.Password!.TenantId.Should().BeNull();
        user.Otp.Should().BeNull("\"otp\": null");
        user.IpAddress.Should().BeNull();
        user.Metadata.Should().BeNull();
    }

    [Test]
    public void DeserializeUser_LegacyV20_HasIpAddressButNoMetadataOrNames()
    {
        var user = Read("legacy/user.login.v2.0.json");

        var login = JaneAtLogin();
        ShouldMatch(user, new HankoUser
        {
            Id = JaneId,
            WebAuthnCredentials = login.WebAuthnCredentials,
            Emails = login.Emails,
            Username = Username(),
            CreatedAt = login.CreatedAt,
            UpdatedAt = login.UpdatedAt,
            Password = Password(hasTenant: false),
            Identities = [Google()],
            Otp = null,
            IpAddress = JaneIp,
            UserAgent = JaneUserAgent,
        });
        user.Metadata.Should().BeNull();
        user.GivenName.Should().BeNull();
    }
}
