using System.Text.Json;

namespace Hanko.Webhooks.Verification;

/// <summary>
/// The claims of a verified token, read from its payload in one pass. <c>data</c> is not parsed here; its position in
/// the payload is kept so that it can be deserialized straight into the typed model.
/// </summary>
internal sealed class WebhookClaims
{
    /// <summary>
    /// How deep the payload JSON may nest. Hanko's Go encoder refuses anything deeper than 10,000 levels for the whole
    /// token payload, and an end user controls <c>unsafe_metadata</c> (payload → data → metadata → unsafe_metadata), so
    /// every depth up to that must pass. The readers that see the payload (<see cref="Utf8JsonReader"/>, JsonDocument
    /// for <see cref="HankoEvent.RawData"/> and the metadata <see cref="JsonElement"/>s, the source-generated model) are
    /// not recursive, so the limit is not there to protect the stack: it only bounds what is accepted, with room above
    /// Go's 10,000. .NET's recursive walkers (JsonElement.DeepEquals, JsonNode) were checked to survive it on a default
    /// 1.5 MB thread stack.
    /// </summary>
    internal const int MaxDepth = HankoEventParts.DataDepthLimit;

    public string? Subject { get; private set; }

    public string? EventName { get; private set; }

    public bool HasEventClaim { get; private set; }

    public long? Expires { get; private set; }

    public long? IssuedAt { get; private set; }

    public long? NotBefore { get; private set; }

    public IReadOnlyList<string> Audience { get; private set; } = [];

    /// <summary>Whether the payload has a <c>session_id</c> claim (with any value): Hanko's session tokens have one, its webhook tokens never.</summary>
    public bool HasSessionId { get; private set; }

    /// <summary>Where the <c>data</c> value lies in the payload; <c>Length</c> is 0 when there is none.</summary>
    public Range Data { get; private set; }

    /// <summary>The JSON kind of <c>data</c> (it must be an object).</summary>
    public JsonTokenType DataKind { get; private set; } = JsonTokenType.None;

    public static bool TryRead(ReadOnlySpan<byte> payload, out WebhookClaims claims, out string error)
    {
        claims = new WebhookClaims();
        try
        {
            return claims.Read(payload, out error);
        }
        catch (JsonException)
        {
            error = $"The token payload is not valid JSON, or nests deeper than {MaxDepth} levels.";
            return false;
        }
        catch (FormatException)
        {
            error = "A time claim of the token is not a number of seconds.";
            return false;
        }
        catch (InvalidOperationException)
        {
            // GetString on a string that is not valid UTF-8, or that escapes a lone surrogate (\ud800).
            error = "A claim of the token is a string that is not valid Unicode text.";
            return false;
        }
    }

    private bool Read(ReadOnlySpan<byte> payload, out string error)
    {
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = MaxDepth });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = "The token payload is not a JSON object.";
            return false;
        }

        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var claim = Identify(ref reader);
            if (claim != 0 && (seen & claim) != 0)
            {
                error = "The token payload repeats a claim.";
                return false;
            }

            seen |= claim;
            reader.Read();
            switch (claim)
            {
                case Sub:
                    Subject = ReadStringOrSkip(ref reader);
                    break;
                case Evt:
                    HasEventClaim = true;
                    EventName = ReadStringOrSkip(ref reader);
                    break;
                case Exp:
                    Expires = ReadSeconds(ref reader);
                    break;
                case Iat:
                    IssuedAt = ReadSeconds(ref reader);
                    break;
                case Nbf:
                    NotBefore = ReadSeconds(ref reader);
                    break;
                case Aud:
                    if (!TryReadAudience(ref reader, out error))
                    {
                        return false;
                    }

                    break;
                case SessionIdClaim:
                    HasSessionId = true;
                    reader.Skip();
                    break;
                case DataClaim:
                    DataKind = reader.TokenType;
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    Data = new Range(start, (int)reader.BytesConsumed);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        // One JSON value and nothing after it (RFC 8259 §2); whitespace is allowed, anything else is not.
        if (reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != 0 || reader.Read())
        {
            error = "The token payload has bytes after its JSON object.";
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>The string value, or <see langword="null"/> for any other value, which is skipped as a whole (an object or array too).</summary>
    private static string? ReadStringOrSkip(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private const long MinUnixSeconds = 0;
    private const long MaxUnixSeconds = 253402300799; // 9999-12-31T23:59:59Z, the last second DateTimeOffset can hold

    private const int Sub = 1, Evt = 2, Exp = 4, Iat = 8, Nbf = 16, Aud = 32, DataClaim = 64, SessionIdClaim = 128;

    private static int Identify(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("sub"u8) ? Sub
        : reader.ValueTextEquals("evt"u8) ? Evt
        : reader.ValueTextEquals("exp"u8) ? Exp
        : reader.ValueTextEquals("iat"u8) ? Iat
        : reader.ValueTextEquals("nbf"u8) ? Nbf
        : reader.ValueTextEquals("aud"u8) ? Aud
        : reader.ValueTextEquals("data"u8) ? DataClaim
        : reader.ValueTextEquals("session_id"u8) ? SessionIdClaim // last: a webhook token's claims are all matched before it
        : 0;

    private static long? ReadSeconds(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw new FormatException();
        }

        // NumericDate may have a fraction (RFC 7519 §2); Hanko writes whole seconds.
        var seconds = reader.TryGetInt64(out var whole) ? whole : Math.Floor(reader.GetDouble());
        if (seconds is < MinUnixSeconds or > MaxUnixSeconds)
        {
            throw new FormatException();
        }

        return (long)seconds;
    }

    private bool TryReadAudience(ref Utf8JsonReader reader, out string error)
    {
        error = string.Empty;
        if (reader.TokenType == JsonTokenType.String)
        {
            Audience = [reader.GetString()!];
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            error = "The token's \"aud\" is neither a string nor an array of strings.";
            return false;
        }

        var audience = new List<string>(1);
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            audience.Add(reader.GetString()!);
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            error = "The token's \"aud\" is neither a string nor an array of strings.";
            return false;
        }

        Audience = audience;
        return true;
    }
}
