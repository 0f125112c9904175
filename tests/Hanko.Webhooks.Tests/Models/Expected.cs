using System.Text.Json;

namespace Hanko.Webhooks.Tests.Models;

/// <summary>Hand-written expected values from the fixtures (not derived from the library's parsing).</summary>
internal static class Expected
{
    public static readonly Guid JaneId = new("9a38d246-c5e4-48e6-9714-e7ffbb48e6e1");
    public const string JaneIp = "203.0.113.42";
    public const string JaneUserAgent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Safari/537.36";
    public const string Picture = "https://lh3.googleusercontent.com/a/ACg8ocJ4nq2Yb7x0Vw1sPqzR8mT5kLdE3fH6gU9cXy2A=s96-c";
    public const string PublicMetadata = """{"role":"admin","plan":"pro"}""";
    public const string PrivateMetadata = """{"stripe_customer_id":"cus_QX7bN2kLm0Zp4r","internal_notes":["vip"]}""";
    public const string UnsafeMetadata = """{"theme":"dark","onboarding_completed":true}""";

    /// <summary>A UTC instant; <paramref name="fraction"/> is the fixture's fraction digits (truncated to 100 ns).</summary>
    public static DateTimeOffset At(int year, int month, int day, int hour, int minute, int second, string fraction = "")
        => new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero)
            .AddTicks(fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(7, '0')[..7], System.Globalization.CultureInfo.InvariantCulture));

    public static HankoWebAuthnCredential Passkey(DateTimeOffset? createdAt = null, DateTimeOffset? lastUsedAt = null, bool legacyNoMfaOnly = false) => new()
    {
        Id = "Oiyjsab8gDd1_WKbg5zyDPmx0II",
        Name = "iCloud Keychain",
        PublicKey = "pQECAyYgASFYIEsNIfJIO7y0NbLEgQH-QDIkqk2lIj6tVf7esNA74HFRIlgg9AggkK1Ijrwq79bUVUFBhCqCtXkNiItvQkrmD6AY_qE",
        AttestationType = "none",
        Aaguid = new Guid("fbfc3007-154e-4ecc-8c0b-6e020557d7bd"),
        LastUsedAt = lastUsedAt ?? At(2026, 8, 14, 10, 15, 28, "877201"),
        CreatedAt = createdAt ?? At(2026, 3, 2, 8, 17, 19, "118406"),
        Transports = ["hybrid", "internal"],
        BackupEligible = true,
        BackupState = true,
        MfaOnly = false,
    };

    public static HankoWebAuthnCredential SecurityKey(DateTimeOffset? createdAt = null, DateTimeOffset? lastUsedAt = null) => new()
    {
        Id = "XkWXIhFabsfdF18OCx8dj90YGgUEZupwUElS50ADEpednHc40BP72xHh2bEWBvbWZvjodm3KzdGJfhdN3_8tZw",
        Name = null,
        PublicKey = "pQECAyYgASFYIJiXxsrD1Zsb1ux0NmCNUjZN21s3FgugbiYbpk57jCjYIlggOaHXmTYtMRDFnXQkogQAf-eCTgPpgs6_KYCAumFhJ6M",
        AttestationType = "packed",
        Aaguid = Guid.Empty,
        LastUsedAt = lastUsedAt,
        CreatedAt = createdAt ?? At(2026, 6, 15, 10, 16, 47, "0053"),
        Transports = ["nfc", "usb"],
        BackupEligible = false,
        BackupState = false,
        MfaOnly = true,
    };

    public static HankoEmail JaneEmail(bool isPrimary = true, DateTimeOffset? at = null) => new()
    {
        Id = new Guid("5c8b6264-08ac-47ad-bc49-fe4285d7f80c"),
        Address = "jane.doe@example.com",
        IsVerified = true,
        IsPrimary = isPrimary,
        CreatedAt = at ?? At(2026, 3, 2, 8, 17, 17, "48712"),
        UpdatedAt = at ?? At(2026, 3, 2, 8, 17, 17, "48712"),
    };

    public static HankoEmail WorkEmail(bool isPrimary = false) => new()
    {
        Id = new Guid("dd1b9f45-cc95-415b-81bf-5712d7becaa6"),
        Address = "jane@work.example.org",
        IsVerified = true,
        IsPrimary = isPrimary,
        CreatedAt = At(2026, 7, 5, 11, 10, 52, "06153"),
        UpdatedAt = At(2026, 7, 5, 11, 10, 52, "06153"),
    };

    public static HankoUsername Username() => new()
    {
        Id = new Guid("845eb320-b23c-4b1c-aecd-0d1295a0433d"),
        Username = "janedoe",
        CreatedAt = At(2026, 3, 2, 8, 17, 18, "002047"),
        UpdatedAt = At(2026, 8, 2, 10, 30, 31, "7334"),
    };

    public static HankoPasswordCredential Password(bool hasTenant = true) => new()
    {
        Id = new Guid("ef695f28-2784-479b-9ab3-53691e348de1"),
        TenantId = hasTenant ? new Guid("00000000-0000-0000-0000-000000000001") : null,
        CreatedAt = At(2026, 3, 2, 8, 17, 18, "011958"),
        UpdatedAt = At(2026, 8, 11, 8, 52, 10, "95"),
    };

    public static HankoIdentity Google() => new()
    {
        Id = new Guid("3353d99c-0a10-4ca2-be9c-8f20420e0a01"),
        ProviderUserId = "104623987465123456789",
        ProviderName = "google",
        EmailId = new Guid("dd1b9f45-cc95-415b-81bf-5712d7becaa6"),
        CreatedAt = At(2026, 7, 5, 11, 10, 52),
        UpdatedAt = At(2026, 8, 13, 10, 15, 30, "402"),
    };

    public static HankoOtpCredential Otp() => new()
    {
        Id = new Guid("04153ed7-e5a5-4925-ae7a-bc14224cc4fd"),
        CreatedAt = At(2026, 5, 16, 10, 17, 30, "304811"),
    };

    /// <summary>Jane as in <c>user.login.json</c>, where every admin.User field is set (metadata checked separately).</summary>
    public static HankoUser JaneAtLogin() => new()
    {
        Id = JaneId,
        WebAuthnCredentials = [Passkey(), SecurityKey()],
        Emails = [JaneEmail(), WorkEmail()],
        Username = Username(),
        CreatedAt = At(2026, 3, 2, 8, 17, 17, "482913"),
        UpdatedAt = At(2026, 8, 14, 10, 15, 29, "90311"),
        Password = Password(),
        Identities = [Google()],
        Otp = Otp(),
        IpAddress = JaneIp,
        UserAgent = JaneUserAgent,
        GivenName = "Jane",
        FamilyName = "Doe",
        Name = "Jane Doe",
        Picture = Picture,
    };

    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
