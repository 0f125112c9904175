using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hanko.Webhooks.Serialization;

/// <summary>
/// Reads <c>custom_claims</c>, a flat JSON object, into a <see cref="HankoReadOnlyDictionary{TValue}"/> of
/// <see cref="JsonElement"/> values. The object is parsed once (without recursion, within the reader's depth limit) and
/// each value is an element of that one document. A repeated name keeps its last value, as Go's decoder does.
/// <c>null</c> leaves the field <see langword="null"/>, which the property reads as empty.
/// </summary>
internal sealed class HankoCustomClaimsConverter : JsonConverter<IReadOnlyDictionary<string, JsonElement>>
{
    public override IReadOnlyDictionary<string, JsonElement> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected a JSON object of custom claims.");
        }

        var claims = JsonElement.ParseValue(ref reader);
        var items = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var claim in claims.EnumerateObject())
        {
            items[claim.Name] = claim.Value;
        }

        return items.Count == 0 ? HankoReadOnlyDictionary<JsonElement>.Empty : new HankoReadOnlyDictionary<JsonElement>(items);
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, JsonElement> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, claim) in value)
        {
            writer.WritePropertyName(name);
            claim.WriteTo(writer);
        }

        writer.WriteEndObject();
    }
}
