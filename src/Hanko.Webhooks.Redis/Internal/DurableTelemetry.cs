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

    private static readonly Counter<long> Stored = Meter.CreateCounter<long>(
        "hanko.webhooks.durable.stored", "{delivery}", "Deliveries stored in the Redis stream at receipt, by event.");

    private static readonly Counter<long> Attempts = Meter.CreateCounter<long>(
        "hanko.webhooks.durable.attempts", "{attempt}", "Runs of a stored delivery's handlers, by event and outcome (handled, retry, dead_lettered, abandoned).");

    private static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>(
        "hanko.webhooks.durable.dead_lettered", "{delivery}", "Deliveries moved to the dead letters, by event.");

    // The last count read per project ("" for the unnamed one).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> DeadLetterCounts = new(StringComparer.Ordinal);

    static DurableTelemetry() =>
        Meter.CreateObservableGauge("hanko.webhooks.durable.dead_letters", ObserveDeadLetters, "{delivery}", "Dead letters waiting (as last read by this instance), per project.");

    public static class Outcomes
    {
        public const string Handled = "handled";
        public const string Retry = "retry";
        public const string DeadLettered = "dead_lettered";
        public const string Abandoned = "abandoned";
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

    private static TagList Tags(string eventName, string? project)
    {
        var tags = new TagList { { EventTag, eventName } };
        if (project is not null)
        {
            tags.Add(ProjectTag, project);
        }

        return tags;
    }

    private static IEnumerable<Measurement<long>> ObserveDeadLetters()
    {
        foreach (var (project, count) in DeadLetterCounts)
        {
            yield return project.Length == 0 ? new(count) : new(count, new KeyValuePair<string, object?>(ProjectTag, project));
        }
    }
}
