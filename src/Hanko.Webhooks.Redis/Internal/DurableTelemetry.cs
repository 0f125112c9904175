using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// The instruments of durable processing, on the SDK's meter (<see cref="HankoWebhooksDiagnostics.MeterName"/>). Tags hold
/// event names, outcomes and, for a named project, the project: the core's tag names (<see cref="HankoWebhooksDiagnostics.ProjectTag"/>), not copies.
/// </summary>
internal static class DurableTelemetry
{
    public const string EventTag = HankoWebhooksDiagnostics.EventTag;
    public const string OutcomeTag = HankoWebhooksDiagnostics.OutcomeTag;
    public const string ProjectTag = HankoWebhooksDiagnostics.ProjectTag;

    public static readonly Meter Meter = new(HankoWebhooksDiagnostics.MeterName, typeof(DurableTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// Opens the run spans (<see cref="HankoWebhooksDiagnostics.HandedOffSpan"/>) on the SDK's source name: the receiver tags a
    /// span opened here with the run, and this package adds what it did after (<see cref="HankoWebhooksDiagnostics.WorkerOutcomeTag"/>).
    /// </summary>
    public static readonly ActivitySource Source = new(HankoWebhooksDiagnostics.ActivitySourceName, typeof(DurableTelemetry).Assembly.GetName().Version?.ToString());

    private static readonly Counter<long> Stored = Meter.CreateCounter<long>(
        "hanko.webhooks.durable.stored", "{delivery}", "Deliveries stored in the Redis stream at receipt, by event.");

    private static readonly Counter<long> Attempts = Meter.CreateCounter<long>(
        "hanko.webhooks.durable.attempts", "{attempt}", "Runs of a stored delivery's handlers, by event and outcome (handled, retry, dead_lettered, abandoned).");

    private static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>(
        "hanko.webhooks.durable.dead_lettered", "{delivery}", "Deliveries moved to the dead letters, by event.");

    // The last count read per project ("" for the unnamed one).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> DeadLetterCounts = new(StringComparer.Ordinal);

    // The last backlog read per project ("" for the unnamed one).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Backlog> Backlogs = new(StringComparer.Ordinal);

    static DurableTelemetry()
    {
        Meter.CreateObservableGauge("hanko.webhooks.durable.dead_letters", ObserveDeadLetters, "{delivery}", "Dead letters waiting (as last read by this instance), per project.");
        Meter.CreateObservableGauge(
            "hanko.webhooks.durable.backlog",
            () => Observe(Backlogs, b => b.Length),
            "{delivery}",
            "Deliveries stored and not yet done: waiting for a worker, running, or a retry due and not yet released (as last read by this instance), per project.");
        Meter.CreateObservableGauge(
            "hanko.webhooks.durable.backlog.oldest_age",
            () => Observe(Backlogs, b => b.OldestAge.TotalSeconds),
            "s",
            "How long the oldest delivery of the backlog has waited (as last read by this instance), per project.");
    }

    public static class Outcomes
    {
        public const string Handled = "handled";
        public const string Retry = "retry";
        public const string DeadLettered = "dead_lettered";
        public const string Abandoned = "abandoned";
    }

    /// <summary>Opens the span of one run of a stored entry; <see langword="null"/> when nobody listens.</summary>
    public static Activity? StartRun(string? project)
    {
        var run = Source.HasListeners() ? Source.StartActivity(HankoWebhooksDiagnostics.HandedOffSpan, ActivityKind.Internal) : null;
        if (project is not null && run is { IsAllDataRequested: true })
        {
            run.SetTag(ProjectTag, project);
        }

        return run;
    }

    /// <summary>Tags a run that went to the dead letters without reaching the receiver (unreadable, unopenable, or out of attempts).</summary>
    public static void TagEntry(Activity? run, string? eventName, string? deliveryId, int attempts)
    {
        if (run is not { IsAllDataRequested: true } || run.GetTagItem(HankoWebhooksDiagnostics.DeliveryIdTag) is not null)
        {
            return;
        }

        run.SetTag(EventTag, eventName);
        run.SetTag(HankoWebhooksDiagnostics.DeliveryIdTag, deliveryId);
        run.SetTag(HankoWebhooksDiagnostics.AttemptTag, attempts);
    }

    /// <summary>Tags the run's span with what this worker did (an <see cref="Outcomes"/> value) and, for a retry, when it is due; stops it.</summary>
    public static void CompleteRun(Activity? run, string outcome, DateTimeOffset? retryDue)
    {
        if (run is null)
        {
            return;
        }

        run.SetTag(HankoWebhooksDiagnostics.WorkerOutcomeTag, outcome);
        if (retryDue is { } due)
        {
            run.SetTag(HankoWebhooksDiagnostics.RetryDueTag, due.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }

        run.Stop();
    }

    public static void RecordStored(string eventName, string? project) => Stored.Add(1, Tags(eventName, project));

    public static void RecordAttempt(string eventName, string outcome, string? project)
    {
        var tags = Tags(eventName, project);
        tags.Add(OutcomeTag, outcome);
        Attempts.Add(1, tags);
    }

    public static void RecordDeadLettered(string eventName, string? project) => DeadLettered.Add(1, Tags(eventName, project));

    public static void SetDeadLetterCount(long count, string? project) => DeadLetterCounts[project ?? string.Empty] = count;

    public static void SetBacklog(Backlog backlog, string? project) => Backlogs[project ?? string.Empty] = backlog;

    private static TagList Tags(string eventName, string? project)
    {
        var tags = new TagList { { EventTag, eventName } };
        if (project is not null)
        {
            tags.Add(ProjectTag, project);
        }

        return tags;
    }

    private static IEnumerable<Measurement<long>> ObserveDeadLetters() => Observe(DeadLetterCounts, count => count);

    private static IEnumerable<Measurement<T>> Observe<TRead, T>(System.Collections.Concurrent.ConcurrentDictionary<string, TRead> reads, Func<TRead, T> value)
        where T : struct
    {
        foreach (var (project, read) in reads)
        {
            yield return project.Length == 0 ? new(value(read)) : new(value(read), new KeyValuePair<string, object?>(ProjectTag, project));
        }
    }
}
