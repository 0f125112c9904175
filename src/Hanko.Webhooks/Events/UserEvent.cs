namespace Hanko.Webhooks;

/// <summary>Every <c>user.*</c> event (Hanko subscription <c>user</c>), including logins, username and password changes.</summary>
public class UserEvent : HankoEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.User"/>, for example to unit-test a handler.</summary>
    public UserEvent()
        : this(HankoEventNames.User)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal UserEvent(string name)
        : base(name)
    {
    }

    /// <summary>The user as Hanko's Admin API describes it (<c>admin.User</c>).</summary>
    public required HankoUser User { get; init; }
}
