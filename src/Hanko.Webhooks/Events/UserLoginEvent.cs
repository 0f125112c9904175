namespace Hanko.Webhooks;

/// <summary><c>user.login</c>: a user logged in through the login flow.</summary>
public sealed class UserLoginEvent : UserEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.UserLogin"/>, for example to unit-test a handler.</summary>
    public UserLoginEvent()
        : this(HankoEventNames.UserLogin)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal UserLoginEvent(string name)
        : base(name)
    {
    }
}
