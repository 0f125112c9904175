using System.Text.Json;

namespace Hanko.Webhooks.Verification;

/// <summary>
/// Reads the request body Hanko posts: <c>{"token":"&lt;JWS&gt;","event":"&lt;name&gt;"}</c>. Other members are skipped;
/// a repeated <c>token</c> or <c>event</c> member is refused rather than guessed at.
/// </summary>
internal readonly struct WebhookEnvelope
{
    private WebhookEnvelope(ReadOnlyMemory<byte> token, string? bodyEvent)
    {
        Token = token;
        BodyEvent = bodyEvent;
    }

    /// <summary>The token's ASCII bytes: a slice of the body when it is not escaped, else a copy.</summary>
    public ReadOnlyMemory<byte> Token { get; }

    /// <summary>The unsigned <c>event</c> member, or <see langword="null"/> when absent.</summary>
    public string? BodyEvent { get; }

    public static bool TryParse(ReadOnlyMemory<byte> body, out WebhookEnvelope envelope, out string error)
    {
        envelope = default;
        try
        {
            return TryRead(body, out envelope, out error);
        }
        catch (JsonException)
        {
            error = "The body is not valid JSON.";
            return false;
        }
        catch (InvalidOperationException)
        {
            error = "The body is not valid JSON.";
            return false;
        }
    }

    private static bool TryRead(ReadOnlyMemory<byte> body, out WebhookEnvelope envelope, out string error)
    {
        envelope = default;
        var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { MaxDepth = 16 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = "The body must be a JSON object {\"token\": \"...\", \"event\": \"...\"}.";
            return false;
        }

        ReadOnlyMemory<byte>? token = null;
        string? bodyEvent = null;
        var sawEvent = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("token"u8))
            {
                reader.Read();
                if (token is not null || reader.TokenType != JsonTokenType.String)
                {
                    error = token is null ? "The member \"token\" must be a string." : "The member \"token\" appears twice.";
                    return false;
                }

                token = reader.ValueIsEscaped
                    ? System.Text.Encoding.UTF8.GetBytes(reader.GetString()!)
                    : body.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
            }
            else if (reader.ValueTextEquals("event"u8))
            {
                reader.Read();
                if (sawEvent || (reader.TokenType != JsonTokenType.String && reader.TokenType != JsonTokenType.Null))
                {
                    error = sawEvent ? "The member \"event\" appears twice." : "The member \"event\" must be a string.";
                    return false;
                }

                sawEvent = true;
                bodyEvent = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            error = "The body is not valid JSON.";
            return false;
        }

        if (token is null || token.Value.IsEmpty)
        {
            error = "The body has no \"token\".";
            return false;
        }

        envelope = new WebhookEnvelope(token.Value, bodyEvent);
        error = string.Empty;
        return true;
    }
}
