namespace Hanko.Webhooks;

/// <summary>Every <c>session.delete.admin.*</c> event.</summary>
public class SessionDeleteAdminEvent : SessionDeleteEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.SessionDeleteAdmin"/>, for example to unit-test a handler.</summary>
    public SessionDeleteAdminEvent()
        : this(HankoEventNames.SessionDeleteAdmin)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal SessionDeleteAdminEvent(string name)
        : base(name)
    {
    }
}
