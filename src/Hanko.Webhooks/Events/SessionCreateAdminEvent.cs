namespace Hanko.Webhooks;

/// <summary><c>session.create.admin</c>: a session was created through the Admin API.</summary>
public sealed class SessionCreateAdminEvent : SessionCreateEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.SessionCreateAdmin"/>, for example to unit-test a handler.</summary>
    public SessionCreateAdminEvent()
        : this(HankoEventNames.SessionCreateAdmin)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal SessionCreateAdminEvent(string name)
        : base(name)
    {
    }
}
