namespace Hanko.Webhooks;

/// <summary><c>user.update</c> and every <c>user.update.*</c> event. Hanko delivers <c>user.update</c> itself after a third-party sign-in that claims an existing email.</summary>
public class UserUpdateEvent : UserEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.UserUpdate"/>, for example to unit-test a handler.</summary>
    public UserUpdateEvent()
        : this(HankoEventNames.UserUpdate)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal UserUpdateEvent(string name)
        : base(name)
    {
    }
}
