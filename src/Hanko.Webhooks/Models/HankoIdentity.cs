using System.Text.Json.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// A third-party (OAuth/OIDC) identity linked to a Hanko user (Go <c>admin.Identity</c>).
/// </summary>
/// <remarks>
/// <para>
/// <b>Naming trap:</b> on the wire, <c>provider_id</c> is the user's id <i>at the provider</i> (for example the OIDC
/// <c>sub</c>), and <c>provider_name</c> is the provider key (<c>google</c>, <c>apple</c>, …). This SDK names them
/// after what they mean: <see cref="ProviderUserId"/> and <see cref="ProviderName"/>.
/// </para>
/// <para>Hanko lists only identities that are linked to one of the user's emails.</para>
/// </remarks>
public sealed class HankoIdentity
{
    // System.Text.Json reads and writes the internal fields below each property: the source generator sets fields
    // directly (its fast path), where init-only properties would send it down its constructor path (see BENCHMARKS.md).

    /// <summary>The identity's id in Hanko (wire <c>id</c>). Always sent.</summary>
    [JsonIgnore]
    public Guid Id { get => _id; init => _id = value; }

    [JsonInclude, JsonPropertyName("id")]
    internal Guid _id;

    /// <summary>
    /// The user's id <b>at the provider</b>, for example the OIDC <c>sub</c> claim. Always sent.
    /// Careful: the wire key is <c>provider_id</c>, but it does not identify the provider (see <see cref="ProviderName"/>).
    /// </summary>
    [JsonIgnore]
    public string ProviderUserId { get => _providerUserId ?? ""; init => _providerUserId = value; }

    [JsonInclude, JsonPropertyName("provider_id")]
    internal string? _providerUserId;

    /// <summary>
    /// The provider key (wire <c>provider_name</c>): <c>google</c>, <c>apple</c>, <c>github</c>, <c>discord</c>,
    /// <c>microsoft</c>, <c>linkedin</c>, <c>facebook</c>, or <c>custom_&lt;name&gt;</c> for a custom provider. Always sent.
    /// </summary>
    [JsonIgnore]
    public string ProviderName { get => _providerName ?? ""; init => _providerName = value; }

    [JsonInclude, JsonPropertyName("provider_name")]
    internal string? _providerName;

    /// <summary>
    /// The id of the <see cref="HankoEmail"/> this identity is linked to (wire <c>email_id</c>). Always sent; may be
    /// <c>null</c> on the wire since Hanko v2.3.0 (in practice it is set, since Hanko lists identities through emails).
    /// </summary>
    [JsonIgnore]
    public Guid? EmailId { get => _emailId; init => _emailId = value; }

    [JsonInclude, JsonPropertyName("email_id")]
    internal Guid? _emailId;

    /// <summary>When the identity was linked (wire <c>created_at</c>). Always sent.</summary>
    [JsonIgnore]
    public DateTimeOffset CreatedAt { get => _createdAt; init => _createdAt = value; }

    [JsonInclude, JsonPropertyName("created_at")]
    internal DateTimeOffset _createdAt;

    /// <summary>When the identity last changed, e.g. after a profile sync (wire <c>updated_at</c>). Always sent.</summary>
    [JsonIgnore]
    public DateTimeOffset UpdatedAt { get => _updatedAt; init => _updatedAt = value; }

    [JsonInclude, JsonPropertyName("updated_at")]
    internal DateTimeOffset _updatedAt;
}
