using System.Text.Json.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// A passkey or security key of a Hanko user (Go <c>dto.WebauthnCredentialResponse</c>).
/// </summary>
public sealed class HankoWebAuthnCredential
{
    // Backing fields: the source generator sets init-only properties through an object initializer and passes
    // null for an absent key, so the setter restores the default (absent on the wire == empty).
    private string _id = "";
    private string _publicKey = "";
    private string _attestationType = "";
    private IReadOnlyList<string> _transports = [];

    /// <summary>
    /// The WebAuthn credential id (wire <c>id</c>): a base64url string without padding, <b>not</b> a UUID. Always sent.
    /// </summary>
    [JsonPropertyName("id")]
    public string Id { get => _id; set => _id = value ?? ""; }

    /// <summary>
    /// The display name (wire <c>name</c>), e.g. "iCloud Keychain" or a name the user chose;
    /// <see langword="null"/> when Hanko leaves it out.
    /// </summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    /// <summary>The COSE public key, base64url (wire <c>public_key</c>). Always sent.</summary>
    [JsonPropertyName("public_key")]
    public string PublicKey { get => _publicKey; set => _publicKey = value ?? ""; }

    /// <summary>The attestation type (wire <c>attestation_type</c>), e.g. <c>none</c> or <c>packed</c>; may be empty. Always sent.</summary>
    [JsonPropertyName("attestation_type")]
    public string AttestationType { get => _attestationType; set => _attestationType = value ?? ""; }

    /// <summary>The authenticator's AAGUID (wire <c>aaguid</c>); often <see cref="Guid.Empty"/>. Always sent.</summary>
    [JsonPropertyName("aaguid")]
    public Guid Aaguid { get; set; }

    /// <summary>When the credential was last used (wire <c>last_used_at</c>); <see langword="null"/> when Hanko leaves it out.</summary>
    [JsonPropertyName("last_used_at")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>When the credential was registered (wire <c>created_at</c>). Always sent.</summary>
    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The transports (wire <c>transports</c>), e.g. <c>usb</c>, <c>nfc</c>, <c>ble</c>, <c>internal</c>, <c>hybrid</c>. Always sent; empty when none.</summary>
    [JsonPropertyName("transports")]
    public IReadOnlyList<string> Transports { get => _transports; set => _transports = value ?? []; }

    /// <summary>Whether the credential may be backed up / synced (wire <c>backup_eligible</c>). Always sent.</summary>
    [JsonPropertyName("backup_eligible")]
    public bool BackupEligible { get; set; }

    /// <summary>Whether the credential is currently backed up / synced (wire <c>backup_state</c>). Always sent.</summary>
    [JsonPropertyName("backup_state")]
    public bool BackupState { get; set; }

    /// <summary>
    /// <see langword="true"/> for a security key used only as a second factor, <see langword="false"/> for a passkey
    /// (wire <c>mfa_only</c>). Sent since Hanko v1.3.0; <see langword="false"/> for older servers.
    /// </summary>
    [JsonPropertyName("mfa_only")]
    public bool MfaOnly { get; set; }
}
