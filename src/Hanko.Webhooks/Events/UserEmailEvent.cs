namespace Hanko.Webhooks;

/// <summary>Every <c>user.update.email.*</c> event (email address added, removed or made primary).</summary>
public class UserEmailEvent : UserUpdateEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.UserEmail"/>, for example to unit-test a handler.</summary>
    public UserEmailEvent()
        : this(HankoEventNames.UserEmail)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal UserEmailEvent(string name)
        : base(name)
    {
    }
}
