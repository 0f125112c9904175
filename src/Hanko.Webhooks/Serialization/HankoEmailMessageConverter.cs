using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hanko.Webhooks.Serialization;

/// <summary>
/// Reads and writes <see cref="HankoEmailMessage"/>, whose <c>data</c> class depends on the sibling key <c>type</c>
/// (which System.Text.Json polymorphism cannot express).
/// </summary>
/// <remarks>
/// One forward pass over the object. If <c>type</c> has already been read when <c>data</c> comes, <c>data</c> is read
/// in place; otherwise a copy of the reader (a struct, so a cheap checkpoint) is kept at <c>data</c>, the value is
/// skipped, and it is read from the checkpoint once the whole object has been seen. System.Text.Json buffers the full
/// value before it calls a converter, so the checkpoint stays valid. Unknown keys are skipped.
/// </remarks>
internal sealed class HankoEmailMessageConverter : JsonConverter<HankoEmailMessage>
{
    // The wire names, once for reading and writing (all ASCII, so the encoded bytes equal the UTF-8 name).
    private static readonly JsonEncodedText SubjectName = JsonEncodedText.Encode("subject");
    private static readonly JsonEncodedText BodyPlainName = JsonEncodedText.Encode("body_plain");
    private static readonly JsonEncodedText BodyName = JsonEncodedText.Encode("body");
    private static readonly JsonEncodedText ToEmailAddressName = JsonEncodedText.Encode("to_email_address");
    private static readonly JsonEncodedText DeliveredByHankoName = JsonEncodedText.Encode("delivered_by_hanko");
    private static readonly JsonEncodedText AcceptLanguageName = JsonEncodedText.Encode("accept_language");
    private static readonly JsonEncodedText LanguageName = JsonEncodedText.Encode("language");
    private static readonly JsonEncodedText TypeName = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText DataName = JsonEncodedText.Encode("data");

