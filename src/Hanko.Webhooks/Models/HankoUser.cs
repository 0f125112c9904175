using System.Text.Json;
using System.Text.Json.Serialization;
using Hanko.Webhooks.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// A Hanko user, the <c>data</c> of every <c>user.*</c> event (Go <c>admin.User</c>).
/// </summary>
/// <remarks>
/// Most keys are left out by Hanko when empty (Go <c>omitempty</c>) and several appeared only in later server
/// versions, so collections default to empty and optional objects to <see langword="null"/>.
/// For <c>user.delete</c> this is the user as it was before the deletion.
/// </remarks>
public sealed class HankoUser
{
    // System.Text.Json reads and writes the internal fields below each property: the source generator sets fields
    // directly (its fast path), where init-only properties would send it down its constructor path (see BENCHMARKS.md).

    /// <summary>
    /// The user's id (wire <c>id</c>). Always sent. Any UUID version since Hanko v2.0.0. Since Hanko PR #2826 it is the
    /// tenant-scoped public id, which for newer users differs from <see cref="HankoSession.UserId"/> (the internal id): treat
    /// ids as opaque and do not join sessions to users on them.
    /// </summary>
    [JsonIgnore]
    public Guid Id { get => _id; init => _id = value; }

    [JsonInclude, JsonPropertyName("id")]
    internal Guid _id;

    /// <summary>The user's passkeys and security keys (wire <c>webauthn_credentials</c>). Absent on the wire when empty; then empty here.</summary>
    [JsonIgnore]
    public IReadOnlyList<HankoWebAuthnCredential> WebAuthnCredentials { get => _webAuthnCredentials ?? []; init => _webAuthnCredentials = HankoReadOnlyList.Copy(value); }

    [JsonInclude, JsonPropertyName("webauthn_credentials"), JsonConverter(typeof(HankoReadOnlyListConverter<HankoWebAuthnCredential>))]
    internal IReadOnlyList<HankoWebAuthnCredential>? _webAuthnCredentials;

    /// <summary>The user's email addresses, in Hanko's database order (wire <c>emails</c>). Absent on the wire when empty; then empty here.</summary>
    [JsonIgnore]
    public IReadOnlyList<HankoEmail> Emails { get => _emails ?? []; init => _emails = HankoReadOnlyList.Copy(value); }

    [JsonInclude, JsonPropertyName("emails"), JsonConverter(typeof(HankoReadOnlyListConverter<HankoEmail>))]
    internal IReadOnlyList<HankoEmail>? _emails;

    /// <summary>The user's username (wire <c>username</c>); <see langword="null"/> when the user has none (or before Hanko v1.0.1).</summary>
    [JsonIgnore]
    public HankoUsername? Username { get => _username; init => _username = value; }

