namespace Hanko.Webhooks;

/// <summary>
/// What a verified webhook token says about one event, apart from the typed payload: its name, lifetime, audience, the
/// <c>data</c> bytes and the delivery id. The verifier creates events from these with <see cref="HankoEventFactory.Create(HankoEventParts)"/>; an
/// <see cref="IHankoHandOff"/> is given them, and its worker hands them back to
/// <see cref="IHankoWebhookReceiver.ProcessHandedOffAsync"/>.
/// </summary>
/// <remarks>A struct: creating an event from its parts allocates nothing beyond the event and its payload.</remarks>
public readonly struct HankoEventParts
{
    /// <summary>Creates the parts of an event.</summary>
    /// <param name="name">The signed <c>evt</c> claim.</param>
    /// <param name="data">The UTF-8 JSON of the signed <c>data</c> claim (an object).</param>
    public HankoEventParts(string name, ReadOnlyMemory<byte> data)
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
    /// tool that reads <see cref="Data"/> (or a JSON document that wraps it one level down, as a token's payload does) must
    /// set its reader's <c>MaxDepth</c> to this value, or it loses genuine deliveries that the verifier accepted.
    /// </summary>
    public static int MaxDataDepth => DataDepthLimit;

    /// <summary>The value of <see cref="MaxDataDepth"/>, as a constant for attributes (the JSON context) and the token reader.</summary>
    internal const int DataDepthLimit = 16 * 1024;

    /// <summary>The UTF-8 JSON of the signed <c>data</c> claim. The event keeps this memory: do not reuse it.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The token's <c>iat</c>.</summary>
    /// <value>The default is <see langword="default"/> (no <c>iat</c>).</value>
    public DateTimeOffset IssuedAt { get; init; }

    /// <summary>The token's <c>exp</c>.</summary>
    /// <value>The default is <see langword="default"/>.</value>
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The token's <c>aud</c>.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<string> Audience { get; init; } = [];

    /// <summary>The delivery id (see <see cref="HankoEvent.DeliveryId"/>).</summary>
    /// <value>The default is empty: an event not from a verified token.</value>
    public string DeliveryId { get; init; } = string.Empty;

    /// <summary>The project the event was received for (see <see cref="HankoEvent.Project"/>).</summary>
    /// <value>The default is <see langword="null"/>: the unnamed registration of <c>AddHankoWebhooks()</c>.</value>
    public string? Project { get; init; }
}
