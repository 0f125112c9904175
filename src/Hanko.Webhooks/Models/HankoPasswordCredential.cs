using System.Text.Json.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// Marks that a Hanko user has a password (Go <c>admin.PasswordCredential</c>). It never carries the hash.
/// </summary>
public sealed class HankoPasswordCredential
{
    /// <summary>The password credential's id (wire <c>id</c>). Always sent.</summary>
    [JsonPropertyName("id")]
    public Guid Id { get; set; }

    /// <summary>
    /// The tenant the credential belongs to (wire <c>tenant_id</c>). Sent since Hanko v3.0.0; <see langword="null"/>
    /// for older servers. A single-tenant v3 server sends <c>00000000-0000-0000-0000-000000000001</c>.
    /// </summary>
    [JsonPropertyName("tenant_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Guid? TenantId { get; set; }

    /// <summary>When the password was first set (wire <c>created_at</c>). Always sent.</summary>
    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the password last changed (wire <c>updated_at</c>). Always sent.</summary>
    [JsonPropertyName("updated_at")]
    public DateTimeOffset UpdatedAt { get; set; }
}
