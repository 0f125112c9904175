using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Hanko.Webhooks;

/// <summary>
/// The authentic parts of a delivery, as the verifier read them from the signed token: the event name, the claims, the
/// delivery id and the UTF-8 JSON of <c>data</c>. What a durable store keeps, and what it rebuilds the event from with
/// <see cref="TryCreateEvent"/>. The data can hold OTP codes, private metadata and IP addresses: store it protected,
/// never log it.
/// </summary>
public sealed class HankoVerifiedDelivery
{
    /// <summary>Creates the parts of a delivery, for example read back from a store.</summary>
    /// <param name="name">The signed event name (<c>evt</c>).</param>
    /// <param name="deliveryId">The <see cref="HankoEvent.DeliveryId"/>.</param>
    /// <param name="issuedAt">The <c>iat</c> claim.</param>
    /// <param name="expiresAt">The <c>exp</c> claim.</param>
    /// <param name="audience">The <c>aud</c> claim.</param>
    /// <param name="data">The UTF-8 JSON of the <c>data</c> claim.</param>
    public HankoVerifiedDelivery(string name, string deliveryId, DateTimeOffset issuedAt, DateTimeOffset expiresAt, IReadOnlyList<string> audience, ReadOnlyMemory<byte> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(deliveryId);
        ArgumentNullException.ThrowIfNull(audience);
        Name = name;
        DeliveryId = deliveryId;
        IssuedAt = issuedAt;
        ExpiresAt = expiresAt;
        Audience = audience;
        Data = data;
    }

    /// <summary>The signed event name (<c>evt</c>).</summary>
    public string Name { get; }

    /// <summary>The delivery id (see <see cref="HankoEvent.DeliveryId"/>).</summary>
    public string DeliveryId { get; }

    /// <summary>When Hanko signed the token (<c>iat</c>).</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>When the token expires (<c>exp</c>).</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The token's audience (<c>aud</c>).</summary>
    public IReadOnlyList<string> Audience { get; }

    /// <summary>The UTF-8 JSON of the signed <c>data</c> claim.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The parts of a verified event (no copy of its data is made).</summary>
    /// <param name="event">An event created by the verifier (or by <see cref="TryCreateEvent"/>).</param>
    /// <returns>The parts.</returns>
    public static HankoVerifiedDelivery FromEvent(HankoEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return new(@event.Name, @event.DeliveryId, @event.IssuedAt, @event.ExpiresAt, @event.Audience, @event.RawDataUtf8);
    }

    /// <summary>
    /// Builds the complete typed event from these parts, exactly as the verifier does after checking the signature. The
    /// parts are trusted: call this only for parts that were verified (and stored protected against tampering).
    /// </summary>
    /// <param name="event">The event, complete with its claims, delivery id and raw data.</param>
    /// <param name="error">Why the data does not fit the SDK's model of the event (as for <see cref="HankoWebhookFailure.InvalidPayload"/>).</param>
    /// <returns>Whether the event could be built.</returns>
    public bool TryCreateEvent([NotNullWhen(true)] out HankoEvent? @event, [NotNullWhen(false)] out string? error)
    {
        try
        {
            @event = HankoEventCatalog.Create(Name, Data.Span);
        }
        catch (JsonException ex)
        {
            @event = null;
            error = HankoWebhookVerifier.InvalidPayloadMessage(Name, ex);
            return false;
        }

        @event.SetVerifiedParts(this);
        error = null;
        return true;
    }
}
