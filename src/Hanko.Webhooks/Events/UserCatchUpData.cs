using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// The <c>data</c> of a <see cref="UserCatchUpEvent"/>'s parts, the form a hand-off stores and the event is rebuilt from
/// (by the factory, with the core's payload reader): <c>{"user_id","user"?,"event_names","audit_log_types","window_start","window_end"}</c>,
/// the user being the Admin API's <c>admin.User</c> bytes as Hanko answered them.
/// </summary>
internal sealed class UserCatchUpData
{
    [JsonPropertyName("user_id")]
    public required Guid UserId { get; init; }

    [JsonPropertyName("user")]
    public HankoUser? User { get; init; }

    [JsonPropertyName("event_names")]
    public required IReadOnlyList<string> EventNames { get; init; }

    [JsonPropertyName("audit_log_types")]
    public required IReadOnlyList<string> AuditLogTypes { get; init; }

    [JsonPropertyName("window_start")]
    public required DateTimeOffset WindowStart { get; init; }

    [JsonPropertyName("window_end")]
    public required DateTimeOffset WindowEnd { get; init; }

    /// <summary>Writes the data; <paramref name="user"/> is written as given (the factory reads it as any user payload).</summary>
    /// <exception cref="JsonException"><paramref name="user"/> is neither empty (deleted) nor one JSON object.</exception>
    public static byte[] Write(Guid userId, ReadOnlySpan<byte> user, IReadOnlyList<string> eventNames, IReadOnlyList<string> auditLogTypes, DateTimeOffset windowStart, DateTimeOffset windowEnd)
    {
        if (!user.IsEmpty)
        {
            EnsureOneObject(user);
        }

        var buffer = new ArrayBufferWriter<byte>(user.Length + 256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("user_id", userId);
            if (!user.IsEmpty)
            {
                json.WritePropertyName("user");
                json.WriteRawValue(user, skipInputValidation: true); // checked above, as deep as the verifier accepts
            }

            WriteList(json, "event_names", eventNames);
            WriteList(json, "audit_log_types", auditLogTypes);
            json.WriteString("window_start", windowStart.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("window_end", windowEnd.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>One JSON object and nothing after it, nested no deeper than a verified payload may be.</summary>
    private static void EnsureOneObject(ReadOnlySpan<byte> user)
    {
        var reader = new Utf8JsonReader(user, new JsonReaderOptions { MaxDepth = HankoEventParts.DataDepthLimit });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The user is not a JSON object.");
        }

        reader.Skip();
        if (reader.Read())
        {
            throw new JsonException("The user is followed by more JSON.");
        }
    }

    private static void WriteList(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
