using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanko.Webhooks.Subscriptions;

/// <summary>
/// <see cref="IHankoCatchUp"/>: audit log pages → users created (the users list) → grouped by user → each user's current
/// state → handed over through the project's receiver (<see cref="IHankoWebhookReceiver.ReceiveCatchUpAsync"/>), one
/// user at a time, every Admin API request paced.
/// </summary>
internal sealed class HankoCatchUp : IHankoCatchUp
{
    /// <summary>The longest window: Hanko's default audit log retention (<c>audit_log.retention</c>, 720h).</summary>
    internal static readonly TimeSpan MaxWindow = TimeSpan.FromDays(30);

    internal const int AuditPageSize = 100;
    internal const int UserPageSize = 50;

    private readonly HankoAdminApiClient _client;
    private readonly IHankoWebhookReceiver _receiver;
    private readonly HankoWebhookSubscriptionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string? _project;

    public HankoCatchUp(HankoAdminApiClient client, IHankoWebhookReceiver receiver, IOptions<HankoWebhookSubscriptionOptions> options, TimeProvider time, ILoggerFactory loggers, string? project)
    {
        _client = client;
        _receiver = receiver;
        _options = options.Value;
        _time = time;
        _logger = loggers.CreateLogger("Hanko.Webhooks.Subscriptions");
        _project = project;
    }

