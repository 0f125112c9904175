using System.Text.Json.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// A Hanko user's username, as sent in <see cref="HankoUser.Username"/> (Go <c>admin.Username</c>).
/// Every key is always present when the object is.
/// </summary>
public sealed class HankoUsername
{
    // System.Text.Json reads and writes the internal fields below each property: the source generator sets fields
    // directly (its fast path), where init-only properties would send it down its constructor path (see BENCHMARKS.md).

    /// <summary>The username record's id (wire <c>id</c>). Always sent.</summary>
    [JsonIgnore]
    public Guid Id { get => _id; init => _id = value; }

    [JsonInclude, JsonPropertyName("id")]
    internal Guid _id;

    /// <summary>The username itself (wire <c>username</c>). Always sent.</summary>
    [JsonIgnore]
    public string Username { get => _username ?? ""; init => _username = value; }

    [JsonInclude, JsonPropertyName("username")]
    internal string? _username;

    /// <summary>When the username was set (wire <c>created_at</c>). Always sent.</summary>
    [JsonIgnore]
    public DateTimeOffset CreatedAt { get => _createdAt; init => _createdAt = value; }

    [JsonInclude, JsonPropertyName("created_at")]
    internal DateTimeOffset _createdAt;

    /// <summary>When the username last changed (wire <c>updated_at</c>). Always sent.</summary>
    [JsonIgnore]
    public DateTimeOffset UpdatedAt { get => _updatedAt; init => _updatedAt = value; }

    [JsonInclude, JsonPropertyName("updated_at")]
    internal DateTimeOffset _updatedAt;
}
