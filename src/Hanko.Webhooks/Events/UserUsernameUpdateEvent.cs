namespace Hanko.Webhooks;

/// <summary><c>user.update.username.update</c>: the username changed.</summary>
public sealed class UserUsernameUpdateEvent : UserUsernameEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.UserUsernameUpdate"/>, for example to unit-test a handler.</summary>
    public UserUsernameUpdateEvent()
        : this(HankoEventNames.UserUsernameUpdate)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal UserUsernameUpdateEvent(string name)
        : base(name)
    {
    }
}
