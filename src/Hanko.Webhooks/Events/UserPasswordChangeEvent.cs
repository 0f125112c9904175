namespace Hanko.Webhooks;

/// <summary><c>user.update.password.update</c>: the password was changed or reset through recovery.</summary>
public sealed class UserPasswordChangeEvent : UserUpdateEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.UserPasswordChange"/>, for example to unit-test a handler.</summary>
    public UserPasswordChangeEvent()
        : this(HankoEventNames.UserPasswordChange)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal UserPasswordChangeEvent(string name)
        : base(name)
    {
    }
}