    public async Task<HankoCatchUpResult> RunAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken = default)
    {
        var from = windowStart.ToUniversalTime();
        var to = windowEnd.ToUniversalTime();
        Validate(from, to, _time.GetUtcNow());
        using var scope = SubscriptionProject.BeginScope(_logger, _project);
        var pacer = new AdminApiPacer(_options.CatchUpRequestsPerSecond, _time);
        var progress = new Progress();
        var started = Stopwatch.GetTimestamp();
        Log.CatchUpStarted(_logger, from, to);
        try
        {
            var users = await FindUsersAsync(from, to, pacer, progress, cancellationToken).ConfigureAwait(false);
            progress.UsersFound = users.Count;
            foreach (var user in users)
            {
                await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
                var json = await _client.GetUserJsonAsync(user.Id, cancellationToken).ConfigureAwait(false);
                var result = await _receiver.ReceiveCatchUpAsync(user.Id, json, user.EventNames, user.AuditLogTypes, from, to, cancellationToken).ConfigureAwait(false);
                Count(result, user.Id, progress);
            }
        }
        catch (HankoAdminApiException ex)
        {
            SubscriptionTelemetry.CatchUpRuns.Add(1, new KeyValuePair<string, object?>("result", "failed"));
            var where = $"after {progress.AuditPages} audit log page(s) and {progress.UserPages} user page(s), {progress.HandedOver + progress.AlreadyHandedOver} of {progress.UsersFound} user(s) handed over";
            Log.CatchUpFailed(_logger, from, to, where, ex.Message);
            throw new HankoAdminApiException(
                $"Catching up the window {from:O} to {to:O} stopped {where}, because the Admin API failed: {ex.Message} Run the same window again: users already handed over are not handed over twice.",
                ex);
        }

        var summary = new HankoCatchUpResult(from, to, progress.AuditEntries, progress.UsersFound, progress.HandedOver, progress.AlreadyHandedOver, progress.Failed, pacer.Requests);
        SubscriptionTelemetry.CatchUpRuns.Add(1, new KeyValuePair<string, object?>("result", progress.Failed == 0 ? "completed" : "incomplete"));
        Log.CatchUpCompleted(_logger, from, to, summary.AuditLogEntries, summary.UsersFound, summary.HandedOver, summary.AlreadyHandedOver, summary.Failed, summary.AdminApiRequests, Stopwatch.GetElapsedTime(started));
        return summary;
    }

    private static void Validate(DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        if (to <= from)
        {
            throw new ArgumentException($"The window to catch up is empty: it ends ({to:O}) before or when it starts ({from:O}).", nameof(to));
        }

        if (to > now)
        {
            throw new ArgumentException(
                $"The window to catch up ends in the future ({to:O}, now is {now:O}): Hanko's audit log pages shift while entries are added, so a window must end in the past.",
                nameof(to));
        }

        if (to - from > MaxWindow)
        {
            throw new ArgumentException(
                $"The window to catch up ({from:O} to {to:O}) is longer than {MaxWindow.TotalDays:0} days, Hanko's default audit log retention: catch it up in windows of at most that.",
                nameof(from));
        }
    }

    /// <summary>The users of the window, in the order their first change happened, each with what happened to it.</summary>
    private async Task<List<CaughtUpUser>> FindUsersAsync(DateTimeOffset from, DateTimeOffset to, AdminApiPacer pacer, Progress progress, CancellationToken cancellationToken)
    {
        // Newest first, folded page by page into the users (memory grows with the users, not the entries).
        var users = new Dictionary<Guid, CaughtUpUser>();
        for (var page = 1; ; page++)
        {
            await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
            var answer = await _client.ListAuditLogsAsync(from, to, AuditLogTypes.Requested, page, AuditPageSize, cancellationToken).ConfigureAwait(false);
            progress.AuditPages++;
            foreach (var entry in answer.Items)
            {
                if (entry is not { ActorUserId: { } userId, Type: { } type })
                {
                    continue;
                }

                progress.AuditEntries++;
                if (!users.TryGetValue(userId, out var user))
                {
                    users[userId] = user = new CaughtUpUser(userId, entry.CreatedAt);
                }

                user.Add(type, entry.CreatedAt);
            }

            if (!answer.HasNext || answer.Items.Count < AuditPageSize || (answer.TotalCount is { } total && (long)page * AuditPageSize >= total))
            {
                break;
            }
        }

        // A self-hosted Hanko keeps no audit log unless audit_log.storage.enabled: the users created in the window are found anyway.
        var created = 0;
        for (var page = 1; ; page++)
        {
            await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
            var answer = await _client.ListUsersAsync(page, UserPageSize, cancellationToken).ConfigureAwait(false);
            progress.UserPages++;
            foreach (var listed in answer.Items.Where(u => u.CreatedAt > from && u.CreatedAt < to))
            {
                created++;
                if (!users.TryGetValue(listed.Id, out var user))
                {
                    users[listed.Id] = user = new CaughtUpUser(listed.Id, listed.CreatedAt);
                }

                user.AddCreated(listed.CreatedAt);
            }

            if (answer.Items.Count == 0 || answer.Items[^1].CreatedAt <= from || !answer.HasNext || answer.Items.Count < UserPageSize)
            {
                break;
            }
        }

        if (progress.AuditEntries == 0 && created > 0)
        {
            Log.AuditLogEmpty(_logger, from, to, created);
        }

        return [.. users.Values.OrderBy(u => u.FirstSeen)];
    }

    private void Count(HankoReceiveResult result, Guid userId, Progress progress)
    {
        string outcome;
        switch (result.Outcome)
        {
            case HankoReceiveOutcome.Accepted:
            case HankoReceiveOutcome.Dispatched when result.Dispatch is { Succeeded: true }:
                progress.HandedOver++;
                outcome = "handed_over";
                break;
            case HankoReceiveOutcome.Duplicate:
                progress.AlreadyHandedOver++;
                outcome = "already_handed_over";
                break;
            default:
                progress.Failed++;
                outcome = "failed";
                Log.CatchUpUserNotHandedOver(_logger, userId, result.StatusCode, result.ProblemDetail ?? result.Outcome.ToString());
                break;
        }

        SubscriptionTelemetry.CatchUpUsers.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
    }

    private sealed class Progress
    {
        public int AuditPages;
        public int UserPages;
        public int AuditEntries;
        public int UsersFound;
        public int HandedOver;
        public int AlreadyHandedOver;
        public int Failed;
    }

    /// <summary>One user of the window: what happened to it (each audit type once, ordered by its first time), and when it first changed.</summary>
    private sealed class CaughtUpUser(Guid id, DateTimeOffset firstSeen)
    {
        private readonly Dictionary<string, DateTimeOffset> _firstOfType = new(StringComparer.Ordinal);
        private bool _created;

        public Guid Id { get; } = id;

        public DateTimeOffset FirstSeen { get; private set; } = firstSeen;

        /// <summary>The audit log types, oldest first.</summary>
        public IReadOnlyList<string> AuditLogTypes => [.. _firstOfType.OrderBy(t => t.Value).Select(t => t.Key)];

        /// <summary>The Hanko event names the types stand for, oldest first, each once; <c>user.create</c> first for a user created in the window.</summary>
        public IReadOnlyList<string> EventNames
        {
            get
            {
                var names = new List<string>();
                if (_created)
                {
                    names.Add(HankoEventNames.UserCreate);
                }

                foreach (var type in AuditLogTypes)
                {
                    if (Subscriptions.AuditLogTypes.EventNameOf.GetValueOrDefault(type) is { } name && !names.Contains(name))
                    {
                        names.Add(name);
                    }
                }

                return names;
            }
        }

        public void Add(string auditLogType, DateTimeOffset at)
        {
            if (!_firstOfType.TryGetValue(auditLogType, out var first) || at < first)
            {
                _firstOfType[auditLogType] = at;
            }

            if (at < FirstSeen)
            {
                FirstSeen = at;
            }
        }

        /// <summary>Created in the window (the users list).</summary>
        public void AddCreated(DateTimeOffset createdAt)
        {
            _created = true;
            if (createdAt < FirstSeen)
            {
                FirstSeen = createdAt;
            }
        }
    }
}
