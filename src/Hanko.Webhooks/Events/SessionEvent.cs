namespace Hanko.Webhooks;

/// <summary>Every <c>session.*</c> event (Hanko subscription <c>session</c>).</summary>
public class SessionEvent : HankoEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.Session"/>, for example to unit-test a handler.</summary>
    public SessionEvent()
        : this(HankoEventNames.Session)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal SessionEvent(string name)
        : base(name)
    {
    }

    /// <summary>The session (Hanko's <c>models.Session</c>); its id is the <c>session_id</c> claim of the user's session token.</summary>
    public required HankoSession Session { get; init; }
}
