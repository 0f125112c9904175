namespace Hanko.Webhooks.SchemaGen;

/// <summary>
/// <b>The one table of what the models cannot say</b> about each wire key of each payload model: whether Hanko always sends it
/// (JSON Schema <c>required</c>) or may leave it out (Go <c>omitempty</c>, or a key that appeared in a later server version),
/// whether it may be <c>null</c>, and, where a converter hides the JSON shape, the schema of the value. The generator
/// refuses a model key without a row and a row without a model key, so a new field forces a decision here.
/// Sources: Hanko's Go structs as summarized in WIRE.md §4 (and §8 for the announced keys).
/// </summary>
internal static class WireFacts
{
    private const bool Always = true;
    private const bool Optional = false;

    private const string Integer = """{"type":"integer"}""";

    /// <summary>
    /// Values of <c>custom_claims</c> (teamhanko/hanko PR #2884): a string, a number (Go <c>float64</c>), a boolean or a list
    /// of strings; at most 50 claims.
    /// </summary>
    private const string CustomClaims = """
        {"type":"object","maxProperties":50,"additionalProperties":{"anyOf":[{"type":"string"},{"type":"number"},{"type":"boolean"},{"type":"array","items":{"type":"string"}}]}}
        """;

    /// <summary>The rows: model, wire key, always sent, may be null, schema override, and why where it is not plain Go.</summary>
    public static readonly Fact[] All =
    [
        new(typeof(HankoUser), "id", Always, Why: "the tenant-scoped public id since teamhanko/hanko PR #2826; a session's user_id (the internal id) need not equal it"),
        new(typeof(HankoUser), "webauthn_credentials", Optional),
        new(typeof(HankoUser), "emails", Optional),
        new(typeof(HankoUser), "username", Optional, Why: "since v1.0.1"),
        new(typeof(HankoUser), "created_at", Always),
        new(typeof(HankoUser), "updated_at", Always),
        new(typeof(HankoUser), "password", Optional, Why: "since v1.0.1"),
        new(typeof(HankoUser), "identities", Optional, Why: "since v1.0.1"),
        new(typeof(HankoUser), "otp", Optional, Nullable: true, Why: "v1.3.0 to v2.0.x send null, later servers leave it out"),
        new(typeof(HankoUser), "ip_address", Optional, Why: "flow-triggered changes only, since v1.4.0"),
        new(typeof(HankoUser), "user_agent", Optional, Why: "flow-triggered changes only, since v1.4.0"),
        new(typeof(HankoUser), "metadata", Optional, Why: "since v2.1.0"),
        new(typeof(HankoUser), "custom_claims", Optional, Schema: CustomClaims, Why: "teamhanko/hanko PR #2884"),
        new(typeof(HankoUser), "given_name", Optional, Why: "since v2.5.0"),
        new(typeof(HankoUser), "family_name", Optional, Why: "since v2.5.0"),
        new(typeof(HankoUser), "name", Optional, Why: "since v2.5.0"),
        new(typeof(HankoUser), "picture", Optional, Why: "since v2.5.0"),
        new(typeof(HankoUser), "organizations", Optional, Why: "teamhanko/hanko PR #2893"),

        new(typeof(HankoWebAuthnCredential), "id", Always, Why: "base64url, not a UUID"),
        new(typeof(HankoWebAuthnCredential), "name", Optional),
        new(typeof(HankoWebAuthnCredential), "public_key", Always),
        new(typeof(HankoWebAuthnCredential), "attestation_type", Always),
        new(typeof(HankoWebAuthnCredential), "aaguid", Always),
        new(typeof(HankoWebAuthnCredential), "last_used_at", Optional),
        new(typeof(HankoWebAuthnCredential), "created_at", Always),
        new(typeof(HankoWebAuthnCredential), "transports", Always, Why: "[] when empty, never null"),
        new(typeof(HankoWebAuthnCredential), "backup_eligible", Always),
        new(typeof(HankoWebAuthnCredential), "backup_state", Always),
        new(typeof(HankoWebAuthnCredential), "mfa_only", Optional, Why: "since v1.3.0"),

        new(typeof(HankoEmail), "id", Always),
        new(typeof(HankoEmail), "address", Always),
        new(typeof(HankoEmail), "is_verified", Always),
        new(typeof(HankoEmail), "is_primary", Always),
        new(typeof(HankoEmail), "created_at", Always),
        new(typeof(HankoEmail), "updated_at", Always),

        new(typeof(HankoUsername), "id", Always),
        new(typeof(HankoUsername), "username", Always),
        new(typeof(HankoUsername), "created_at", Always),
        new(typeof(HankoUsername), "updated_at", Always),

        new(typeof(HankoPasswordCredential), "id", Always),
        new(typeof(HankoPasswordCredential), "tenant_id", Optional, Why: "since v3.0.0"),
        new(typeof(HankoPasswordCredential), "created_at", Always),
        new(typeof(HankoPasswordCredential), "updated_at", Always),

        new(typeof(HankoIdentity), "id", Always),
        new(typeof(HankoIdentity), "provider_id", Always, Why: "the user's id at the provider"),
        new(typeof(HankoIdentity), "provider_name", Always, Why: "the provider key"),
        new(typeof(HankoIdentity), "email_id", Always, Nullable: true, Why: "*uuid.UUID without omitempty since v2.3.0"),
        new(typeof(HankoIdentity), "created_at", Always),
        new(typeof(HankoIdentity), "updated_at", Always),

        new(typeof(HankoOtpCredential), "id", Always),
        new(typeof(HankoOtpCredential), "created_at", Always),

        new(typeof(HankoUserMetadata), "public_metadata", Optional, Why: "json.RawMessage: any JSON"),
        new(typeof(HankoUserMetadata), "private_metadata", Optional, Why: "json.RawMessage: any JSON"),
        new(typeof(HankoUserMetadata), "unsafe_metadata", Optional, Why: "json.RawMessage: any JSON"),

        new(typeof(HankoOrganization), "id", Always),
        new(typeof(HankoOrganization), "name", Always),
        new(typeof(HankoOrganization), "roles", Always, Why: "built with make: [] when empty, never null"),

        new(typeof(HankoOrganizationRole), "id", Always),
        new(typeof(HankoOrganizationRole), "slug", Always),
        new(typeof(HankoOrganizationRole), "name", Always),

        new(typeof(HankoSession), "id", Always),
        new(typeof(HankoSession), "user_id", Optional, Nullable: true, Why: "the user's internal id, which need not equal the user.* data.id (teamhanko/hanko PR #2826); always a UUID today, PR #2310 (anonymous sessions) would send null or leave it out"),
        new(typeof(HankoSession), "user_agent", Always, Nullable: true, Why: "nulls.String"),
        new(typeof(HankoSession), "ip_address", Always, Nullable: true, Why: "nulls.String"),
        new(typeof(HankoSession), "created_at", Always),
        new(typeof(HankoSession), "updated_at", Always),
        new(typeof(HankoSession), "expires_at", Always, Nullable: true, Why: "*time.Time without omitempty"),
        new(typeof(HankoSession), "last_used", Always),

        new(typeof(HankoEmailMessage), "subject", Always),
        new(typeof(HankoEmailMessage), "body_plain", Always),
        new(typeof(HankoEmailMessage), "body", Optional, Why: "omitempty, since v1.5.0"),
        new(typeof(HankoEmailMessage), "to_email_address", Always),
        new(typeof(HankoEmailMessage), "delivered_by_hanko", Always),
        new(typeof(HankoEmailMessage), "accept_language", Always),
        new(typeof(HankoEmailMessage), "language", Optional, Why: "since v1.4.0"),
        new(typeof(HankoEmailMessage), "type", Always),
        new(typeof(HankoEmailMessage), "data", Always, Schema: """{"type":"object"}""", Why: "its shape follows type (see EmailDataByType)"),

        new(typeof(PasscodeEmailData), "service_name", Optional, Why: "every key omitempty since v2.2.1"),
        new(typeof(PasscodeEmailData), "otp_code", Optional, Why: "a string: leading zeros count"),
        new(typeof(PasscodeEmailData), "ttl", Optional, Schema: Integer, Why: "seconds"),
        new(typeof(PasscodeEmailData), "valid_until", Optional, Schema: Integer, Why: "Unix seconds"),

        new(typeof(SecurityNotificationEmailData), "template", Always),
        new(typeof(SecurityNotificationEmailData), "service_name", Optional),
        new(typeof(SecurityNotificationEmailData), "new_email_address", Optional),
        new(typeof(SecurityNotificationEmailData), "old_email_address", Optional),
        new(typeof(SecurityNotificationEmailData), "deleted_email_address", Optional),
    ];

