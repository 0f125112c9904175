using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Hanko.Webhooks.Serialization;

/// <summary>
/// Turns the UTF-8 JSON of a verified token's <c>data</c> claim into the payload models.
/// Every method throws <see cref="JsonException"/> when the JSON is malformed, <c>null</c>, or not an object.
/// </summary>
internal static class HankoPayloadSerializer
{
    /// <summary>Reads the <c>data</c> of a <c>user.*</c> event.</summary>
    /// <exception cref="JsonException">The JSON is malformed, <c>null</c>, or not an object.</exception>
    public static HankoUser DeserializeUser(ReadOnlySpan<byte> utf8Json)
        => Deserialize(utf8Json, HankoJsonContext.Default.HankoUser);

    /// <summary>Reads the <c>data</c> of a <c>session.*</c> event.</summary>
    /// <exception cref="JsonException">The JSON is malformed, <c>null</c>, or not an object.</exception>
    public static HankoSession DeserializeSession(ReadOnlySpan<byte> utf8Json)
        => Deserialize(utf8Json, HankoJsonContext.Default.HankoSession);

    /// <summary>Reads the <c>data</c> of an <c>email.send</c> event.</summary>
    /// <exception cref="JsonException">The JSON is malformed, <c>null</c>, or not an object.</exception>
    public static HankoEmailMessage DeserializeEmailMessage(ReadOnlySpan<byte> utf8Json)
        => Deserialize(utf8Json, HankoJsonContext.Default.HankoEmailMessage);

    /// <summary>Reads the <c>data</c> of the SDK's own <see cref="UserCatchUpEvent"/> (its user with the same reader as a <c>user.*</c> event's).</summary>
    /// <exception cref="JsonException">The JSON is malformed, <c>null</c>, or not an object.</exception>
    public static UserCatchUpData DeserializeUserCatchUp(ReadOnlySpan<byte> utf8Json)
        => Deserialize(utf8Json, HankoJsonContext.Default.UserCatchUpData);

    private static T Deserialize<T>(ReadOnlySpan<byte> utf8Json, JsonTypeInfo<T> typeInfo)
        where T : class
        => JsonSerializer.Deserialize(utf8Json, typeInfo)
           ?? throw new JsonException($"Expected a JSON object for {typeof(T).Name}, but found null.");
}
