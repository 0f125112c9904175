using System.Text.Json;

namespace Hanko.Webhooks.Verification;

/// <summary>
/// The claims of a verified token, read from its payload in one pass. <c>data</c> is not parsed here; its position in
/// the payload is kept so that it can be deserialized straight into the typed model.
/// </summary>
internal sealed class WebhookClaims
{
    public string? Subject { get; private set; }

    public string? EventName { get; private set; }

    public bool HasEventClaim { get; private set; }

    public long? Expires { get; private set; }

    public long? IssuedAt { get; private set; }

    public long? NotBefore { get; private set; }

    public IReadOnlyList<string> Audience { get; private set; } = [];

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
            error = "The token payload is not valid JSON.";
            return false;
        }
        catch (FormatException)
        {
            error = "A time claim of the token is not a number of seconds.";
            return false;
        }
    }

    private bool Read(ReadOnlySpan<byte> payload, out string error)
    {
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 64 });
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
                    Subject = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    break;
                case Evt:
                    HasEventClaim = true;
                    EventName = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
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

        error = string.Empty;
        return true;
    }

    private const long MinUnixSeconds = 0;
    private const long MaxUnixSeconds = 253402300799; // 9999-12-31T23:59:59Z, the last second DateTimeOffset can hold

    private const int Sub = 1, Evt = 2, Exp = 4, Iat = 8, Nbf = 16, Aud = 32, DataClaim = 64;

    private static int Identify(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("sub"u8) ? Sub
        : reader.ValueTextEquals("evt"u8) ? Evt
        : reader.ValueTextEquals("exp"u8) ? Exp
        : reader.ValueTextEquals("iat"u8) ? Iat
        : reader.ValueTextEquals("nbf"u8) ? Nbf
        : reader.ValueTextEquals("aud"u8) ? Aud
        : reader.ValueTextEquals("data"u8) ? DataClaim
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
