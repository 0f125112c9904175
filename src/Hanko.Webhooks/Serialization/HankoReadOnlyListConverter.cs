using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Hanko.Webhooks.Serialization;

/// <summary>
/// Reads a JSON array into a <see cref="HankoReadOnlyList{T}"/> of exactly its length, so that a model's list cannot be
/// changed through a cast (System.Text.Json's own converter for <see cref="IReadOnlyList{T}"/> hands out a
/// <see cref="List{T}"/>). The elements are collected in a pooled buffer.
/// Each element is read by the converter the options' context has for <typeparamref name="T"/>. An empty array is
/// the shared empty list; <c>null</c> leaves the field <see langword="null"/>, which the property reads as empty.
/// </summary>
internal sealed class HankoReadOnlyListConverter<T> : JsonConverter<IReadOnlyList<T>>
{
    public override IReadOnlyList<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected a JSON array of {typeof(T).Name}.");
        }

        // The element's own converter, called directly: JsonSerializer.Deserialize per element would set up a read
        // state for each one (measured: +30 % for a whole user, see BENCHMARKS.md). Looked up once per options.
        var element = ElementConverter(options);
        var buffer = ArrayPool<T>.Shared.Rent(4);
        var count = 0;
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var item = element.Read(ref reader, typeof(T), options)
                    ?? throw new JsonException($"Expected a {typeof(T).Name}, but found null.");
                if (count == buffer.Length)
                {
                    var larger = ArrayPool<T>.Shared.Rent(count * 2);
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<T>.Shared.Return(buffer, clearArray: true);
                    buffer = larger;
                }

                buffer[count++] = item;
            }

            return count == 0 ? [] : new HankoReadOnlyList<T>(buffer.AsSpan(0, count).ToArray());
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer, clearArray: true);
        }
    }

    private Element? _element;

    private JsonConverter<T> ElementConverter(JsonSerializerOptions options)
    {
        var element = _element;
        if (element is null || !ReferenceEquals(element.Options, options))
        {
            _element = element = new Element(options, (JsonConverter<T>)options.GetTypeInfo(typeof(T)).Converter);
        }

        return element.Converter;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<T> value, JsonSerializerOptions options)
    {
        var element = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        writer.WriteStartArray();
        foreach (var item in value)
        {
            JsonSerializer.Serialize(writer, item, element);
        }

        writer.WriteEndArray();
    }

    /// <summary>The element converter and the options it came from, replaced as one reference.</summary>
    private sealed record Element(JsonSerializerOptions Options, JsonConverter<T> Converter);
}
