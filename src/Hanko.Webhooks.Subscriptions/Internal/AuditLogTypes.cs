using System.Collections.Frozen;

namespace Hanko.Webhooks.Subscriptions;

/// <summary>
/// The audit log entry types that change a user (<c>backend/persistence/models/audit_log.go</c>), and the Hanko event each
/// stands for, as Hanko's code writes them side by side (the flow actions that write the entry and call
/// <c>NotifyUserChange</c>). <see langword="null"/>: the user changed, but Hanko sends no webhook for it.
/// </summary>
/// <remarks>
/// Left out, because they change no user: failures, <c>user_logged_out</c>, the <c>*_init_*</c> and passcode steps,
/// <c>security_notification_sent</c>, <c>token_exchange_*</c>, <c>thirdparty_signin_signup_failed</c>.
/// </remarks>
internal static class AuditLogTypes
{
    public static readonly FrozenDictionary<string, string?> EventNameOf = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["user_created"] = HankoEventNames.UserCreate,
        ["thirdparty_signup_succeeded"] = HankoEventNames.UserCreate,
        ["user_deleted"] = HankoEventNames.UserDelete,
        ["login_success"] = HankoEventNames.UserLogin,
        ["email_created"] = HankoEventNames.UserEmailCreate,
        ["email_deleted"] = HankoEventNames.UserEmailDelete,
        ["primary_email_changed"] = HankoEventNames.UserEmailPrimary,
        ["thirdparty_linking_succeeded"] = HankoEventNames.UserUpdate,

        // Written for a username created and for one changed alike: the group name says which family, not which.
        ["username_changed"] = HankoEventNames.UserUsername,
        ["username_deleted"] = HankoEventNames.UserUsernameDelete,
        ["password_changed"] = HankoEventNames.UserPasswordChange,
        ["email_verified"] = null,
        ["password_deleted"] = null,
        ["password_set_succeeded"] = null,
        ["passkey_created"] = null,
        ["passkey_deleted"] = null,
        ["security_key_created"] = null,
        ["otp_created"] = null,
        ["thirdparty_signin_succeeded"] = null,
        ["webauthn_credential_updated"] = null,
        ["webauthn_credential_deleted"] = null,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The types asked for, in a fixed order (the <c>type</c> query parameter, repeated).</summary>
    public static readonly IReadOnlyList<string> Requested = [.. EventNameOf.Keys.Order(StringComparer.Ordinal)];
}
