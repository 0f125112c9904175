namespace Hanko.Webhooks;

/// <summary>
/// The values of <see cref="SecurityNotificationEmailData.Template"/>. Treat the set as open: Hanko may add templates.
/// </summary>
public static class HankoSecurityNotificationTemplates
{
    /// <summary>The password was changed (<c>password_update</c>).</summary>
    public const string PasswordUpdate = "password_update";

    /// <summary>
    /// The primary address changed (<c>primary_email_update</c>); carries <see cref="SecurityNotificationEmailData.OldEmailAddress"/>
    /// and <see cref="SecurityNotificationEmailData.NewEmailAddress"/>, and is sent to the old primary address.
    /// </summary>
    public const string PrimaryEmailUpdate = "primary_email_update";

    /// <summary>An address was added (<c>email_create</c>); carries <see cref="SecurityNotificationEmailData.NewEmailAddress"/>.</summary>
    public const string EmailCreate = "email_create";

    /// <summary>An address was removed (<c>email_delete</c>); carries <see cref="SecurityNotificationEmailData.DeletedEmailAddress"/>.</summary>
    public const string EmailDelete = "email_delete";

    /// <summary>A passkey was added (<c>passkey_create</c>).</summary>
    public const string PasskeyCreate = "passkey_create";

    /// <summary>A second factor (authenticator app or security key) was added (<c>mfa_create</c>).</summary>
    public const string MfaCreate = "mfa_create";

    /// <summary>A second factor (authenticator app or security key) was removed (<c>mfa_delete</c>).</summary>
    public const string MfaDelete = "mfa_delete";
}
