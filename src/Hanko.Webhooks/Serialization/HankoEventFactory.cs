using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Hanko.Webhooks.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// Creates typed events from their verified parts, exactly as the verifier does: the event table
/// (<see cref="HankoEventCatalog"/>) says which type a name becomes and how it is built; this reads the payload.
/// </summary>
internal static class HankoEventFactory
{
    /// <summary>
    /// Creates the complete typed event from its verified parts, exactly as the verifier does: for example to rebuild an
    /// event that was handed off and stored (name, claims, data and delivery id) in another process.
    /// </summary>
    /// <param name="parts">The event's name, claims, <c>data</c> bytes and delivery id.</param>
    /// <returns>The event, of the type its name resolves to.</returns>
    /// <exception cref="JsonException">The data does not have the shape the event's type needs.</exception>
    /// <remarks>Only for parts that were verified: the event is trusted as if it had come from the verifier.</remarks>
    public static HankoEvent Create(HankoEventParts parts) => Create(parts, handedOff: false);

    /// <summary>
    /// Like <see cref="Create(HankoEventParts)"/>; with <paramref name="handedOff"/>, the name may also be one of the SDK's own
    /// events (a delivery the SDK made and handed off itself, never a token's).
    /// </summary>
    public static HankoEvent Create(HankoEventParts parts, bool handedOff)
    {
        if (string.IsNullOrEmpty(parts.Name))
        {
            throw new ArgumentException("The parts have no event name; create them with new HankoEventParts(name, data).", nameof(parts));
        }

        var row = handedOff ? HankoEventCatalog.ResolveHandedOff(parts.Name) : HankoEventCatalog.Resolve(parts.Name);
        return row.Create(parts, PayloadReader.Instance);
    }

    /// <summary>
    /// Creates the event like <see cref="Create(HankoEventParts)"/>, reporting a <c>data</c> that does not fit the event's type as a message
    /// (the one a delivery refused with <see cref="HankoWebhookFailure.InvalidPayload"/> gets) instead of an exception.
    /// </summary>
    /// <param name="parts">The event's verified name, claims, <c>data</c> bytes and delivery id.</param>
    /// <param name="event">The event, when it could be created.</param>
    /// <param name="error">Why the data does not fit the SDK's model of the event; never contains the payload.</param>
    /// <returns>Whether the event was created.</returns>
    /// <remarks>Only for parts that were verified (and, when stored, protected against tampering).</remarks>
    /// <param name="handedOff">Whether the parts come back from a hand-off (which may hold the SDK's own events) rather than from a token.</param>
    public static bool TryCreate(HankoEventParts parts, [NotNullWhen(true)] out HankoEvent? @event, [NotNullWhen(false)] out string? error, bool handedOff = false)
    {
        try
        {
            @event = Create(parts, handedOff);
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            @event = null;
            error = InvalidPayloadMessage(parts.Name, ex);
            return false;
        }
    }

    /// <summary>Creates an event from its name and data alone (tests and benchmarks): no claims, no delivery id.</summary>
    internal static HankoEvent Create(string eventName, ReadOnlySpan<byte> data) => Create(new HankoEventParts(eventName, data.ToArray()));

    /// <summary>Why <paramref name="eventName"/>'s data does not fit its model: where, never what.</summary>
    private static string InvalidPayloadMessage(string eventName, JsonException ex) =>
        $"The data of {eventName} does not have the shape Hanko documents ({(ex.Path is { Length: > 0 } path ? $"at {path}" : "not an object")}).";

    /// <summary>The event table's payload reader: <see cref="HankoPayloadSerializer"/>.</summary>
    private sealed class PayloadReader : IHankoPayloadReader
    {
        public static readonly PayloadReader Instance = new();

        public HankoUser ReadUser(ReadOnlySpan<byte> utf8Json) => HankoPayloadSerializer.DeserializeUser(utf8Json);

        public HankoSession ReadSession(ReadOnlySpan<byte> utf8Json) => HankoPayloadSerializer.DeserializeSession(utf8Json);

        public HankoEmailMessage ReadEmailMessage(ReadOnlySpan<byte> utf8Json) => HankoPayloadSerializer.DeserializeEmailMessage(utf8Json);

        public UserCatchUpData ReadUserCatchUp(ReadOnlySpan<byte> utf8Json) => HankoPayloadSerializer.DeserializeUserCatchUp(utf8Json);
    }
}
