using System.Text.Json.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// A Hanko user's username, as sent in <see cref="HankoUser.Username"/> (Go <c>admin.Username</c>).
/// Every key is always present when the object is.
/// </summary>
public sealed class HankoUsername
{
    // Backing fields: the source generator sets init-only properties through an object initializer and passes
    // null for an absent key, so the setter restores the default (absent on the wire == empty).
    private string _username = "";

    /// <summary>The username record's id (wire <c>id</c>). Always sent.</summary>
    [JsonPropertyName("id")]
    public Guid Id { get; set; }

    /// <summary>The username itself (wire <c>username</c>). Always sent.</summary>
    [JsonPropertyName("username")]
    public string Username { get => _username; set => _username = value ?? ""; }

    /// <summary>When the username was set (wire <c>created_at</c>). Always sent.</summary>
    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the username last changed (wire <c>updated_at</c>). Always sent.</summary>
    [JsonPropertyName("updated_at")]
    public DateTimeOffset UpdatedAt { get; set; }
}