    /// <summary>The class of an <c>email.send</c> <c>data</c> for a value of <c>type</c> (every <see cref="HankoEmailTypes"/> name); any other type: any object.</summary>
    public static Type EmailDataByType(string type) =>
        type == HankoEmailTypes.SecurityNotification ? typeof(SecurityNotificationEmailData) : typeof(PasscodeEmailData);

    /// <summary>The row for a key of a model.</summary>
    /// <exception cref="InvalidOperationException">The table has no row for it.</exception>
    public static Fact For(Type model, string key) =>
        All.SingleOrDefault(f => f.Model == model && f.Key == key)
        ?? throw new InvalidOperationException($"WireFacts has no row for {model.Name}.{key}: add one (always sent? nullable?).");

    /// <summary>One wire key of one model.</summary>
    /// <param name="Model">The payload model.</param>
    /// <param name="Key">The JSON key.</param>
    /// <param name="Required">Hanko sends it whenever it sends the object (every server version since the key's object exists).</param>
    /// <param name="Nullable">Hanko may send <c>null</c> for it.</param>
    /// <param name="Schema">The value's schema where a converter hides it from the exporter, or the model types it looser than the wire.</param>
    /// <param name="Why">The reason, when it is not the plain Go declaration.</param>
    internal sealed record Fact(Type Model, string Key, bool Required, bool Nullable = false, string? Schema = null, string? Why = null);
}
