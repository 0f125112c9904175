namespace Hanko.Webhooks;

/// <summary><c>user.update.email.delete</c>: an email address (and any identity linked to it) was removed.</summary>
public sealed class UserEmailDeleteEvent : UserEmailEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.UserEmailDelete"/>, for example to unit-test a handler.</summary>
    public UserEmailDeleteEvent()
        : this(HankoEventNames.UserEmailDelete)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal UserEmailDeleteEvent(string name)
        : base(name)
    {
    }
}
