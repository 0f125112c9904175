namespace Hanko.Webhooks;

/// <summary><c>session.delete.admin.revoke</c>: the session was revoked through the Admin API.</summary>
public sealed class SessionDeleteAdminRevokeEvent : SessionDeleteAdminEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.SessionDeleteAdminRevoke"/>, for example to unit-test a handler.</summary>
    public SessionDeleteAdminRevokeEvent()
        : this(HankoEventNames.SessionDeleteAdminRevoke)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal SessionDeleteAdminRevokeEvent(string name)
        : base(name)
    {
    }
}
