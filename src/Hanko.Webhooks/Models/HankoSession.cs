using System.Text.Json.Serialization;

namespace Hanko.Webhooks;

/// <summary>
/// A Hanko session, the <c>data</c> of every <c>session.*</c> event (Go <c>models.Session</c>; Hanko main after v3.0.4).
/// </summary>
public sealed class HankoSession
{
    // System.Text.Json reads and writes the internal fields below each property: the source generator sets fields
    // directly (its fast path), where init-only properties would send it down its constructor path (see BENCHMARKS.md).

    /// <summary>The session's id (wire <c>id</c>); the <c>session_id</c> claim of the user's session JWT. Always sent.</summary>
    [JsonIgnore]
    public Guid Id { get => _id; init => _id = value; }

    [JsonInclude, JsonPropertyName("id")]
    internal Guid _id;

    /// <summary>
    /// The id of the user the session belongs to (wire <c>user_id</c>), or <see langword="null"/> for an anonymous session.
    /// Hanko always sends the key; released servers always send a user id, but Hanko's open PR #2310 (session binding)
    /// makes sessions without a user possible, whose events carry <c>"user_id": null</c> (or, with <c>omitempty</c>, no key).
    /// It is the user's internal id, which for users created after tenant-scoped public ids (Hanko PR #2826) need not equal
    /// <see cref="HankoUser.Id"/> of the <c>user.*</c> events.
    /// </summary>
    [JsonIgnore]
    public Guid? UserId { get => _userId; init => _userId = value; }

    [JsonInclude, JsonPropertyName("user_id")]
    internal Guid? _userId;

    /// <summary>
    /// The User-Agent recorded for the session (wire <c>user_agent</c>). Always sent, may be <c>null</c>: when
    /// <c>session.acquire_user_agent</c> is off, or an Admin-API caller did not supply it.
    /// </summary>
    [JsonIgnore]
    public string? UserAgent { get => _userAgent; init => _userAgent = value; }

    [JsonInclude, JsonPropertyName("user_agent")]
    internal string? _userAgent;

    /// <summary>
    /// The IP address recorded for the session (wire <c>ip_address</c>). Always sent, may be <c>null</c>: when
    /// <c>session.acquire_ip_address</c> is off, or an Admin-API caller did not supply it.
    /// </summary>
    [JsonIgnore]
    public string? IpAddress { get => _ipAddress; init => _ipAddress = value; }

    [JsonInclude, JsonPropertyName("ip_address")]
    internal string? _ipAddress;

    /// <summary>When the session was created (wire <c>created_at</c>). Always sent.</summary>
    [JsonIgnore]
    public DateTimeOffset CreatedAt { get => _createdAt; init => _createdAt = value; }

    [JsonInclude, JsonPropertyName("created_at")]
    internal DateTimeOffset _createdAt;

    /// <summary>When the session record last changed (wire <c>updated_at</c>). Always sent.</summary>
    [JsonIgnore]
    public DateTimeOffset UpdatedAt { get => _updatedAt; init => _updatedAt = value; }

    [JsonInclude, JsonPropertyName("updated_at")]
    internal DateTimeOffset _updatedAt;

    /// <summary>When the session expires (wire <c>expires_at</c>). Always sent, may be <c>null</c> (only for old sessions).</summary>
    [JsonIgnore]
    public DateTimeOffset? ExpiresAt { get => _expiresAt; init => _expiresAt = value; }

    [JsonInclude, JsonPropertyName("expires_at")]
    internal DateTimeOffset? _expiresAt;

    /// <summary>When the session was last used (wire <c>last_used</c>, not <c>last_used_at</c>). Always sent.</summary>
    [JsonIgnore]
    public DateTimeOffset LastUsed { get => _lastUsed; init => _lastUsed = value; }

    [JsonInclude, JsonPropertyName("last_used")]
    internal DateTimeOffset _lastUsed;
}
