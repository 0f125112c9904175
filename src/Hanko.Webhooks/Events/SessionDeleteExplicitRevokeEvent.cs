namespace Hanko.Webhooks;

/// <summary><c>session.delete.explicit.revoke</c>: the user revoked the session from their profile.</summary>
public sealed class SessionDeleteExplicitRevokeEvent : SessionDeleteExplicitEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.SessionDeleteExplicitRevoke"/>, for example to unit-test a handler.</summary>
    public SessionDeleteExplicitRevokeEvent()
        : this(HankoEventNames.SessionDeleteExplicitRevoke)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal SessionDeleteExplicitRevokeEvent(string name)
        : base(name)
    {
    }
}
