namespace Hanko.Webhooks;

/// <summary>
/// What the host knows of the HTTP request besides its body, for
/// <see cref="IHankoWebhookReceiver.ReceiveAsync(Stream, HankoRequestInfo?, CancellationToken)"/>:
/// a missing or non-JSON content type is refused with <c>415</c>, a declared length over
/// <see cref="HankoWebhookOptions.MaxBodyBytes"/> with <c>413</c> before a byte is read.
/// </summary>
/// <param name="contentType">The <c>Content-Type</c> header as received; <see langword="null"/> when the request had none.</param>
/// <param name="contentLength">The <c>Content-Length</c> header; <see langword="null"/> (or negative) when not sent, as for a chunked body.</param>
public sealed class HankoRequestInfo(string? contentType, long? contentLength = null)
{
    /// <summary>The <c>Content-Type</c> header as received; <see langword="null"/> when the request had none.</summary>
    public string? ContentType { get; } = contentType;

    /// <summary>The <c>Content-Length</c> header; <see langword="null"/> (or negative) when not sent.</summary>
    public long? ContentLength { get; } = contentLength;
}