    [JsonInclude, JsonPropertyName("username"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal HankoUsername? _username;

    /// <summary>When the user was created (wire <c>created_at</c>). Always sent.</summary>
    [JsonIgnore]
    public DateTimeOffset CreatedAt { get => _createdAt; init => _createdAt = value; }

    [JsonInclude, JsonPropertyName("created_at")]
    internal DateTimeOffset _createdAt;

    /// <summary>When the user last changed (wire <c>updated_at</c>). Always sent.</summary>
    [JsonIgnore]
    public DateTimeOffset UpdatedAt { get => _updatedAt; init => _updatedAt = value; }

    [JsonInclude, JsonPropertyName("updated_at")]
    internal DateTimeOffset _updatedAt;

    /// <summary>The user's password credential (wire <c>password</c>); <see langword="null"/> when the user has no password (or before Hanko v1.0.1).</summary>
    [JsonIgnore]
    public HankoPasswordCredential? Password { get => _password; init => _password = value; }

    [JsonInclude, JsonPropertyName("password"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal HankoPasswordCredential? _password;

    /// <summary>
    /// The user's third-party identities (wire <c>identities</c>). Absent on the wire when empty; then empty here.
    /// Hanko lists only identities linked to one of the user's <see cref="Emails"/>.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<HankoIdentity> Identities { get => _identities ?? []; init => _identities = HankoReadOnlyList.Copy(value); }

    [JsonInclude, JsonPropertyName("identities"), JsonConverter(typeof(HankoReadOnlyListConverter<HankoIdentity>))]
    internal IReadOnlyList<HankoIdentity>? _identities;

    /// <summary>
    /// The user's authenticator-app (TOTP) credential (wire <c>otp</c>); <see langword="null"/> when the user has none.
    /// Hanko v1.3.0–v2.0.x send <c>"otp": null</c>; later versions leave the key out.
    /// </summary>
    [JsonIgnore]
    public HankoOtpCredential? Otp { get => _otp; init => _otp = value; }

    [JsonInclude, JsonPropertyName("otp"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal HankoOtpCredential? _otp;

    /// <summary>
    /// The IP address (IPv4 or IPv6) of the request that caused the event (wire <c>ip_address</c>); may be empty.
    /// Sent since Hanko v1.4.0, and only for flow-triggered changes: <see langword="null"/> for <c>user.delete</c>,
    /// <c>user.update</c>, and Admin-API or third-party <c>user.create</c>.
    /// </summary>
    [JsonIgnore]
    public string? IpAddress { get => _ipAddress; init => _ipAddress = value; }

    [JsonInclude, JsonPropertyName("ip_address"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal string? _ipAddress;

    /// <summary>The User-Agent of the request that caused the event (wire <c>user_agent</c>); may be empty. Sent under the same conditions as <see cref="IpAddress"/>.</summary>
    [JsonIgnore]
    public string? UserAgent { get => _userAgent; init => _userAgent = value; }

    [JsonInclude, JsonPropertyName("user_agent"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal string? _userAgent;

    /// <summary>
    /// The user's metadata (wire <c>metadata</c>, since Hanko v2.1.0); <see langword="null"/> when all parts are empty.
    /// Contains private metadata: never log it.
    /// </summary>
    [JsonIgnore]
    public HankoUserMetadata? Metadata { get => _metadata; init => _metadata = value; }

    [JsonInclude, JsonPropertyName("metadata"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal HankoUserMetadata? _metadata;

    /// <summary>
    /// The user's tenant-defined claims from the last SAML or OIDC/OAuth login (wire <c>custom_claims</c>, announced upstream
    /// in teamhanko/hanko PR #2884): at most 50, each a string, a number (<c>42</c> or <c>4.5</c>), a boolean or an array
    /// of strings; read them with <see cref="JsonElement.ValueKind"/> and its getters. Absent on the wire when the user has
    /// none; then empty here, never <see langword="null"/>. Names compare ordinally.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, JsonElement> CustomClaims { get => _customClaims ?? HankoReadOnlyDictionary<JsonElement>.Empty; init => _customClaims = HankoReadOnlyDictionary<JsonElement>.Copy(value); }

    [JsonInclude, JsonPropertyName("custom_claims"), JsonConverter(typeof(HankoCustomClaimsConverter)), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal IReadOnlyDictionary<string, JsonElement>? _customClaims;

    /// <summary>The user's given name (wire <c>given_name</c>, since Hanko v2.5.0); <see langword="null"/> when empty.</summary>
    [JsonIgnore]
    public string? GivenName { get => _givenName; init => _givenName = value; }

    [JsonInclude, JsonPropertyName("given_name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal string? _givenName;

    /// <summary>The user's family name (wire <c>family_name</c>, since Hanko v2.5.0); <see langword="null"/> when empty.</summary>
    [JsonIgnore]
    public string? FamilyName { get => _familyName; init => _familyName = value; }

    [JsonInclude, JsonPropertyName("family_name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal string? _familyName;

    /// <summary>The user's full name (wire <c>name</c>, since Hanko v2.5.0); <see langword="null"/> when empty.</summary>
    [JsonIgnore]
    public string? Name { get => _name; init => _name = value; }

    [JsonInclude, JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal string? _name;

    /// <summary>The URL of the user's picture (wire <c>picture</c>, since Hanko v2.5.0); <see langword="null"/> when empty.</summary>
    [JsonIgnore]
    public string? Picture { get => _picture; init => _picture = value; }

    [JsonInclude, JsonPropertyName("picture"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal string? _picture;

    /// <summary>
    /// The organizations the user is a member of, with the user's roles in each (wire <c>organizations</c>, announced upstream
    /// in teamhanko/hanko PR #2893). Absent on the wire when the user has none; then empty here. Organization and role
    /// changes fire no webhook: these memberships are current only as of the user's last <c>user.*</c> event.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<HankoOrganization> Organizations { get => _organizations ?? []; init => _organizations = HankoReadOnlyList.Copy(value); }

    [JsonInclude, JsonPropertyName("organizations"), JsonConverter(typeof(HankoReadOnlyListConverter<HankoOrganization>))]
    internal IReadOnlyList<HankoOrganization>? _organizations;

    /// <summary>The first of <see cref="Emails"/> marked primary, or <see langword="null"/> when there is none. Not on the wire.</summary>
    [JsonIgnore]
    public HankoEmail? PrimaryEmail
    {
        get
        {
            foreach (var email in Emails)
            {
                if (email.IsPrimary)
                {
                    return email;
                }
            }

            return null;
        }
    }
}
