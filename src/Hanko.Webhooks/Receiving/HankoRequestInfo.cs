namespace Hanko.Webhooks;

/// <summary>
/// What the host knows of the HTTP request besides its body, for
/// <see cref="IHankoWebhookReceiver.ReceiveAsync(Stream, HankoRequestInfo, HankoReceiveOptions, CancellationToken)"/>:
/// a missing or non-JSON content type is refused with <c>415</c>, a declared length over
/// <see cref="HankoWebhookOptions.MaxBodyBytes"/> with <c>413</c> before a byte is read.
/// </summary>
/// <param name="ContentType">The <c>Content-Type</c> header as received; <see langword="null"/> when the request had none.</param>
/// <param name="ContentLength">The <c>Content-Length</c> header; <see langword="null"/> (or negative) when not sent, as for a chunked body.</param>
public readonly record struct HankoRequestInfo(string? ContentType, long? ContentLength = null);
