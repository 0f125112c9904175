using System.Diagnostics;
using System.Diagnostics.Metrics;
using static Hanko.Webhooks.Diagnostics.HankoTelemetryNames;

namespace Hanko.Webhooks.Diagnostics;

/// <summary>
/// The instruments of the <c>Hanko.Webhooks</c> meter. Each checks whether anyone listens before doing work.
/// </summary>
/// <remarks>
/// <b>One delivery, one count</b>, by the receiver: <c>hanko.webhooks.deliveries</c> when it has decided the delivery's
/// answer (a handed-off one as <c>accepted</c>); each time a hand-off's worker brings it back in
/// (<see cref="IHankoWebhookReceiver.ProcessHandedOffAsync"/>), one count in <c>hanko.webhooks.handed_off.runs</c>. The
/// verifier and the dispatcher count nothing, so using them directly counts nothing twice. It takes names and numbers,
/// never a domain result: the callers name what they decided.
/// </remarks>
internal static class HankoMetrics
{
    public static readonly Meter Meter = new(HankoWebhooksDiagnostics.MeterName, HankoSpans.Version);

    private static readonly Counter<long> Deliveries = Meter.CreateCounter<long>(
        "hanko.webhooks.deliveries", "{delivery}", "Hanko webhook deliveries, by event and outcome.");

    private static readonly Counter<long> HandedOffRuns = Meter.CreateCounter<long>(
        "hanko.webhooks.handed_off.runs", "{run}", "Runs of handed-off deliveries brought back in by a hand-off's worker, by event and outcome.");

    private static readonly Counter<long> Refusals = Meter.CreateCounter<long>(
        "hanko.webhooks.refusals", "{delivery}", "Deliveries refused before any handler ran, by failure.");

    private static readonly Counter<long> Replays = Meter.CreateCounter<long>(
        "hanko.webhooks.replays", "{delivery}", "Deliveries recognised as replays of one already received, by event.");

    private static readonly Counter<long> JwksFetches = Meter.CreateCounter<long>(
        "hanko.webhooks.jwks.fetches", "{fetch}", "Requests for the Hanko JWKS, by result.");

    private static readonly Histogram<double> HandlerDurations = CreateHandlerDuration();

    public static bool HandlerDurationEnabled => HandlerDurations.Enabled;

    private static Histogram<double> CreateHandlerDuration()
    {
        const string name = "hanko.webhooks.handler.duration";
        const string description = "How long each handler took for one event.";
#if NET9_0_OR_GREATER
        // Hanko waits 10 s for an answer; the buckets resolve the range up to that.
        return Meter.CreateHistogram<double>(name, "s", description, tags: null, advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
        });
#else
        return Meter.CreateHistogram<double>(name, "s", description);
#endif
    }

    /// <summary>Counts a delivery whose answer is decided.</summary>
    /// <param name="outcome">The <see cref="OutcomeTag"/> value (<see cref="Outcomes"/>).</param>
    /// <param name="eventName">The event's name; <see langword="null"/> when none was verified.</param>
    /// <param name="failure">Why it was refused (a failure name), for <see cref="Outcomes.Refused"/>.</param>
    /// <param name="project">The receiving project; <see langword="null"/> for the unnamed one (no project tag).</param>
    public static void RecordDelivery(string outcome, string? eventName, string? failure, string? project)
    {
        if (string.Equals(outcome, Outcomes.Duplicate, StringComparison.Ordinal) && Replays.Enabled)
        {
            var tags = Tags(project);
            tags.Add(EventTag, eventName);
            Replays.Add(1, tags);
        }

        if (string.Equals(outcome, Outcomes.Refused, StringComparison.Ordinal))
        {
            if (Refusals.Enabled)
            {
                var tags = Tags(project);
                tags.Add(FailureTag, failure);
                Refusals.Add(1, tags);
            }

            if (Deliveries.Enabled)
            {
                var tags = Tags(project);
                tags.Add(OutcomeTag, Outcomes.Refused);
                tags.Add(FailureTag, failure);
                Deliveries.Add(1, tags);
            }

            return;
        }

        if (Deliveries.Enabled)
        {
            var tags = Tags(project);
            tags.Add(EventTag, eventName);
            tags.Add(OutcomeTag, outcome);
            Deliveries.Add(1, tags);
        }
    }

    /// <summary>Counts one run of a handed-off delivery: <c>handled</c>, <c>handler_failed</c>, or <c>refused</c> (unprocessable).</summary>
    public static void RecordHandedOffRun(string eventName, string outcome, string? project)
    {
        if (HandedOffRuns.Enabled)
        {
            var tags = Tags(project);
            tags.Add(EventTag, eventName);
            tags.Add(OutcomeTag, outcome);
            HandedOffRuns.Add(1, tags);
        }
    }

    public static void RecordJwksFetch(string result, string? project)
    {
        if (JwksFetches.Enabled)
        {
            var tags = Tags(project);
            tags.Add(JwksResultTag, result);
            JwksFetches.Add(1, tags);
        }
    }

    public static void RecordHandlerDuration(double seconds, string eventName, Type handlerType, string outcome, string? errorType, string? project)
    {
        var tags = Tags(project);
        tags.Add(EventTag, eventName);
        tags.Add(HandlerTag, HandlerName(handlerType));
        tags.Add(OutcomeTag, outcome);
        if (errorType is not null)
        {
            tags.Add(ErrorTypeTag, errorType);
        }

        HandlerDurations.Record(seconds, tags);
    }

    /// <summary>The tags every measurement starts with: the project of a named registration, none for the unnamed one.</summary>
    private static TagList Tags(string? project)
    {
        var tags = default(TagList);
        if (project is not null)
        {
            tags.Add(ProjectTag, project);
        }

        return tags;
    }
}
