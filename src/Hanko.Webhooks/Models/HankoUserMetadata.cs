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
    /// <summary>Public metadata (wire <c>public_metadata</c>); <see langword="null"/> when Hanko leaves it out (empty).</summary>
    [JsonPropertyName("public_metadata")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Public { get; set; }

    /// <summary>
    /// Private metadata (wire <c>private_metadata</c>); <see langword="null"/> when Hanko leaves it out (empty).
    /// It is meant for the backend only: never log it.
    /// </summary>
    [JsonPropertyName("private_metadata")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Private { get; set; }

    /// <summary>
    /// Unsafe metadata (wire <c>unsafe_metadata</c>), which the user can write from the browser; treat it as untrusted
    /// input. <see langword="null"/> when Hanko leaves it out (empty).
    /// </summary>
    [JsonPropertyName("unsafe_metadata")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Unsafe { get; set; }
}
