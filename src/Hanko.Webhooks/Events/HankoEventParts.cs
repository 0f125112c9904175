namespace Hanko.Webhooks;

/// <summary>
/// A verified delivery as an <see cref="IHankoHandOff"/> holds it: what the signed token says (name, lifetime, audience, the
/// <c>data</c> bytes) and the delivery id. A hand-off keeps it in memory, or stores <see cref="ToBytes"/> and reads it back
/// with <see cref="TryFromBytes"/>; its worker hands it back to <see cref="IHankoWebhookReceiver.ProcessHandedOffAsync"/>,
/// which rebuilds the event with the SDK's own reader and limits. Nobody else reads or writes the fields.
/// </summary>
/// <remarks>A struct: creating an event from its parts allocates nothing beyond the event and its payload.</remarks>
public readonly struct HankoEventParts
{
    /// <summary>Creates the parts of an event (the verifier, the stored form, tests).</summary>
    /// <param name="name">The signed <c>evt</c> claim.</param>
    /// <param name="data">The UTF-8 JSON of the signed <c>data</c> claim (an object).</param>
    internal HankoEventParts(string name, ReadOnlyMemory<byte> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Data = data;
    }

    /// <summary>The signed <c>evt</c> claim.</summary>
    public string Name { get; }

    /// <summary>
    /// How deep a verified token's payload may nest, <c>data</c> included: the one depth limit the verifier applies. An end
    /// user's metadata can legitimately nest about 1,500 levels, far beyond System.Text.Json's default of 64, so a store or
    /// tool that reads a delivery's <c>data</c> (or a JSON document that wraps it one level down, as a token's payload does) must
    /// set its reader's <c>MaxDepth</c> to this value, or it loses genuine deliveries that the verifier accepted.
    /// </summary>
    public static int MaxDataDepth => DataDepthLimit;

    /// <summary>The value of <see cref="MaxDataDepth"/>, as a constant for attributes (the JSON context) and the token reader.</summary>
    internal const int DataDepthLimit = 16 * 1024;

    /// <summary>The UTF-8 JSON of the signed <c>data</c> claim. The event keeps this memory: do not reuse it.</summary>
    internal ReadOnlyMemory<byte> Data { get; }

    /// <summary>The token's <c>iat</c>.</summary>
    /// <value>The default is <see langword="default"/> (no <c>iat</c>).</value>
    internal DateTimeOffset IssuedAt { get; init; }

    /// <summary>The token's <c>exp</c>.</summary>
    /// <value>The default is <see langword="default"/>.</value>
    public DateTimeOffset ExpiresAt { get; internal init; }

    /// <summary>The token's <c>aud</c>.</summary>
    /// <value>The default is empty.</value>
    internal IReadOnlyList<string> Audience { get; init; } = [];

    /// <summary>The delivery id (see <see cref="HankoEvent.DeliveryId"/>).</summary>
    /// <value>The default is empty: an event not from a verified token.</value>
    public string DeliveryId { get; internal init; } = string.Empty;

    /// <summary>The project the event was received for (see <see cref="HankoEvent.Project"/>).</summary>
    /// <value>The default is <see langword="null"/>: the unnamed registration of <c>AddHankoWebhooks()</c>.</value>
    public string? Project { get; internal init; }

    /// <summary>
    /// The stored form, for a hand-off that persists deliveries: UTF-8 JSON with the name, claims, delivery id and the
    /// <c>data</c> as it was signed (the project is not stored: a store is one project's). It holds OTP codes, private metadata
    /// and IP addresses: protect it at rest (Data Protection), clear it after use, never log it.
    /// </summary>
    /// <returns>A new array with the stored form.</returns>
    /// <exception cref="InvalidOperationException">These parts are not a verified delivery's (no name or no data).</exception>
    public byte[] ToBytes() => HankoEventPartsSerializer.Serialize(this);

    /// <summary>
    /// Reads the stored form back, with the verifier's own nesting limit (<see cref="MaxDataDepth"/>), so that whatever was
    /// verified can be rebuilt.
    /// </summary>
    /// <param name="bytes">What <see cref="ToBytes"/> returned.</param>
    /// <param name="parts">The parts, <see cref="Project"/> unset (the receiver that processes them sets its own).</param>
    /// <returns><see langword="false"/> for anything malformed, incomplete, or of another format version.</returns>
    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out HankoEventParts parts) => HankoEventPartsSerializer.TryDeserialize(bytes, out parts);
}
