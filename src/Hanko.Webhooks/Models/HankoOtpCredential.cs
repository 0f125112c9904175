using System.Text.Json.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// Marks that a Hanko user has set up a TOTP authenticator app (Go <c>admin.OTPDto</c>). It never carries the secret.
/// </summary>
public sealed class HankoOtpCredential
{
    /// <summary>The OTP credential's id (wire <c>id</c>). Always sent.</summary>
    [JsonPropertyName("id")]
    public Guid Id { get; set; }

    /// <summary>When the authenticator was set up (wire <c>created_at</c>). Always sent.</summary>
    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; set; }
}
