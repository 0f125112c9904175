using System.Text.Json.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// Marks that a Hanko user has a password (Go <c>admin.PasswordCredential</c>). It never carries the hash.
/// </summary>
public sealed class HankoPasswordCredential
{
    // System.Text.Json reads and writes the internal fields below each property: the source generator sets fields
    // directly (its fast path), where init-only properties would send it down its constructor path (see BENCHMARKS.md).

    /// <summary>The password credential's id (wire <c>id</c>). Always sent.</summary>
    [JsonIgnore]
    public Guid Id { get => _id; init => _id = value; }

    [JsonInclude, JsonPropertyName("id")]
    internal Guid _id;

    /// <summary>
    /// The tenant the credential belongs to (wire <c>tenant_id</c>). Sent since Hanko v3.0.0; <see langword="null"/>
    /// for older servers. A single-tenant v3 server sends <c>00000000-0000-0000-0000-000000000001</c>.
    /// </summary>
    [JsonIgnore]
    public Guid? TenantId { get => _tenantId; init => _tenantId = value; }

    [JsonInclude, JsonPropertyName("tenant_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal Guid? _tenantId;

    /// <summary>When the password was first set (wire <c>created_at</c>). Always sent.</summary>
    [JsonIgnore]
    public DateTimeOffset CreatedAt { get => _createdAt; init => _createdAt = value; }

    [JsonInclude, JsonPropertyName("created_at")]
    internal DateTimeOffset _createdAt;

    /// <summary>When the password last changed (wire <c>updated_at</c>). Always sent.</summary>
    [JsonIgnore]
    public DateTimeOffset UpdatedAt { get => _updatedAt; init => _updatedAt = value; }

    [JsonInclude, JsonPropertyName("updated_at")]
    internal DateTimeOffset _updatedAt;
}
