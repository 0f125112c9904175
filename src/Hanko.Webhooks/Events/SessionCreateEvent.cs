namespace Hanko.Webhooks;

/// <summary>Every <c>session.create.*</c> event.</summary>
public class SessionCreateEvent : SessionEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.SessionCreate"/>, for example to unit-test a handler.</summary>
    public SessionCreateEvent()
        : this(HankoEventNames.SessionCreate)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal SessionCreateEvent(string name)
        : base(name)
    {
    }
}
