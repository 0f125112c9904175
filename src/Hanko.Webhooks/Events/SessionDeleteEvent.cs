namespace Hanko.Webhooks;

/// <summary>Every <c>session.delete.*</c> event.</summary>
public class SessionDeleteEvent : SessionEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.SessionDelete"/>, for example to unit-test a handler.</summary>
    public SessionDeleteEvent()
        : this(HankoEventNames.SessionDelete)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal SessionDeleteEvent(string name)
        : base(name)
    {
    }
}
