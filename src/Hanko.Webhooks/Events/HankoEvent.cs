using System.Text.Json;

namespace Hanko.Webhooks;

/// <summary>
/// A verified Hanko webhook event. The type hierarchy mirrors Hanko's subscription tree: a handler for a type
/// receives every event a Hanko subscription to that type's name would receive (for example
/// <see cref="UserEvent"/> receives every <c>user.*</c> event).
/// </summary>
/// <remarks>
/// Everything here comes from the signed token, never from the unsigned <c>event</c> field of the request body.
/// </remarks>
public abstract class HankoEvent
{
    private JsonElement? _rawData;
    private DateTimeOffset _issuedAt;
    private DateTimeOffset _expiresAt;
    private IReadOnlyList<string> _audience = [];
    private string _deliveryId = string.Empty;
    private string? _project;

    private protected HankoEvent(string name) => Name = name;

    /// <summary>The event name from the signed <c>evt</c> claim, for example <c>user.update.email.create</c>.</summary>
    /// <remarks>
    /// For an event name this SDK does not know yet (Hanko adds events), this is the real name, while the .NET type is
    /// the most specific known type whose name it starts with (<c>user.update.foo</c> arrives as <see cref="UserUpdateEvent"/>).
    /// </remarks>
    public string Name { get; init; }

    /// <summary>When Hanko signed the token (<c>iat</c>). Hanko mints the token when the event happens.</summary>
    public DateTimeOffset IssuedAt { get => _issuedAt; internal init => _issuedAt = value; }

    /// <summary>When the token expires (<c>exp</c>): five minutes after <see cref="IssuedAt"/>.</summary>
    public DateTimeOffset ExpiresAt { get => _expiresAt; internal init => _expiresAt = value; }

    /// <summary>The token's audience (<c>aud</c>): the Hanko project's <c>session.audience</c>, else its WebAuthn relying-party id.</summary>
    public IReadOnlyList<string> Audience { get => _audience; internal init => _audience = value; }

    /// <summary>
    /// Identifies this delivery: the lowercase hex SHA-256 of the token's decoded signature (64 characters). Two deliveries
    /// of the same token bytes (a callback URL registered twice, a forwarded copy) have the same id; Hanko sends no event id
    /// or <c>jti</c>, so this is the idempotency key to store. It is not secret and reveals nothing of the token.
    /// </summary>
    /// <remarks>
    /// RS256 signatures are deterministic, so the signature identifies the signed header and claims exactly; its decoded
    /// bytes are hashed, so a copy re-encoded in transit (whitespace, JSON escapes) has the same id. Caveat (Hanko's, not this SDK's): two distinct occurrences
    /// with byte-identical claims in the same second (for example two <c>user.login</c> of one user from the same IP and
    /// browser) are signed identically and so share an id. Empty for an event not created by the verifier.
    /// </remarks>
    public string DeliveryId { get => _deliveryId; init => _deliveryId = value ?? string.Empty; }

    /// <summary>
    /// The name of the Hanko project this event was received for, as registered with
    /// <c>services.AddHankoWebhooks("eu")</c>; <see langword="null"/> for the unnamed registration of
    /// <c>AddHankoWebhooks()</c> (as a keyed service without a key). Set by the project's own verifier, so a handler shared
    /// by several projects can tell them apart.
    /// </summary>
    public string? Project { get => _project; internal init => _project = value; }

    /// <summary>
    /// The signed <c>data</c> claim as raw JSON, for fields the typed model does not know yet.
    /// Parsed on first use. It can hold OTP codes, private metadata and IP addresses: never log it.
    /// </summary>
    public JsonElement RawData
    {
        get => _rawData ??= ParseRawData(RawDataUtf8);
        internal init => _rawData = value;
    }

    /// <summary>The UTF-8 bytes of the <c>data</c> claim, kept so that <see cref="RawData"/> costs nothing until used.</summary>
    internal ReadOnlyMemory<byte> RawDataUtf8 { get; private init; }

    /// <summary>Everything but the payload, given when the event is created; nothing changes it afterwards.</summary>
    internal HankoEventParts Parts
    {
        init
        {
            _issuedAt = value.IssuedAt;
            _expiresAt = value.ExpiresAt;
            _audience = value.Audience ?? [];
            _deliveryId = value.DeliveryId ?? string.Empty;
            _project = value.Project;
            RawDataUtf8 = value.Data;
        }
    }

    /// <summary>
    /// The parts this event was created from (name, claims, delivery id, project and the UTF-8 <c>data</c>, no copy of it): what a
    /// store keeps to rebuild the event later with <see cref="HankoEventFactory.Create(HankoEventParts)"/>. The data can hold OTP codes, private metadata and
    /// IP addresses: store it protected, never log it.
    /// </summary>
    /// <returns>The parts; <see cref="HankoEventParts.Data"/> is empty for an event not created from parts (a test's own).</returns>
    internal HankoEventParts ToParts() => new(Name, RawDataUtf8)
    {
        IssuedAt = _issuedAt,
        ExpiresAt = _expiresAt,
        Audience = _audience,
        DeliveryId = DeliveryId,
        Project = Project,
    };

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name} ({Name})";

    private static JsonElement ParseRawData(ReadOnlyMemory<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return default;
        }

        // As deep as the verifier accepts: JsonElement parsing is not recursive.
        var reader = new Utf8JsonReader(utf8.Span, new JsonReaderOptions { MaxDepth = HankoEventParts.DataDepthLimit });
        return JsonElement.ParseValue(ref reader);
    }
}