    public override HankoEmailMessage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected a JSON object for the email.send data.");
        }

        string subject = "", bodyPlain = "", toEmailAddress = "", acceptLanguage = "";
        string? body = null, language = null, type = null;
        var deliveredByHanko = false;
        HankoEmailData? data = null;
        var hasDeferredData = false;
        Utf8JsonReader deferredData = default;

        while (true)
        {
            if (!reader.Read())
            {
                throw new JsonException("Unexpected end of the email.send data.");
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                throw new JsonException("Expected a property name in the email.send data.");
            }

            if (reader.ValueTextEquals(SubjectName.EncodedUtf8Bytes))
            {
                subject = ReadString(ref reader) ?? "";
            }
            else if (reader.ValueTextEquals(BodyPlainName.EncodedUtf8Bytes))
            {
                bodyPlain = ReadString(ref reader) ?? "";
            }
            else if (reader.ValueTextEquals(BodyName.EncodedUtf8Bytes))
            {
                body = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals(ToEmailAddressName.EncodedUtf8Bytes))
            {
                toEmailAddress = ReadString(ref reader) ?? "";
            }
            else if (reader.ValueTextEquals(DeliveredByHankoName.EncodedUtf8Bytes))
            {
                deliveredByHanko = ReadBoolean(ref reader);
            }
            else if (reader.ValueTextEquals(AcceptLanguageName.EncodedUtf8Bytes))
            {
                acceptLanguage = ReadString(ref reader) ?? "";
            }
            else if (reader.ValueTextEquals(LanguageName.EncodedUtf8Bytes))
            {
                language = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals(TypeName.EncodedUtf8Bytes))
            {
                type = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals(DataName.EncodedUtf8Bytes))
            {
                Advance(ref reader);
                if (type is not null)
                {
                    data = ReadData(ref reader, type);
                    hasDeferredData = false;
                }
                else
                {
                    // `type` has not been seen yet: remember where `data` starts and come back to it.
                    deferredData = reader;
                    hasDeferredData = true;
                    data = null;
                    reader.Skip();
                }
            }
            else
            {
                Advance(ref reader);
                reader.Skip();
            }
        }

        type ??= "";
        if (hasDeferredData)
        {
            data = ReadData(ref deferredData, type);
        }

        return new HankoEmailMessage
        {
            Subject = subject,
            BodyPlain = bodyPlain,
            Body = body,
            ToEmailAddress = toEmailAddress,
            DeliveredByHanko = deliveredByHanko,
            AcceptLanguage = acceptLanguage,
            Language = language,
            Type = type,
            Data = data ?? EmptyData(type),
        };
    }

    public override void Write(Utf8JsonWriter writer, HankoEmailMessage value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(SubjectName, value.Subject);
        writer.WriteString(BodyPlainName, value.BodyPlain);
        if (value.Body is not null)
        {
            writer.WriteString(BodyName, value.Body);
        }

        writer.WriteString(ToEmailAddressName, value.ToEmailAddress);
        writer.WriteBoolean(DeliveredByHankoName, value.DeliveredByHanko);
        writer.WriteString(AcceptLanguageName, value.AcceptLanguage);
        if (value.Language is not null)
        {
            writer.WriteString(LanguageName, value.Language);
        }

        writer.WriteString(TypeName, value.Type);
        switch (value.Data)
        {
            case PasscodeEmailData passcode:
                writer.WritePropertyName(DataName);
                JsonSerializer.Serialize(writer, passcode, HankoJsonContext.Default.PasscodeEmailData);
                break;
            case SecurityNotificationEmailData notification:
                writer.WritePropertyName(DataName);
                JsonSerializer.Serialize(writer, notification, HankoJsonContext.Default.SecurityNotificationEmailData);
                break;
            case UnknownEmailData unknown when unknown.Raw.ValueKind != JsonValueKind.Undefined:
                writer.WritePropertyName(DataName);
                unknown.Raw.WriteTo(writer);
                break;
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads <c>data</c> (the reader is on its first token) as the class that <paramref name="type"/> calls for.</summary>
    private static HankoEmailData ReadData(ref Utf8JsonReader reader, string type)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return EmptyData(type);
        }

        switch (type)
        {
            case HankoEmailTypes.Login:
            case HankoEmailTypes.Recovery:
            case HankoEmailTypes.EmailVerification:
            case HankoEmailTypes.EmailLoginAttempted:
            case HankoEmailTypes.EmailRegistrationAttempted:
            case HankoEmailTypes.Passcode:
                RequireObject(ref reader);
                return JsonSerializer.Deserialize(ref reader, HankoJsonContext.Default.PasscodeEmailData)!;
            case HankoEmailTypes.SecurityNotification:
                RequireObject(ref reader);
                return JsonSerializer.Deserialize(ref reader, HankoJsonContext.Default.SecurityNotificationEmailData)!;
            default:
                return new UnknownEmailData { Raw = JsonElement.ParseValue(ref reader) };
        }
    }

    /// <summary>The data for a message that has no (or a <c>null</c>) <c>data</c> value.</summary>
    private static HankoEmailData EmptyData(string type) => type switch
    {
        HankoEmailTypes.Login or HankoEmailTypes.Recovery or HankoEmailTypes.EmailVerification
            or HankoEmailTypes.EmailLoginAttempted or HankoEmailTypes.EmailRegistrationAttempted
            or HankoEmailTypes.Passcode => new PasscodeEmailData(),
        HankoEmailTypes.SecurityNotification => new SecurityNotificationEmailData(),
        _ => UnknownEmailData.None,
    };

    private static void RequireObject(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected a JSON object for the email.send data.data.");
        }
    }

    private static void Advance(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("Unexpected end of the email.send data.");
        }
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw new JsonException("Expected a JSON string in the email.send data."),
        };
    }

    private static bool ReadBoolean(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        return reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => throw new JsonException("Expected a JSON boolean in the email.send data."),
        };
    }
}
