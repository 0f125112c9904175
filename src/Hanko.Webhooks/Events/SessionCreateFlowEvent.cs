namespace Hanko.Webhooks;

/// <summary><c>session.create.flow</c>: a login, registration or token-exchange flow issued a session.</summary>
public sealed class SessionCreateFlowEvent : SessionCreateEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.SessionCreateFlow"/>, for example to unit-test a handler.</summary>
    public SessionCreateFlowEvent()
        : this(HankoEventNames.SessionCreateFlow)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal SessionCreateFlowEvent(string name)
        : base(name)
    {
    }
}
