namespace Hanko.Webhooks;

/// <summary><c>user.create</c>: a user was created by registration, the Admin API or a third-party sign-up.</summary>
public sealed class UserCreateEvent : UserEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.UserCreate"/>, for example to unit-test a handler.</summary>
    public UserCreateEvent()
        : this(HankoEventNames.UserCreate)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal UserCreateEvent(string name)
        : base(name)
    {
    }
}
