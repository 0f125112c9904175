using System.Text.Json.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// A Hanko session, the <c>data</c> of every <c>session.*</c> event (Go <c>models.Session</c>; Hanko main after v3.0.4).
/// </summary>
public sealed class HankoSession
{
    /// <summary>The session's id (wire <c>id</c>); the <c>session_id</c> claim of the user's session JWT. Always sent.</summary>
    [JsonPropertyName("id")]
    public Guid Id { get; set; }

    /// <summary>
    /// The id of the user the session belongs to (wire <c>user_id</c>), or <see langword="null"/> for an anonymous session.
    /// Hanko always sends the key; released servers always send a user id, but Hanko's open PR #2310 (session binding)
    /// makes sessions without a user possible, whose events carry <c>"user_id": null</c> (or, with <c>omitempty</c>, no key).
    /// It is the user's internal id, which for users created after tenant-scoped public ids (Hanko PR #2826) need not equal
    /// <see cref="HankoUser.Id"/> of the <c>user.*</c> events.
    /// </summary>
    [JsonPropertyName("user_id")]
    public Guid? UserId { get; set; }

    /// <summary>
    /// The User-Agent recorded for the session (wire <c>user_agent</c>). Always sent, may be <c>null</c>: when
    /// <c>session.acquire_user_agent</c> is off, or an Admin-API caller did not supply it.
    /// </summary>
    [JsonPropertyName("user_agent")]
    public string? UserAgent { get; set; }

    /// <summary>
    /// The IP address recorded for the session (wire <c>ip_address</c>). Always sent, may be <c>null</c>: when
    /// <c>session.acquire_ip_address</c> is off, or an Admin-API caller did not supply it.
    /// </summary>
    [JsonPropertyName("ip_address")]
    public string? IpAddress { get; set; }

    /// <summary>When the session was created (wire <c>created_at</c>). Always sent.</summary>
    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the session record last changed (wire <c>updated_at</c>). Always sent.</summary>
    [JsonPropertyName("updated_at")]
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the session expires (wire <c>expires_at</c>). Always sent, may be <c>null</c> (only for old sessions).</summary>
    [JsonPropertyName("expires_at")]
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>When the session was last used (wire <c>last_used</c>, not <c>last_used_at</c>). Always sent.</summary>
    [JsonPropertyName("last_used")]
    public DateTimeOffset LastUsed { get; set; }
}
