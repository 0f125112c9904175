namespace Hanko.Webhooks;

/// <summary>
/// The values of <see cref="HankoEmailMessage.Type"/> that Hanko sends in <c>email.send</c>. Treat the set as open:
/// a type not listed here arrives with <see cref="UnknownEmailData"/>.
/// </summary>
public static class HankoEmailTypes
{
    /// <summary>A passcode to sign in (<c>login</c>). Data: <see cref="PasscodeEmailData"/>.</summary>
    public const string Login = "login";

    /// <summary>A passcode to recover the account (<c>recovery</c>). Data: <see cref="PasscodeEmailData"/>.</summary>
    public const string Recovery = "recovery";

    /// <summary>A passcode to verify an email address (<c>email_verification</c>). Data: <see cref="PasscodeEmailData"/>.</summary>
    public const string EmailVerification = "email_verification";

    /// <summary>
    /// Someone tried to sign in with an unknown address (<c>email_login_attempted</c>). Data: <see cref="PasscodeEmailData"/>
    /// with only <see cref="PasscodeEmailData.ServiceName"/> since Hanko v2.2.1 (older servers also sent an unusable code).
    /// </summary>
    public const string EmailLoginAttempted = "email_login_attempted";

    /// <summary>
    /// Someone tried to register an address that is already taken (<c>email_registration_attempted</c>).
    /// Data: <see cref="PasscodeEmailData"/> with only <see cref="PasscodeEmailData.ServiceName"/> since Hanko v2.2.1.
    /// </summary>
    public const string EmailRegistrationAttempted = "email_registration_attempted";

    /// <summary>
    /// A security notification (<c>security_notification</c>, since Hanko v2.4.2). Data: <see cref="SecurityNotificationEmailData"/>;
    /// see <see cref="HankoSecurityNotificationTemplates"/>.
    /// </summary>
    public const string SecurityNotification = "security_notification";

    /// <summary>
    /// Legacy passcode mail (<c>passcode</c>): every passcode before Hanko v1.4.0, and the legacy passcode endpoint up to
    /// v2.7.x (removed in v3.0.0). Data: <see cref="PasscodeEmailData"/>.
    /// </summary>
    public const string Passcode = "passcode";
}
