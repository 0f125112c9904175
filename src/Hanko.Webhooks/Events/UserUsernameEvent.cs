namespace Hanko.Webhooks;

/// <summary>Every <c>user.update.username.*</c> event.</summary>
public class UserUsernameEvent : UserUpdateEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.UserUsername"/>, for example to unit-test a handler.</summary>
    public UserUsernameEvent()
        : this(HankoEventNames.UserUsername)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal UserUsernameEvent(string name)
        : base(name)
    {
    }
}
