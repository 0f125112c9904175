namespace Hanko.Webhooks;

/// <summary>Every <c>session.delete.passive.*</c> event: Hanko ended the session itself.</summary>
public class SessionDeletePassiveEvent : SessionDeleteEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.SessionDeletePassive"/>, for example to unit-test a handler.</summary>
    public SessionDeletePassiveEvent()
        : this(HankoEventNames.SessionDeletePassive)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal SessionDeletePassiveEvent(string name)
        : base(name)
    {
    }
}
