using System.Diagnostics.Metrics;
using static Hanko.Webhooks.Diagnostics.HankoTelemetryNames;

namespace Hanko.Webhooks.Diagnostics;

/// <summary>
/// The instruments of the <c>Hanko.Webhooks</c> meter. Each checks whether anyone listens before doing work.
/// </summary>
/// <remarks>
/// <b>One delivery, one count</b>, by the receiver: <c>hanko.webhooks.deliveries</c> when it has decided the delivery's
/// answer, or, for a delivery handed off to a queue, when <see cref="IHankoWebhookReceiver.ProcessHandedOffAsync"/> has run
/// its handlers. The verifier and the dispatcher count nothing, so using them directly counts nothing twice.
/// </remarks>
internal static class HankoMetrics
{
    public static readonly Meter Meter = new(HankoWebhooksDiagnostics.MeterName, HankoSpans.Version);

    private static readonly Counter<long> Deliveries = Meter.CreateCounter<long>(
        "hanko.webhooks.deliveries", "{delivery}", "Hanko webhook deliveries, by event and outcome.");

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

    /// <summary>Counts a delivery whose answer is decided (not one handed off: see <see cref="RecordHandedOffProcessed"/>).</summary>
    public static void RecordDelivery(HankoReceiveResult result)
    {
        if (result.Outcome == HankoReceiveOutcome.HandedOff)
        {
            return; // counted when its handlers have run
        }

        if (result.Outcome == HankoReceiveOutcome.Duplicate && Replays.Enabled)
        {
            Replays.Add(1, new KeyValuePair<string, object?>(EventTag, result.Event!.Name));
        }

        if (result.Outcome == HankoReceiveOutcome.Refused)
        {
            var failure = FailureName(result.Failure);
            if (Refusals.Enabled)
            {
                Refusals.Add(1, new KeyValuePair<string, object?>(FailureTag, failure));
            }

            if (Deliveries.Enabled)
            {
                Deliveries.Add(1, new KeyValuePair<string, object?>(OutcomeTag, Outcomes.Refused), new KeyValuePair<string, object?>(FailureTag, failure));
            }

            return;
        }

        if (Deliveries.Enabled)
        {
            Deliveries.Add(1, new KeyValuePair<string, object?>(EventTag, result.EventName), new KeyValuePair<string, object?>(OutcomeTag, OutcomeOf(result)));
        }
    }

    /// <summary>Counts a handed-off delivery once its handlers have run.</summary>
    public static void RecordHandedOffProcessed(HankoDispatchResult dispatch)
    {
        if (Deliveries.Enabled)
        {
            Deliveries.Add(
                1,
                new KeyValuePair<string, object?>(EventTag, dispatch.Event.Name),
                new KeyValuePair<string, object?>(OutcomeTag, dispatch.Succeeded ? Outcomes.Handled : Outcomes.HandlerFailed));
        }
    }

    public static void RecordJwksFetch(string result)
    {
        if (JwksFetches.Enabled)
        {
            JwksFetches.Add(1, new KeyValuePair<string, object?>(JwksResultTag, result));
        }
    }

    public static void RecordHandlerDuration(double seconds, string eventName, Type handlerType, string outcome, string? errorType)
    {
        var tags = new System.Diagnostics.TagList
        {
            { EventTag, eventName },
            { HandlerTag, HandlerName(handlerType) },
            { OutcomeTag, outcome },
        };
        if (errorType is not null)
        {
            tags.Add(ErrorTypeTag, errorType);
        }

        HandlerDurations.Record(seconds, tags);
    }
}
