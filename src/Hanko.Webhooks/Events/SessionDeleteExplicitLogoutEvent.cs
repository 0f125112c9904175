namespace Hanko.Webhooks;

/// <summary><c>session.delete.explicit.logout</c>: the user logged out.</summary>
public sealed class SessionDeleteExplicitLogoutEvent : SessionDeleteExplicitEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.SessionDeleteExplicitLogout"/>, for example to unit-test a handler.</summary>
    public SessionDeleteExplicitLogoutEvent()
        : this(HankoEventNames.SessionDeleteExplicitLogout)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal SessionDeleteExplicitLogoutEvent(string name)
        : base(name)
    {
    }
}
