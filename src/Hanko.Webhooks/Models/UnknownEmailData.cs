using System.Text.Json;

namespace Hanko.Webhooks;

/// <summary>
/// The data of an <c>email.send</c> event whose <see cref="HankoEmailMessage.Type"/> this SDK does not know
/// (Hanko adds mail types over time). This is never an error: the data is kept as raw JSON.
/// </summary>
public sealed class UnknownEmailData : HankoEmailData
{
    /// <summary>The shared instance used when Hanko sent no <c>data</c> at all.</summary>
    internal static readonly UnknownEmailData None = new();

    /// <summary>
    /// The <c>data</c> value exactly as Hanko sent it (normally an object), or a default element
    /// (<see cref="JsonValueKind.Undefined"/>) when there was none. It may contain secrets such as codes: never log it.
    /// </summary>
    public JsonElement Raw { get; init; }
}
