using System.Net.Http.Headers;
using System.Text;

namespace Hanko.Webhooks.Testing;

/// <summary>
/// One webhook request as Hanko sends it: <c>POST</c> with <c>Content-Type: application/json</c> and the body
/// <c>{"token":"&lt;JWS&gt;","event":"&lt;event&gt;"}</c>.
/// </summary>
public sealed class HankoDelivery
{
    private readonly byte[] _bodyBytes;

    internal HankoDelivery(string eventName, string token, string body)
    {
        EventName = eventName;
        Token = token;
        Body = body;
        _bodyBytes = Encoding.UTF8.GetBytes(body);
    }

    /// <summary>The event name the delivery was created for (what a genuine Hanko would have put in <c>evt</c>).</summary>
    public string EventName { get; }

    /// <summary>The JWS compact token, as in the body's <c>token</c> field.</summary>
    public string Token { get; }

    /// <summary>The request body text.</summary>
    public string Body { get; }

    /// <summary>The request body as UTF-8 bytes (what arrives on the wire).</summary>
    public ReadOnlyMemory<byte> BodyBytes => _bodyBytes;

    /// <summary>
    /// Creates the request content: the body bytes with <c>Content-Type: application/json</c> and no charset, exactly like Hanko.
    /// Each call returns new content, so the delivery can be posted more than once (Hanko sends the same token to every hook).
    /// </summary>
    /// <returns>New HTTP content for the body.</returns>
    public HttpContent ToHttpContent()
    {
        var content = new ByteArrayContent(_bodyBytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>Returns a copy of this delivery with another body (for malformed or truncated bodies); <see cref="Token"/> is kept.</summary>
    /// <param name="body">The new request body text.</param>
    /// <returns>A new delivery.</returns>
    public HankoDelivery WithBody(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new HankoDelivery(EventName, Token, body);
    }

    /// <inheritdoc />
    public override string ToString() => $"{EventName} delivery ({_bodyBytes.Length} bytes)";
}
