namespace Hanko.Webhooks;

/// <summary>
/// A verified event whose name belongs to no family this SDK knows (for example <c>billing.paid</c> from a newer Hanko).
/// Its payload is only available as <see cref="HankoEvent.RawData"/>. It is delivered to handlers of
/// <see cref="HankoEvent"/> and of this type, and is never an error.
/// </summary>
public sealed class UnknownHankoEvent : HankoEvent
{
    /// <summary>Creates an unknown event with the given name.</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    public UnknownHankoEvent(string name)
        : base(name)
    {
    }
}
