namespace Hanko.Webhooks;

/// <summary><c>user.update.email.primary</c>: the primary email address changed.</summary>
public sealed class UserEmailPrimaryEvent : UserEmailEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.UserEmailPrimary"/>, for example to unit-test a handler.</summary>
    public UserEmailPrimaryEvent()
        : this(HankoEventNames.UserEmailPrimary)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal UserEmailPrimaryEvent(string name)
        : base(name)
    {
    }
}
