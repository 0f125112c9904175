namespace Hanko.Webhooks;

/// <summary><c>user.update.email.create</c>: an email address was added; the payload is the user after the change.</summary>
public sealed class UserEmailCreateEvent : UserEmailEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.UserEmailCreate"/>, for example to unit-test a handler.</summary>
    public UserEmailCreateEvent()
        : this(HankoEventNames.UserEmailCreate)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal UserEmailCreateEvent(string name)
        : base(name)
    {
    }
}
