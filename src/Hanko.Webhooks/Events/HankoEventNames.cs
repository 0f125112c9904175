namespace Hanko.Webhooks;

/// <summary>
/// The event names Hanko uses, exactly as in Hanko's <c>backend/webhooks/events/events.go</c>.
/// Group names (<see cref="User"/>, <see cref="UserEmail"/>, <see cref="Session"/>, …) are subscription prefixes;
/// leaf names are what Hanko puts into the token's <c>evt</c> claim.
/// </summary>
public static class HankoEventNames
{
    /// <summary>
    /// The names Hanko delivers itself (the <c>evt</c> of a real token), in subscription-tree order; group names that are
    /// only subscription prefixes are not among them. Derived from the SDK's one table of events.
    /// </summary>
    public static IReadOnlyList<string> Delivered => HankoEventCatalog.DeliveredNames;

    /// <summary>
    /// Every name of Hanko's event tree this SDK knows: the delivered names and the group names (<see cref="User"/>,
    /// <see cref="UserEmail"/>, <see cref="SessionDelete"/>, …), in subscription-tree order: the names a Hanko subscription or
    /// an endpoint's event filter can take. Derived from the SDK's one table of events.
    /// </summary>
    public static IReadOnlyList<string> All => HankoEventCatalog.AllNames;

    /// <summary>
    /// The subscription names that make Hanko send a hook every event a handler of <paramref name="eventType"/> receives,
    /// and nothing beyond Hanko's prefix rule: the name the type mirrors (<see cref="User"/> for <see cref="UserEvent"/>), every
    /// top-level name for <see cref="HankoEvent"/>, and none for <see cref="UnknownHankoEvent"/> (no name asks for families
    /// this SDK does not know) or for <see cref="UserCatchUpEvent"/> (the SDK's own, which Hanko never sends).
    /// </summary>
    /// <param name="eventType">The <c>TEvent</c> of an <see cref="IHankoEventHandler{TEvent}"/>.</param>
    /// <returns>The names, in ordinal order.</returns>
    /// <exception cref="ArgumentException"><paramref name="eventType"/> is not <see cref="HankoEvent"/> or one of the SDK's event types.</exception>
    public static IReadOnlyList<string> SubscriptionsFor(Type eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        return HankoEventCatalog.SubscriptionsFor(eventType)
            ?? throw new ArgumentException($"{eventType} is not a Hanko event type of this SDK.", nameof(eventType));
    }

    /// <summary><c>user</c>: the group of every user event (never delivered itself).</summary>
    public const string User = "user";

    /// <summary><c>user.create</c>: a user was created (registration, Admin API, third-party sign-up).</summary>
    public const string UserCreate = "user.create";

    /// <summary><c>user.login</c>: a user logged in through the login flow (backend v1.4.0+).</summary>
    public const string UserLogin = "user.login";

    /// <summary><c>user.update</c>: delivered itself (third-party sign-in that claims an email) and the group of every <c>user.update.*</c> event.</summary>
    public const string UserUpdate = "user.update";

    /// <summary><c>user.delete</c>: a user was deleted; the payload is the user as it was before.</summary>
    public const string UserDelete = "user.delete";

    /// <summary><c>user.update.email</c>: the group of email changes (never delivered itself).</summary>
    public const string UserEmail = "user.update.email";

    /// <summary><c>user.update.email.create</c>: an email address was added.</summary>
    public const string UserEmailCreate = "user.update.email.create";

    /// <summary><c>user.update.email.primary</c>: the primary email address changed.</summary>
    public const string UserEmailPrimary = "user.update.email.primary";

    /// <summary><c>user.update.email.delete</c>: an email address was removed.</summary>
    public const string UserEmailDelete = "user.update.email.delete";

    /// <summary><c>user.update.username</c>: the group of username changes (never delivered itself).</summary>
    public const string UserUsername = "user.update.username";

    /// <summary><c>user.update.username.create</c>: a username was set for the first time.</summary>
    public const string UserUsernameCreate = "user.update.username.create";

    /// <summary><c>user.update.username.update</c>: the username changed.</summary>
    public const string UserUsernameUpdate = "user.update.username.update";

    /// <summary><c>user.update.username.delete</c>: the username was removed.</summary>
    public const string UserUsernameDelete = "user.update.username.delete";

    /// <summary><c>user.update.password.update</c>: the password was changed or recovered (Hanko has no <c>user.update.password</c> group).</summary>
    public const string UserPasswordChange = "user.update.password.update";

    /// <summary>
    /// <c>user.update.custom_claims</c>: a tenant-defined claim value changed at a SAML or OIDC/OAuth login (announced upstream,
    /// teamhanko/hanko PR #2884; servers without it refuse a subscription that names it).
    /// </summary>
    public const string UserCustomClaims = "user.update.custom_claims";

    /// <summary>
    /// The name of the SDK's own <see cref="UserCatchUpEvent"/>: not one of Hanko's names (Hanko never sends it, and no
    /// subscription asks for it); a verified token that carried it would arrive as an <see cref="UnknownHankoEvent"/>.
    /// </summary>
    internal const string UserCatchUp = "hanko-webhooks.catch-up.user";

    /// <summary><c>email.send</c>: Hanko asks you to send an email (passcodes, security notifications).</summary>
    public const string EmailSend = "email.send";

    /// <summary><c>session</c>: the group of every session event (never delivered itself).</summary>
    public const string Session = "session";

    /// <summary><c>session.create</c>: the group of session creations (never delivered itself).</summary>
    public const string SessionCreate = "session.create";

    /// <summary><c>session.create.flow</c>: a session was created by a login, registration or token-exchange flow.</summary>
    public const string SessionCreateFlow = "session.create.flow";

    /// <summary><c>session.create.admin</c>: a session was created through the Admin API.</summary>
    public const string SessionCreateAdmin = "session.create.admin";

    /// <summary><c>session.delete</c>: the group of session deletions (never delivered itself).</summary>
    public const string SessionDelete = "session.delete";

    /// <summary><c>session.delete.explicit</c>: the group of sessions ended by the user (never delivered itself).</summary>
    public const string SessionDeleteExplicit = "session.delete.explicit";

    /// <summary><c>session.delete.explicit.logout</c>: the user logged out.</summary>
    public const string SessionDeleteExplicitLogout = "session.delete.explicit.logout";

    /// <summary><c>session.delete.explicit.revoke</c>: the user revoked a session from their profile.</summary>
    public const string SessionDeleteExplicitRevoke = "session.delete.explicit.revoke";

    /// <summary><c>session.delete.admin</c>: the group of sessions ended through the Admin API (never delivered itself).</summary>
    public const string SessionDeleteAdmin = "session.delete.admin";

    /// <summary><c>session.delete.admin.revoke</c>: a session was revoked through the Admin API.</summary>
    public const string SessionDeleteAdminRevoke = "session.delete.admin.revoke";

    /// <summary><c>session.delete.passive</c>: the group of sessions ended by Hanko itself (never delivered itself).</summary>
    public const string SessionDeletePassive = "session.delete.passive";

    /// <summary><c>session.delete.passive.expire</c>: a session idled out; fired lazily, when the stale session is next presented.</summary>
    public const string SessionDeletePassiveExpire = "session.delete.passive.expire";

    /// <summary><c>session.delete.passive.limit</c>: the oldest session was evicted because the user exceeded the session limit.</summary>
    public const string SessionDeletePassiveLimit = "session.delete.passive.limit";
}
