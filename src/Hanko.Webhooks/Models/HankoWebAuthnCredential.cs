using System.Text.Json.Serialization;
using Hanko.Webhooks.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// A passkey or security key of a Hanko user (Go <c>dto.WebauthnCredentialResponse</c>).
/// </summary>
public sealed class HankoWebAuthnCredential
{
    // System.Text.Json reads and writes the internal fields below each property: the source generator sets fields
    // directly (its fast path), where init-only properties would send it down its constructor path (see BENCHMARKS.md).

    /// <summary>
    /// The WebAuthn credential id (wire <c>id</c>): a base64url string without padding, <b>not</b> a UUID. Always sent.
    /// </summary>
    [JsonIgnore]
    public string Id { get => _id ?? ""; init => _id = value; }

    [JsonInclude, JsonPropertyName("id")]
    internal string? _id;

    /// <summary>
    /// The display name (wire <c>name</c>), e.g. "iCloud Keychain" or a name the user chose;
    /// <see langword="null"/> when Hanko leaves it out.
    /// </summary>
    [JsonIgnore]
    public string? Name { get => _name; init => _name = value; }

    [JsonInclude, JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal string? _name;

    /// <summary>The COSE public key, base64url (wire <c>public_key</c>). Always sent.</summary>
    [JsonIgnore]
    public string PublicKey { get => _publicKey ?? ""; init => _publicKey = value; }

    [JsonInclude, JsonPropertyName("public_key")]
    internal string? _publicKey;

    /// <summary>The attestation type (wire <c>attestation_type</c>), e.g. <c>none</c> or <c>packed</c>; may be empty. Always sent.</summary>
    [JsonIgnore]
    public string AttestationType { get => _attestationType ?? ""; init => _attestationType = value; }

    [JsonInclude, JsonPropertyName("attestation_type")]
    internal string? _attestationType;

    /// <summary>The authenticator's AAGUID (wire <c>aaguid</c>); often <see cref="Guid.Empty"/>. Always sent.</summary>
    [JsonIgnore]
    public Guid Aaguid { get => _aaguid; init => _aaguid = value; }

    [JsonInclude, JsonPropertyName("aaguid")]
    internal Guid _aaguid;

    /// <summary>When the credential was last used (wire <c>last_used_at</c>); <see langword="null"/> when Hanko leaves it out.</summary>
    [JsonIgnore]
    public DateTimeOffset? LastUsedAt { get => _lastUsedAt; init => _lastUsedAt = value; }

    [JsonInclude, JsonPropertyName("last_used_at"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal DateTimeOffset? _lastUsedAt;

    /// <summary>When the credential was registered (wire <c>created_at</c>). Always sent.</summary>
    [JsonIgnore]
    public DateTimeOffset CreatedAt { get => _createdAt; init => _createdAt = value; }

    [JsonInclude, JsonPropertyName("created_at")]
    internal DateTimeOffset _createdAt;

    /// <summary>The transports (wire <c>transports</c>), e.g. <c>usb</c>, <c>nfc</c>, <c>ble</c>, <c>internal</c>, <c>hybrid</c>. Always sent; empty when none.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Transports { get => _transports ?? []; init => _transports = HankoReadOnlyList.Copy(value); }

    [JsonInclude, JsonPropertyName("transports"), JsonConverter(typeof(HankoReadOnlyListConverter<string>))]
    internal IReadOnlyList<string>? _transports;

    /// <summary>Whether the credential may be backed up / synced (wire <c>backup_eligible</c>). Always sent.</summary>
    [JsonIgnore]
    public bool BackupEligible { get => _backupEligible; init => _backupEligible = value; }

    [JsonInclude, JsonPropertyName("backup_eligible")]
    internal bool _backupEligible;

    /// <summary>Whether the credential is currently backed up / synced (wire <c>backup_state</c>). Always sent.</summary>
    [JsonIgnore]
    public bool BackupState { get => _backupState; init => _backupState = value; }

    [JsonInclude, JsonPropertyName("backup_state")]
    internal bool _backupState;

    /// <summary>
    /// <see langword="true"/> for a security key used only as a second factor, <see langword="false"/> for a passkey
    /// (wire <c>mfa_only</c>). Sent since Hanko v1.3.0; <see langword="false"/> for older servers.
    /// </summary>
    [JsonIgnore]
    public bool MfaOnly { get => _mfaOnly; init => _mfaOnly = value; }

    [JsonInclude, JsonPropertyName("mfa_only")]
    internal bool _mfaOnly;
}
