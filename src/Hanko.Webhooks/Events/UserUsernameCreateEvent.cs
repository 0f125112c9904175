namespace Hanko.Webhooks;

/// <summary><c>user.update.username.create</c>: a username was set for the first time.</summary>
public sealed class UserUsernameCreateEvent : UserUsernameEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.UserUsernameCreate"/>, for example to unit-test a handler.</summary>
    public UserUsernameCreateEvent()
        : this(HankoEventNames.UserUsernameCreate)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal UserUsernameCreateEvent(string name)
        : base(name)
    {
    }
}
