using System.Text.Json.Serialization;
using Hanko.Webhooks.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// An organization the user is a member of, with the user's roles in it (Go <c>admin.UserOrganization</c>, announced
/// upstream in teamhanko/hanko PR #2893). Every key is always sent.
/// </summary>
/// <remarks>
/// Organization and role changes fire no webhook of their own: a user's memberships are current only as of that user's
/// last <c>user.*</c> event.
/// </remarks>
public sealed class HankoOrganization
{
    // System.Text.Json reads and writes the internal fields below each property: the source generator sets fields
    // directly (its fast path), where init-only properties would send it down its constructor path (see BENCHMARKS.md).

    /// <summary>The organization's id (wire <c>id</c>). Always sent.</summary>
    [JsonIgnore]
    public Guid Id { get => _id; init => _id = value; }

    [JsonInclude, JsonPropertyName("id")]
    internal Guid _id;

    /// <summary>The organization's name (wire <c>name</c>). Always sent.</summary>
    [JsonIgnore]
    public string Name { get => _name ?? ""; init => _name = value; }

    [JsonInclude, JsonPropertyName("name")]
    internal string? _name;

    /// <summary>The user's roles in the organization (wire <c>roles</c>). Always sent, <c>[]</c> when the user has none; never <see langword="null"/> here.</summary>
    [JsonIgnore]
    public IReadOnlyList<HankoOrganizationRole> Roles { get => _roles ?? []; init => _roles = HankoReadOnlyList.Copy(value); }

    [JsonInclude, JsonPropertyName("roles"), JsonConverter(typeof(HankoReadOnlyListConverter<HankoOrganizationRole>))]
    internal IReadOnlyList<HankoOrganizationRole>? _roles;
}
