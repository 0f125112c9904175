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
    // Backing fields: the source generator sets init-only properties through an object initializer and passes
    // null for an absent key, so the setter restores the default (absent on the wire == empty).
    private string _providerUserId = "";
    private string _providerName = "";

    /// <summary>The identity's id in Hanko (wire <c>id</c>). Always sent.</summary>
    [JsonPropertyName("id")]
    public Guid Id { get; set; }

    /// <summary>
    /// The user's id <b>at the provider</b>, for example the OIDC <c>sub</c> claim. Always sent.
    /// Careful: the wire key is <c>provider_id</c>, but it does not identify the provider (see <see cref="ProviderName"/>).
    /// </summary>
    [JsonPropertyName("provider_id")]
    public string ProviderUserId { get => _providerUserId; set => _providerUserId = value ?? ""; }

    /// <summary>
    /// The provider key (wire <c>provider_name</c>): <c>google</c>, <c>apple</c>, <c>github</c>, <c>discord</c>,
    /// <c>microsoft</c>, <c>linkedin</c>, <c>facebook</c>, or <c>custom_&lt;name&gt;</c> for a custom provider. Always sent.
    /// </summary>
    [JsonPropertyName("provider_name")]
    public string ProviderName { get => _providerName; set => _providerName = value ?? ""; }

    /// <summary>
    /// The id of the <see cref="HankoEmail"/> this identity is linked to (wire <c>email_id</c>). Always sent; may be
    /// <c>null</c> on the wire since Hanko v2.3.0 (in practice it is set, since Hanko lists identities through emails).
    /// </summary>
    [JsonPropertyName("email_id")]
    public Guid? EmailId { get; set; }

    /// <summary>When the identity was linked (wire <c>created_at</c>). Always sent.</summary>
    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the identity last changed, e.g. after a profile sync (wire <c>updated_at</c>). Always sent.</summary>
    [JsonPropertyName("updated_at")]
    public DateTimeOffset UpdatedAt { get; set; }
}
