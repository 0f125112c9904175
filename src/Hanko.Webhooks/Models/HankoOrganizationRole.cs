using System.Text.Json.Serialization;

namespace Hanko.Webhooks;

/// <summary>A user's role in a <see cref="HankoOrganization"/> (Go <c>admin.UserRole</c>, teamhanko/hanko PR #2893). Every key is always sent.</summary>
public sealed class HankoOrganizationRole
{
    // System.Text.Json reads and writes the internal fields below each property: the source generator sets fields
    // directly (its fast path), where init-only properties would send it down its constructor path (see BENCHMARKS.md).

    /// <summary>The role's id (wire <c>id</c>). Always sent.</summary>
    [JsonIgnore]
    public Guid Id { get => _id; init => _id = value; }

    [JsonInclude, JsonPropertyName("id")]
    internal Guid _id;

    /// <summary>The role's stable key, for checks in code (wire <c>slug</c>, for example <c>admin</c>). Always sent.</summary>
    [JsonIgnore]
    public string Slug { get => _slug ?? ""; init => _slug = value; }

    [JsonInclude, JsonPropertyName("slug")]
    internal string? _slug;

    /// <summary>The role's display name (wire <c>name</c>). Always sent.</summary>
    [JsonIgnore]
    public string Name { get => _name ?? ""; init => _name = value; }

    [JsonInclude, JsonPropertyName("name")]
    internal string? _name;
}
