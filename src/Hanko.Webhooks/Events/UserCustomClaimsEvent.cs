namespace Hanko.Webhooks;

/// <summary>
/// <c>user.update.custom_claims</c>: at a SAML or OIDC/OAuth login, a tenant-defined claim value of the user appeared,
/// disappeared or changed (the new values are in <see cref="HankoUser.CustomClaims"/>). Announced upstream
/// (teamhanko/hanko PR #2884); servers without it never send it and refuse a subscription that names it.
/// </summary>
public sealed class UserCustomClaimsEvent : UserUpdateEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.UserCustomClaims"/>, for example to unit-test a handler.</summary>
    public UserCustomClaimsEvent()
        : this(HankoEventNames.UserCustomClaims)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal UserCustomClaimsEvent(string name)
        : base(name)
    {
    }
}
