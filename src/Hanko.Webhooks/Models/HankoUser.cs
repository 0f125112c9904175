using System.Text.Json.Serialization;

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
    // Backing fields: the source generator sets init-only properties through an object initializer and passes
    // null for an absent key, so the setter restores the default (absent on the wire == empty).
    private IReadOnlyList<HankoWebAuthnCredential> _webAuthnCredentials = [];
    private IReadOnlyList<HankoEmail> _emails = [];
    private IReadOnlyList<HankoIdentity> _identities = [];

    /// <summary>The user's id (wire <c>id</c>). Always sent. Any UUID version since Hanko v2.0.0.</summary>
    [JsonPropertyName("id")]
    public Guid Id { get; set; }

    /// <summary>The user's passkeys and security keys (wire <c>webauthn_credentials</c>). Absent on the wire when empty; then empty here.</summary>
    [JsonPropertyName("webauthn_credentials")]
    public IReadOnlyList<HankoWebAuthnCredential> WebAuthnCredentials { get => _webAuthnCredentials; set => _webAuthnCredentials = value ?? []; }

    /// <summary>The user's email addresses, in Hanko's database order (wire <c>emails</c>). Absent on the wire when empty; then empty here.</summary>
    [JsonPropertyName("emails")]
    public IReadOnlyList<HankoEmail> Emails { get => _emails; set => _emails = value ?? []; }

    /// <summary>The user's username (wire <c>username</c>); <see langword="null"/> when the user has none (or before Hanko v1.0.1).</summary>
    [JsonPropertyName("username")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HankoUsername? Username { get; set; }

    /// <summary>When the user was created (wire <c>created_at</c>). Always sent.</summary>
    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the user last changed (wire <c>updated_at</c>). Always sent.</summary>
    [JsonPropertyName("updated_at")]
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The user's password credential (wire <c>password</c>); <see langword="null"/> when the user has no password (or before Hanko v1.0.1).</summary>
    [JsonPropertyName("password")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HankoPasswordCredential? Password { get; set; }

    /// <summary>
    /// The user's third-party identities (wire <c>identities</c>). Absent on the wire when empty; then empty here.
    /// Hanko lists only identities linked to one of the user's <see cref="Emails"/>.
    /// </summary>
    [JsonPropertyName("identities")]
    public IReadOnlyList<HankoIdentity> Identities { get => _identities; set => _identities = value ?? []; }

    /// <summary>
    /// The user's authenticator-app (TOTP) credential (wire <c>otp</c>); <see langword="null"/> when the user has none.
    /// Hanko v1.3.0–v2.0.x send <c>"otp": null</c>; later versions leave the key out.
    /// </summary>
    [JsonPropertyName("otp")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HankoOtpCredential? Otp { get; set; }

    /// <summary>
    /// The IP address (IPv4 or IPv6) of the request that caused the event (wire <c>ip_address</c>); may be empty.
    /// Sent since Hanko v1.4.0, and only for flow-triggered changes: <see langword="null"/> for <c>user.delete</c>,
    /// <c>user.update</c>, and Admin-API or third-party <c>user.create</c>.
    /// </summary>
    [JsonPropertyName("ip_address")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IpAddress { get; set; }

    /// <summary>The User-Agent of the request that caused the event (wire <c>user_agent</c>); may be empty. Sent under the same conditions as <see cref="IpAddress"/>.</summary>
    [JsonPropertyName("user_agent")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UserAgent { get; set; }

    /// <summary>
    /// The user's metadata (wire <c>metadata</c>, since Hanko v2.1.0); <see langword="null"/> when all parts are empty.
    /// Contains private metadata: never log it.
    /// </summary>
    [JsonPropertyName("metadata")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HankoUserMetadata? Metadata { get; set; }

    /// <summary>The user's given name (wire <c>given_name</c>, since Hanko v2.5.0); <see langword="null"/> when empty.</summary>
    [JsonPropertyName("given_name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? GivenName { get; set; }

    /// <summary>The user's family name (wire <c>family_name</c>, since Hanko v2.5.0); <see langword="null"/> when empty.</summary>
    [JsonPropertyName("family_name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FamilyName { get; set; }

    /// <summary>The user's full name (wire <c>name</c>, since Hanko v2.5.0); <see langword="null"/> when empty.</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    /// <summary>The URL of the user's picture (wire <c>picture</c>, since Hanko v2.5.0); <see langword="null"/> when empty.</summary>
    [JsonPropertyName("picture")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Picture { get; set; }

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
