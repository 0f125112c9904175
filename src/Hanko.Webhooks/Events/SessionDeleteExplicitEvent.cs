namespace Hanko.Webhooks;

/// <summary>Every <c>session.delete.explicit.*</c> event: the user ended the session.</summary>
public class SessionDeleteExplicitEvent : SessionDeleteEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.SessionDeleteExplicit"/>, for example to unit-test a handler.</summary>
    public SessionDeleteExplicitEvent()
        : this(HankoEventNames.SessionDeleteExplicit)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal SessionDeleteExplicitEvent(string name)
        : base(name)
    {
    }
}
