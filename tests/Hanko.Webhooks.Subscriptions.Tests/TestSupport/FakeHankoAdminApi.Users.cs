using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hanko.Webhooks.Subscriptions.Tests.TestSupport;

/// <summary>
/// Hanko's Admin API user and audit log routes, written to Hanko's Go source: <c>backend/handler/audit_log.go</c> and
/// <c>persistence/audit_log_persister.go</c> (newest first, <c>created_at &gt; start_time</c> and <c>&lt; end_time</c>,
/// <c>type IN (…)</c>, <c>actor_user_id LIKE</c>, page/per_page default 1/20), <c>handler/user_admin.go</c> and
/// <c>persistence/user_persister.go</c> (users with an email or username, by <c>created_at</c>, <c>sort_direction</c> desc by
/// default), <c>pagination/header.go</c> (<c>Link</c>, <c>X-Total-Count</c>), and <c>models/audit_log.go</c> (the entry's JSON;
/// <c>actor_email</c> masked as <c>audit_log.mask</c> does by default). Echo binds <c>start_time</c> as RFC 3339: a <c>+</c>
/// that arrives as a space is a 400.
/// </summary>
internal sealed partial class FakeHankoAdminApi
{
    private readonly Dictionary<Guid, FakeUser> _users = [];
    private readonly List<AuditEntry> _auditLog = [];

    /// <summary>Hanko's <c>audit_log.storage.enabled</c> (off by default when self-hosted; on here so that tests say when it is off).</summary>
    public bool AuditLogStorage { get; set; } = true;

    /// <summary>A user created at <paramref name="createdAt"/>, as registration does: with an email and a <c>user_created</c> entry.</summary>
    public Guid AddUser(DateTimeOffset createdAt, string? email = null)
    {
        var id = Guid.NewGuid();
        lock (_lock)
        {
            _users[id] = new FakeUser(id, email ?? $"{id:N}@example.com", createdAt) { UpdatedAt = createdAt };
        }

        Audit("user_created", id, createdAt);
        return id;
    }

    /// <summary>Writes an audit entry (when storage is on), as the flow actions do.</summary>
    public void Audit(string type, Guid userId, DateTimeOffset at)
    {
        lock (_lock)
        {
            if (AuditLogStorage)
            {
                _auditLog.Add(new AuditEntry(Guid.NewGuid(), type, userId, at));
            }
        }
    }

    /// <summary>Adds an email (the user's <c>updated_at</c> does not change, as in Hanko) and writes <c>email_created</c>.</summary>
    public void AddEmail(Guid userId, string address, DateTimeOffset at)
    {
        lock (_lock)
        {
            _users[userId].Emails.Add(address);
        }

        Audit("email_created", userId, at);
    }

    /// <summary>The user deletes their own account: <c>user_deleted</c> is written and the user is gone.</summary>
    public void DeleteOwnAccount(Guid userId, DateTimeOffset at)
    {
        Audit("user_deleted", userId, at);
        lock (_lock)
        {
            _users.Remove(userId);
        }
    }

