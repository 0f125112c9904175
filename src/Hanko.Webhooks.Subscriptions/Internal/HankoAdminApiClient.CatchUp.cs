using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Hanko.Webhooks.Subscriptions;

/// <summary>
/// The routes the catch-up reads (<c>backend/handler/audit_log.go</c>, <c>user_admin.go</c>): <c>GET /audit_logs</c> and
/// <c>GET /users</c>, paged with <c>page</c>/<c>per_page</c> and answered with <c>X-Total-Count</c> and an RFC 5988
/// <c>Link</c> header, and <c>GET /users/{id}</c>. Through the same exchange as the webhook routes.
/// </summary>
internal sealed partial class HankoAdminApiClient
{
    /// <summary>
    /// The largest page read: a page of 100 audit entries is about 50 KB and one user rarely more than 20 KB (three metadata
    /// parts of at most 3,000 characters each, passkeys), so this holds a page of 50 users with room to spare.
    /// </summary>
    internal const int MaxPageBytes = 4 * 1024 * 1024;

    /// <summary>
    /// <c>GET /audit_logs</c> of one page, newest first. Hanko filters <c>created_at &gt; start_time</c> and
    /// <c>created_at &lt; end_time</c>; the times are sent in UTC with <c>Z</c> (a <c>+</c> in a query would read as a space).
    /// </summary>
    public Task<AdminApiPage<AuditLogEntry>> ListAuditLogsAsync(DateTimeOffset start, DateTimeOffset end, IEnumerable<string> types, int page, int perPage, CancellationToken cancellationToken)
    {
        var query = new StringBuilder("audit_logs?")
            .Append(CultureInfo.InvariantCulture, $"page={page}&per_page={perPage}")
            .Append("&start_time=").Append(Uri.EscapeDataString(Utc(start)))
            .Append("&end_time=").Append(Uri.EscapeDataString(Utc(end)));
        foreach (var type in types)
        {
            query.Append("&type=").Append(Uri.EscapeDataString(type));
        }

        return PageAsync(query.ToString(), HankoAdminJsonContext.Default.ListAuditLogEntry, cancellationToken);
    }

    /// <summary><c>GET /users</c> of one page, newest first (<c>sort_direction=desc</c>, by <c>created_at</c>).</summary>
    public Task<AdminApiPage<AdminUserSummary>> ListUsersAsync(int page, int perPage, CancellationToken cancellationToken) =>
        PageAsync(
            string.Create(CultureInfo.InvariantCulture, $"users?page={page}&per_page={perPage}&sort_direction=desc"),
            HankoAdminJsonContext.Default.ListAdminUserSummary,
            cancellationToken);

    /// <summary>
    /// <c>GET /users/{id}</c>: the user's <c>admin.User</c> JSON as Hanko answered it (the core reads it), or
    /// <see langword="null"/> when Hanko answers its own 404 (<c>user not found</c>): the user is deleted. A 404 that is not
    /// Hanko's (a wrong base address) is an error, so that nobody is taken for deleted by mistake.
    /// </summary>
    public async Task<byte[]?> GetUserJsonAsync(Guid id, CancellationToken cancellationToken)
    {
        var json = await ExchangeAsync(
            HttpMethod.Get,
            "users/" + id.ToString("D", CultureInfo.InvariantCulture),
            null,
            HttpStatusCode.OK,
            null,
            notFoundIsNull: true,
            MaxPageBytes,
            static (_, bytes) => bytes.ToArray(),
            cancellationToken).ConfigureAwait(false);
        return json;
    }

    private Task<AdminApiPage<T>> PageAsync<T>(string pathAndQuery, System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<T>> type, CancellationToken cancellationToken) =>
        ExchangeAsync(
            HttpMethod.Get,
            pathAndQuery,
            null,
            HttpStatusCode.OK,
            null,
            notFoundIsNull: false,
            MaxPageBytes,
            (response, bytes) => new AdminApiPage<T>(
                JsonSerializer.Deserialize(bytes.Span, type) ?? throw new JsonException("The page is null, not an array."),
                TotalCount(response),
                HasNext(response)),
            cancellationToken)!;

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static long? TotalCount(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Total-Count", out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var total) ? total : null;

    /// <summary>Whether Hanko's <c>Link</c> header (<c>pagination.CreateHeader</c>) names a <c>rel="next"</c> page; its address is not followed.</summary>
    private static bool HasNext(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Link", out var values) && values.Any(v => v.Contains("rel=\"next\"", StringComparison.Ordinal));
}

/// <summary>One page of a paged Admin API list: its items, <c>X-Total-Count</c>, and whether <c>Link</c> names a next page.</summary>
internal sealed record AdminApiPage<T>(List<T> Items, long? TotalCount, bool HasNext);

/// <summary>Go <c>models.AuditLog</c>, the fields the catch-up reads (<c>actor_email</c> is masked by default and not read).</summary>
internal sealed class AuditLogEntry
{
    public Guid Id { get; set; }

    public string? Type { get; set; }

    public Guid? ActorUserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Go <c>admin.User</c> in a <c>GET /users</c> page, the fields the catch-up reads.</summary>
internal sealed class AdminUserSummary
{
    public Guid Id { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
