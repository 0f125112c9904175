using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Hanko.Webhooks.Verification;

/// <summary>
/// The three parts of a JWS in compact serialization (<c>header.payload.signature</c>, RFC 7515 §7.1) and its protected
/// header. This only finds the parts and reads the header; the signature is checked by IdentityModel.
/// </summary>
internal readonly struct CompactJws
{
    private const int MaxHeaderBytes = 2048;

    private static readonly SearchValues<byte> CompactChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."u8);

    private CompactJws(int firstDot, int secondDot, int length, string algorithm, string keyId)
    {
        FirstDot = firstDot;
        SecondDot = secondDot;
        Length = length;
        Algorithm = algorithm;
        KeyId = keyId;
    }

    public int FirstDot { get; }

    public int SecondDot { get; }

    public int Length { get; }

    /// <summary>The header's <c>alg</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The header's <c>kid</c>.</summary>
    public string KeyId { get; }

    /// <summary>The signing input: <c>ASCII(header '.' payload)</c>.</summary>
    public int SigningInputLength => SecondDot;

    public static bool TryParse(ReadOnlySpan<byte> token, int maxLength, out CompactJws jws, out HankoWebhookFailure failure, out string error)
    {
        jws = default;
        failure = HankoWebhookFailure.MalformedToken;
        if (token.Length > maxLength)
        {
            error = $"The token is {token.Length} bytes long; at most {maxLength} are accepted.";
            return false;
        }

        // RFC 7515 §7.1: three base64url segments and two dots, nothing else (base64 decoders would skip whitespace,
        // so without this check one token could be written in many ways).
        if (token.IndexOfAnyExcept(CompactChars) >= 0)
        {
            error = "The token has characters that base64url does not use.";
            return false;
        }

        var firstDot = token.IndexOf((byte)'.');
        var secondDot = firstDot < 0 ? -1 : token[(firstDot + 1)..].IndexOf((byte)'.');
        if (firstDot <= 0 || secondDot < 0)
        {
            error = "The token is not a compact JWS (header.payload.signature).";
            return false;
        }

        secondDot += firstDot + 1;
        if (secondDot == firstDot + 1 || token[(secondDot + 1)..].IndexOf((byte)'.') >= 0)
        {
            error = "The token is not a compact JWS (header.payload.signature).";
            return false;
        }

        var headerSegment = token[..firstDot];
        if (Base64Url.GetMaxDecodedLength(headerSegment.Length) > MaxHeaderBytes)
        {
            error = "The token header is too long.";
            return false;
        }

        Span<byte> header = stackalloc byte[MaxHeaderBytes];
        if (Base64Url.DecodeFromUtf8(headerSegment, header, out _, out var written) != OperationStatus.Done)
        {
            error = "The token header is not base64url.";
            return false;
        }

        if (!TryReadHeader(header[..written], out var algorithm, out var keyId, out error))
        {
            return false;
        }

        if (algorithm is null)
        {
            error = "The token header has no \"alg\".";
            return false;
        }

        if (string.IsNullOrEmpty(keyId))
        {
            error = "The token header has no \"kid\"; Hanko always names its key.";
            return false;
        }

        jws = new CompactJws(firstDot, secondDot, token.Length, algorithm, keyId);
        error = string.Empty;
        return true;
    }

    /// <summary>Decodes the signature into <paramref name="destination"/>.</summary>
    public bool TryDecodeSignature(ReadOnlySpan<byte> token, Span<byte> destination, out int written)
    {
        written = 0;
        var segment = token[(SecondDot + 1)..];
        return Base64Url.GetMaxDecodedLength(segment.Length) <= destination.Length
            && Base64Url.DecodeFromUtf8(segment, destination, out _, out written) == OperationStatus.Done
            && written > 0;
    }

    /// <summary>Decodes the payload into a new array (the event keeps it for <see cref="HankoEvent.RawData"/>).</summary>
    public bool TryDecodePayload(ReadOnlySpan<byte> token, out byte[] payload)
    {
        var segment = token[(FirstDot + 1)..SecondDot];
        var buffer = new byte[Base64Url.GetMaxDecodedLength(segment.Length)];
        if (Base64Url.DecodeFromUtf8(segment, buffer, out _, out var written) != OperationStatus.Done)
        {
            payload = [];
            return false;
        }

        payload = written == buffer.Length ? buffer : buffer.AsSpan(0, written).ToArray();
        return true;
    }

    private static bool TryReadHeader(ReadOnlySpan<byte> header, out string? algorithm, out string? keyId, out string error)
    {
        algorithm = null;
        keyId = null;
        try
        {
            var reader = new Utf8JsonReader(header, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "The token header is not a JSON object.";
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("alg"u8))
                {
                    if (!ReadUniqueString(ref reader, algorithm, out algorithm))
                    {
                        error = "The token header's \"alg\" is not a single string.";
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("kid"u8))
                {
                    if (!ReadUniqueString(ref reader, keyId, out keyId))
                    {
                        error = "The token header's \"kid\" is not a single string.";
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("crit"u8))
                {
                    // RFC 7515 §4.1.11: a recipient must refuse extensions it does not understand. Hanko sets none.
                    error = "The token header has a \"crit\" member, which Hanko never sets.";
                    return false;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // One JSON value and nothing after it (RFC 8259 §2).
            if (reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != 0 || reader.Read())
            {
                error = "The token header has bytes after its JSON object.";
                return false;
            }

            error = string.Empty;
            return true;
        }
        catch (JsonException)
        {
            error = "The token header is not valid JSON.";
            return false;
        }
        catch (InvalidOperationException)
        {
            // GetString on a string that is not valid UTF-8 (found by the envelope fuzz test: an unhandled 500 before).
            error = "The token header is not valid JSON.";
            return false;
        }
    }

    private static bool ReadUniqueString(ref Utf8JsonReader reader, string? existing, out string? value)
    {
        reader.Read();
        value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return existing is null && value is not null;
    }
}
