using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hanko.Webhooks.Serialization;

/// <summary>Reads and writes a <see cref="TimeSpan"/> as an integer number of seconds, as Go writes <c>ttl</c>.</summary>
internal sealed class SecondsTimeSpanConverter : JsonConverter<TimeSpan>
{
    private const long MaxSeconds = long.MaxValue / TimeSpan.TicksPerSecond;

    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var seconds))
        {
            throw new JsonException("Expected an integer number of seconds.");
        }

        if (seconds > MaxSeconds || seconds < -MaxSeconds)
        {
            throw new JsonException("Seconds out of the range of TimeSpan.");
        }

        return TimeSpan.FromTicks(seconds * TimeSpan.TicksPerSecond);
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options)
        => writer.WriteNumberValue(value.Ticks / TimeSpan.TicksPerSecond);
}
