namespace Hanko.Webhooks;

/// <summary>
/// The template data of an <c>email.send</c> event (<see cref="HankoEmailMessage.Data"/>). Its shape depends on
/// <see cref="HankoEmailMessage.Type"/>: <see cref="PasscodeEmailData"/>, <see cref="SecurityNotificationEmailData"/>,
/// or <see cref="UnknownEmailData"/> for a type this SDK does not know.
/// </summary>
public abstract class HankoEmailData
{
    /// <summary>Only the SDK's own data classes derive from this class.</summary>
    private protected HankoEmailData()
    {
    }
}
