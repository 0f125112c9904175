using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hanko.Webhooks.Serialization;

/// <summary>Reads and writes a <see cref="DateTimeOffset"/> as integer Unix seconds (UTC), as Go writes <c>valid_until</c>.</summary>
internal sealed class UnixSecondsDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var seconds))
        {
            throw new JsonException("Expected an integer number of Unix seconds.");
        }

        if (seconds < MinSeconds || seconds > MaxSeconds)
        {
            throw new JsonException("Unix seconds out of the range of DateTimeOffset.");
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        => writer.WriteNumberValue(value.ToUnixTimeSeconds());

    private static readonly long MinSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long MaxSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();
}
