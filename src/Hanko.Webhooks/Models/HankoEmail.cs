using System.Text.Json.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// An email address of a Hanko user, as Hanko sends it in <see cref="HankoUser.Emails"/> (Go <c>admin.Email</c>).
/// Every key is always present on the wire.
/// </summary>
public sealed class HankoEmail
{
    // System.Text.Json reads and writes the internal fields below each property: the source generator sets fields
    // directly (its fast path), where init-only properties would send it down its constructor path (see BENCHMARKS.md).

    /// <summary>The email's id (wire <c>id</c>). Always sent.</summary>
    [JsonIgnore]
    public Guid Id { get => _id; init => _id = value; }

    [JsonInclude, JsonPropertyName("id")]
    internal Guid _id;

    /// <summary>The email address (wire <c>address</c>). Always sent.</summary>
    [JsonIgnore]
    public string Address { get => _address ?? ""; init => _address = value; }

    [JsonInclude, JsonPropertyName("address")]
    internal string? _address;

    /// <summary>Whether the user has verified the address (wire <c>is_verified</c>). Always sent.</summary>
    [JsonIgnore]
    public bool IsVerified { get => _isVerified; init => _isVerified = value; }

    [JsonInclude, JsonPropertyName("is_verified")]
    internal bool _isVerified;

    /// <summary>Whether this is the user's primary address (wire <c>is_primary</c>). Always sent.</summary>
    [JsonIgnore]
    public bool IsPrimary { get => _isPrimary; init => _isPrimary = value; }

    [JsonInclude, JsonPropertyName("is_primary")]
    internal bool _isPrimary;

    /// <summary>When the address was added (wire <c>created_at</c>). Always sent.</summary>
    [JsonIgnore]
    public DateTimeOffset CreatedAt { get => _createdAt; init => _createdAt = value; }

    [JsonInclude, JsonPropertyName("created_at")]
    internal DateTimeOffset _createdAt;

    /// <summary>When the address last changed (wire <c>updated_at</c>). Always sent.</summary>
    [JsonIgnore]
    public DateTimeOffset UpdatedAt { get => _updatedAt; init => _updatedAt = value; }

    [JsonInclude, JsonPropertyName("updated_at")]
    internal DateTimeOffset _updatedAt;
}
