namespace Hanko.Webhooks;

/// <summary><c>user.delete</c>: a user was deleted; <see cref="UserEvent.User"/> is the user as it was before deletion.</summary>
public sealed class UserDeleteEvent : UserEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.UserDelete"/>, for example to unit-test a handler.</summary>
    public UserDeleteEvent()
        : this(HankoEventNames.UserDelete)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal UserDeleteEvent(string name)
        : base(name)
    {
    }
}
