using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// A Hanko user's metadata (Go <c>admin.Metadata</c>, sent since Hanko v2.1.0). Each part is arbitrary JSON
/// (in practice an object) and is absent when empty.
/// </summary>
/// <remarks>
/// <b>Private metadata travels in the webhook.</b> The token is signed, not encrypted: never log these values.
/// </remarks>
public sealed class HankoUserMetadata
{
    // System.Text.Json reads and writes the internal fields below each property: the source generator sets fields
    // directly (its fast path), where init-only properties would send it down its constructor path (see BENCHMARKS.md).

    /// <summary>Public metadata (wire <c>public_metadata</c>); <see langword="null"/> when Hanko leaves it out (empty).</summary>
    [JsonIgnore]
    public JsonElement? Public { get => _public; init => _public = value; }

    [JsonInclude, JsonPropertyName("public_metadata"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal JsonElement? _public;

    /// <summary>
    /// Private metadata (wire <c>private_metadata</c>); <see langword="null"/> when Hanko leaves it out (empty).
    /// It is meant for the backend only: never log it.
    /// </summary>
    [JsonIgnore]
    public JsonElement? Private { get => _private; init => _private = value; }

    [JsonInclude, JsonPropertyName("private_metadata"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal JsonElement? _private;

    /// <summary>
    /// Unsafe metadata (wire <c>unsafe_metadata</c>), which the user can write from the browser; treat it as untrusted
    /// input. <see langword="null"/> when Hanko leaves it out (empty).
    /// </summary>
    [JsonIgnore]
    public JsonElement? Unsafe { get => _unsafe; init => _unsafe = value; }

    [JsonInclude, JsonPropertyName("unsafe_metadata"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal JsonElement? _unsafe;
}
