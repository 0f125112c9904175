namespace Hanko.Webhooks;

/// <summary><c>email.send</c>: Hanko asks you to deliver an email. If <see cref="HankoEmailMessage.DeliveredByHanko"/> is true, Hanko sent it already.</summary>
public sealed class EmailSendEvent : HankoEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.EmailSend"/>, for example to unit-test a handler.</summary>
    public EmailSendEvent()
        : this(HankoEventNames.EmailSend)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal EmailSendEvent(string name)
        : base(name)
    {
    }

    /// <summary>The email to send: subject, bodies, recipient and the typed template data (passcode or security notification).</summary>
    public required HankoEmailMessage Email { get; init; }
}
