using System.Buffers;
using System.Text.Json;

namespace Hanko.Webhooks;

/// <summary>
/// The stored form of a delivery's <see cref="HankoEventParts"/>, for a durable <see cref="IHankoHandOff"/>: UTF-8 JSON with
/// the name, claims, delivery id and the <c>data</c> as it was signed (the project is not stored: the store is the
/// project's). Read back with the verifier's own nesting limit, so that whatever was verified can be rebuilt.
/// </summary>
/// <remarks>The bytes hold OTP codes, private metadata and IP addresses: protect them at rest, clear them after use, never log them.</remarks>
internal static class HankoEventPartsSerializer
{
    private const int Version = 1;

    /// <summary>Writes the parts.</summary>
    /// <param name="parts">The verified parts of a delivery (<see cref="HankoEvent.ToParts"/>).</param>
    /// <returns>The UTF-8 JSON.</returns>
    /// <exception cref="InvalidOperationException">The parts have no name or no data.</exception>
    public static byte[] Serialize(HankoEventParts parts)
    {
        if (string.IsNullOrEmpty(parts.Name) || parts.Data.IsEmpty)
        {
            throw new InvalidOperationException("Only the parts of a verified delivery (with a name and data) can be stored.");
        }

        var buffer = new ArrayBufferWriter<byte>(parts.Data.Length + 512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", Version);
            json.WriteString("n", parts.Name);
            json.WriteString("id", parts.DeliveryId);
            json.WriteNumber("iat", parts.IssuedAt.ToUnixTimeSeconds());
            json.WriteNumber("exp", parts.ExpiresAt.ToUnixTimeSeconds());
            json.WriteStartArray("aud");
            foreach (var audience in parts.Audience)
            {
                json.WriteStringValue(audience);
            }

            json.WriteEndArray();
            json.WritePropertyName("data");
            json.WriteRawValue(parts.Data.Span, skipInputValidation: true); // the verifier parsed it
            json.WriteEndObject();
        }

        var bytes = buffer.WrittenSpan.ToArray();
        buffer.Clear(); // zeroes the working copy
        return bytes;
    }

    /// <summary>
    /// Reads what <see cref="Serialize"/> wrote, in one pass (the data is sliced out as it was written, not re-encoded).
    /// </summary>
    /// <param name="utf8Json">The stored bytes.</param>
    /// <param name="parts">The parts (<see cref="HankoEventParts.Project"/> unset), when they could be read.</param>
    /// <returns><see langword="false"/> for anything malformed, incomplete, nested deeper than the verifier accepts, or of another format version.</returns>
    public static bool TryDeserialize(ReadOnlySpan<byte> utf8Json, out HankoEventParts parts)
    {
        parts = default;
        try
        {
            if (Read(utf8Json) is not { } read)
            {
                return false;
            }

            parts = read;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            return false;
        }
    }

    private static HankoEventParts? Read(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = HankoEventParts.MaxDataDepth });
        Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject);
        int? version = null;
        string? name = null, deliveryId = null;
        long? issuedAt = null, expiresAt = null;
        List<string>? audience = null;
        byte[]? data = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader;
            Expect(reader.Read());
            if (property.ValueTextEquals("v"u8))
            {
                version = reader.GetInt32();
            }
            else if (property.ValueTextEquals("n"u8))
            {
                name = reader.GetString();
            }
            else if (property.ValueTextEquals("id"u8))
            {
                deliveryId = reader.GetString();
            }
            else if (property.ValueTextEquals("iat"u8))
            {
                issuedAt = reader.GetInt64();
            }
            else if (property.ValueTextEquals("exp"u8))
            {
                expiresAt = reader.GetInt64();
            }
            else if (property.ValueTextEquals("aud"u8))
            {
                Expect(reader.TokenType == JsonTokenType.StartArray);
                audience = [];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    audience.Add(reader.GetString() ?? string.Empty);
                }
            }
            else if (property.ValueTextEquals("data"u8))
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                data = utf8Json[start..(int)reader.BytesConsumed].ToArray();
            }
            else
            {
                reader.Skip();
            }
        }

        Expect(reader.TokenType == JsonTokenType.EndObject && !reader.Read());
        if (version != Version || name is null || deliveryId is null || issuedAt is null || expiresAt is null || audience is null || data is null)
        {
            return null;
        }

        return new HankoEventParts(name, data)
        {
            DeliveryId = deliveryId,
            IssuedAt = DateTimeOffset.FromUnixTimeSeconds(issuedAt.Value),
            ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(expiresAt.Value),
            Audience = audience.ToArray(),
        };
    }

    private static void Expect(bool condition)
    {
        if (!condition)
        {
            throw new FormatException("The stored parts are not in the expected format.");
        }
    }
}
