using System.Text.Json.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// An email address of a Hanko user, as Hanko sends it in <see cref="HankoUser.Emails"/> (Go <c>admin.Email</c>).
/// Every key is always present on the wire.
/// </summary>
public sealed class HankoEmail
{
    // Backing fields: the source generator sets init-only properties through an object initializer and passes
    // null for an absent key, so the setter restores the default (absent on the wire == empty).
    private string _address = "";

    /// <summary>The email's id (wire <c>id</c>). Always sent.</summary>
    [JsonPropertyName("id")]
    public Guid Id { get; set; }

    /// <summary>The email address (wire <c>address</c>). Always sent.</summary>
    [JsonPropertyName("address")]
    public string Address { get => _address; set => _address = value ?? ""; }

    /// <summary>Whether the user has verified the address (wire <c>is_verified</c>). Always sent.</summary>
    [JsonPropertyName("is_verified")]
    public bool IsVerified { get; set; }

    /// <summary>Whether this is the user's primary address (wire <c>is_primary</c>). Always sent.</summary>
    [JsonPropertyName("is_primary")]
    public bool IsPrimary { get; set; }

    /// <summary>When the address was added (wire <c>created_at</c>). Always sent.</summary>
    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the address last changed (wire <c>updated_at</c>). Always sent.</summary>
    [JsonPropertyName("updated_at")]
    public DateTimeOffset UpdatedAt { get; set; }
}
