using System.Text.Json.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// Marks that a Hanko user has set up a TOTP authenticator app (Go <c>admin.OTPDto</c>). It never carries the secret.
/// </summary>
public sealed class HankoOtpCredential
{
    // System.Text.Json reads and writes the internal fields below each property: the source generator sets fields
    // directly (its fast path), where init-only properties would send it down its constructor path (see BENCHMARKS.md).

    /// <summary>The OTP credential's id (wire <c>id</c>). Always sent.</summary>
    [JsonIgnore]
    public Guid Id { get => _id; init => _id = value; }

    [JsonInclude, JsonPropertyName("id")]
    internal Guid _id;

    /// <summary>When the authenticator was set up (wire <c>created_at</c>). Always sent.</summary>
    [JsonIgnore]
    public DateTimeOffset CreatedAt { get => _createdAt; init => _createdAt = value; }

    [JsonInclude, JsonPropertyName("created_at")]
    internal DateTimeOffset _createdAt;
}
