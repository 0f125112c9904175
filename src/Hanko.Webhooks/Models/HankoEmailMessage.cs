using System.Text.Json.Serialization;
using Hanko.Webhooks.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// A mail Hanko wants sent, the <c>data</c> of the <c>email.send</c> event (Go <c>webhook.EmailSend</c>).
/// </summary>
/// <remarks>
/// If <see cref="DeliveredByHanko"/> is <see langword="true"/>, Hanko has already sent the mail: do not send it again.
/// The subject and bodies contain the passcode in clear text: never log them.
/// </remarks>
[JsonConverter(typeof(HankoEmailMessageConverter))]
public sealed class HankoEmailMessage
{
    /// <summary>The localized subject (wire <c>subject</c>). Always sent.</summary>
    [JsonPropertyName("subject")]
    public string Subject { get; init; } = "";

    /// <summary>The plain-text body, trimmed (wire <c>body_plain</c>). Always sent.</summary>
    [JsonPropertyName("body_plain")]
    public string BodyPlain { get; init; } = "";

    /// <summary>The HTML body (wire <c>body</c>). Sent since Hanko v1.5.0; <see langword="null"/> for older servers.</summary>
    [JsonPropertyName("body")]
    public string? Body { get; init; }

    /// <summary>The recipient (wire <c>to_email_address</c>). Always sent.</summary>
    [JsonPropertyName("to_email_address")]
    public string ToEmailAddress { get; init; } = "";

    /// <summary>
    /// Whether Hanko has already delivered this mail itself (wire <c>delivered_by_hanko</c>). Always sent.
    /// If <see langword="true"/>, <b>do not send it again</b>.
    /// </summary>
    [JsonPropertyName("delivered_by_hanko")]
    public bool DeliveredByHanko { get; init; }

    /// <summary>
    /// Deprecated by Hanko; use <see cref="Language"/>. Despite the wire name <c>accept_language</c>, since Hanko v1.4.0
    /// this is the <c>X-Language</c> header value for passcode mails and always <c>""</c> for security notifications;
    /// before v1.4.0 it was the raw <c>Accept-Language</c> header. Always sent.
    /// </summary>
    [JsonPropertyName("accept_language")]
    public string AcceptLanguage { get; init; } = "";

    /// <summary>The language the mail is in: the <c>X-Language</c> request header, may be empty (wire <c>language</c>). Sent since Hanko v1.4.0; <see langword="null"/> for older servers.</summary>
    [JsonPropertyName("language")]
    public string? Language { get; init; }

    /// <summary>The kind of mail (wire <c>type</c>); see <see cref="HankoEmailTypes"/>. Always sent.</summary>
    [JsonPropertyName("type")]
    public string Type { get; init; } = "";

    /// <summary>
    /// The template data (wire <c>data</c>); never <see langword="null"/>. Its class follows <see cref="Type"/>:
    /// <see cref="PasscodeEmailData"/>, <see cref="SecurityNotificationEmailData"/>, or <see cref="UnknownEmailData"/>.
    /// </summary>
    [JsonPropertyName("data")]
    public HankoEmailData Data { get; init; } = UnknownEmailData.None;
}