    private void MapUserRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/audit_logs", ListAuditLogs);
        routes.MapGet("/users", ListUsers);
        routes.MapGet("/users/{id}", GetUser);
    }

    private Task ListAuditLogs(HttpContext context)
    {
        var query = context.Request.Query;
        if (!TryPaging(query, out var page, out var perPage) || !TryTime(query["start_time"], out var start) || !TryTime(query["end_time"], out var end))
        {
            return Error(context, 400, "Bad Request");
        }

        var types = query["type"].Where(t => !string.IsNullOrEmpty(t)).ToHashSet(StringComparer.Ordinal);
        var actor = query["actor_user_id"].ToString();
        List<AuditEntry> matching;
        lock (_lock)
        {
            matching = [.. _auditLog
                .Where(e => (start is null || e.CreatedAt > start) && (end is null || e.CreatedAt < end))
                .Where(e => types.Count == 0 || types.Contains(e.Type))
                .Where(e => actor.Length == 0 || e.ActorUserId.ToString("D").Contains(actor, StringComparison.Ordinal))
                .OrderByDescending(e => e.CreatedAt)];
        }

        var items = matching.Skip((page - 1) * perPage).Take(perPage).ToList();
        SetPagingHeaders(context, matching.Count, page, perPage);
        return Send(context, 200, Render(w =>
        {
            w.WriteStartArray();
            foreach (var e in items)
            {
                w.WriteStartObject();
                w.WriteString("id", e.Id);
                w.WriteString("type", e.Type);
                w.WriteString("meta_http_request_id", "req");
                w.WriteString("meta_source_ip", "127.0.0.1");
                w.WriteString("meta_user_agent", "test");
                w.WriteString("actor_user_id", e.ActorUserId);
                w.WriteString("actor_email", "t***@e******.com");
                w.WriteStartObject("details");
                w.WriteEndObject();
                w.WriteString("created_at", e.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                w.WriteString("updated_at", e.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }));
    }

    private Task ListUsers(HttpContext context)
    {
        var query = context.Request.Query;
        var direction = query["sort_direction"].ToString();
        if (!TryPaging(query, out var page, out var perPage) || direction is not ("" or "desc" or "asc"))
        {
            return Error(context, 400, direction is "" or "desc" or "asc" ? "Bad Request" : "sort_direction must be desc or asc");
        }

        List<FakeUser> all;
        lock (_lock)
        {
            all = direction == "asc" ? [.. _users.Values.OrderBy(u => u.CreatedAt)] : [.. _users.Values.OrderByDescending(u => u.CreatedAt)];
        }

        SetPagingHeaders(context, all.Count, page, perPage);
        var items = all.Skip((page - 1) * perPage).Take(perPage).ToList();
        return Send(context, 200, Render(w =>
        {
            w.WriteStartArray();
            foreach (var user in items)
            {
                WriteUser(w, user);
            }

            w.WriteEndArray();
        }));
    }

    private Task GetUser(HttpContext context, string id)
    {
        if (!Guid.TryParseExact(id, "D", out var userId))
        {
            return Error(context, 400, "failed to parse userId as uuid");
        }

        FakeUser? user;
        lock (_lock)
        {
            user = _users.GetValueOrDefault(userId);
        }

        return user is null ? Error(context, 404, "user not found") : Send(context, 200, Render(w => WriteUser(w, user)));
    }

    /// <summary><c>admin.User</c> (<c>dto/admin/user.go</c>), with its emails.</summary>
    private static void WriteUser(Utf8JsonWriter w, FakeUser user)
    {
        w.WriteStartObject();
        w.WriteString("id", user.Id);
        w.WriteStartArray("emails");
        for (var i = 0; i < user.Emails.Count; i++)
        {
            w.WriteStartObject();
            w.WriteString("id", Guid.NewGuid());
            w.WriteString("address", user.Emails[i]);
            w.WriteBoolean("is_verified", true);
            w.WriteBoolean("is_primary", i == 0);
            w.WriteString("created_at", user.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            w.WriteString("updated_at", user.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("created_at", user.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        w.WriteString("updated_at", user.UpdatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        w.WriteEndObject();
    }

    /// <summary>Echo binds page and per_page as ints (a non-number is a 400); 0 becomes 1 and 20.</summary>
    private static bool TryPaging(IQueryCollection query, out int page, out int perPage)
    {
        page = 0;
        perPage = 0;
        if ((query["page"].ToString() is { Length: > 0 } p && !int.TryParse(p, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out page))
            || (query["per_page"].ToString() is { Length: > 0 } pp && !int.TryParse(pp, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out perPage)))
        {
            return false;
        }

        page = page == 0 ? 1 : page;
        perPage = perPage == 0 ? 20 : perPage;
        return page > 0 && perPage > 0;
    }

    /// <summary>Go's <c>time.Time.UnmarshalText</c>: RFC 3339 only.</summary>
    private static bool TryTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (text.Contains(' ', StringComparison.Ordinal) || !text.Contains('T', StringComparison.Ordinal)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            return false;
        }

        time = parsed;
        return true;
    }

    /// <summary><c>pagination.CreateHeader</c> and <c>X-Total-Count</c>.</summary>
    private static void SetPagingHeaders(HttpContext context, int total, int page, int perPage)
    {
        var lastPage = Math.Max(1, (total + perPage - 1) / perPage);
        var request = context.Request;
        string Link(string rel, int p)
        {
            var query = QueryStringWith(request.Query, p, perPage);
            return $"<{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{query}>; rel=\"{rel}\"";
        }

        var links = new List<string>();
        if (page != 1 || page == lastPage)
        {
            links.Add(Link("first", 1));
        }

        if (page != lastPage)
        {
            links.Add(Link("last", lastPage));
        }

        if (page < lastPage)
        {
            links.Add(Link("next", page + 1));
        }

        if (page > 1)
        {
            links.Add(Link("prev", page - 1));
        }

        context.Response.Headers["Link"] = string.Join(",", links);
        context.Response.Headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
    }

    private static string QueryStringWith(IQueryCollection query, int page, int perPage)
    {
        var parts = new StringBuilder();
        foreach (var (key, values) in query.Where(q => q.Key is not ("page" or "per_page")).Append(new("page", page.ToString(CultureInfo.InvariantCulture))).Append(new("per_page", perPage.ToString(CultureInfo.InvariantCulture))).OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            foreach (var value in values)
            {
                parts.Append(parts.Length == 0 ? string.Empty : "&").Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value ?? string.Empty));
            }
        }

        return parts.ToString();
    }

    internal sealed record AuditEntry(Guid Id, string Type, Guid ActorUserId, DateTimeOffset CreatedAt);

    internal sealed class FakeUser(Guid id, string email, DateTimeOffset createdAt)
    {
        public Guid Id { get; } = id;

        public List<string> Emails { get; } = [email];

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public DateTimeOffset UpdatedAt { get; set; }
    }
}
