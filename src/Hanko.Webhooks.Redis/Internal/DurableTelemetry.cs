using System.Diagnostics.Metrics;
using Hanko.Webhooks.Diagnostics;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// The instruments of durable processing, on the SDK's meter (<see cref="HankoWebhooksDiagnostics.MeterName"/>). Tags hold
/// event names and outcomes only.
/// </summary>
internal static class DurableTelemetry
{
    public const string EventTag = "hanko.webhook.event";
    public const string OutcomeTag = "hanko.webhook.outcome";

    public static readonly Meter Meter = new(HankoWebhooksDiagnostics.MeterName, typeof(DurableTelemetry).Assembly.GetName().Version?.ToString());

    private static readonly Counter<long> Stored = Meter.CreateCounter<long>(
        "hanko.webhooks.durable.stored", "{delivery}", "Deliveries stored in the Redis stream at receipt, by event.");

    private static readonly Counter<long> Attempts = Meter.CreateCounter<long>(
        "hanko.webhooks.durable.attempts", "{attempt}", "Runs of a stored delivery's handlers, by event and outcome (handled, retry, dead_lettered, abandoned).");

    private static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>(
        "hanko.webhooks.durable.dead_lettered", "{delivery}", "Deliveries moved to the dead letters, by event.");

    private static long _deadLetterCount;

    static DurableTelemetry() =>
        Meter.CreateObservableGauge("hanko.webhooks.durable.dead_letters", () => Volatile.Read(ref _deadLetterCount), "{delivery}", "Dead letters waiting (as last read by this instance).");

    public static class Outcomes
    {
        public const string Handled = "handled";
        public const string Retry = "retry";
        public const string DeadLettered = "dead_lettered";
        public const string Abandoned = "abandoned";
    }

    public static void RecordStored(string eventName) => Stored.Add(1, new KeyValuePair<string, object?>(EventTag, eventName));

    public static void RecordAttempt(string eventName, string outcome) =>
        Attempts.Add(1, new KeyValuePair<string, object?>(EventTag, eventName), new KeyValuePair<string, object?>(OutcomeTag, outcome));

    public static void RecordDeadLettered(string eventName) => DeadLettered.Add(1, new KeyValuePair<string, object?>(EventTag, eventName));

    public static void SetDeadLetterCount(long count) => Volatile.Write(ref _deadLetterCount, count);
}
