namespace Hanko.Webhooks;

/// <summary><c>user.update.username.delete</c>: the username was removed (the payload has no username).</summary>
public sealed class UserUsernameDeleteEvent : UserUsernameEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.UserUsernameDelete"/>, for example to unit-test a handler.</summary>
    public UserUsernameDeleteEvent()
        : this(HankoEventNames.UserUsernameDelete)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal UserUsernameDeleteEvent(string name)
        : base(name)
    {
    }
}
