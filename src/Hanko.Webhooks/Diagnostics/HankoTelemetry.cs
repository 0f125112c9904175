using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Hanko.Webhooks.Diagnostics;

/// <summary>
/// The spans and instruments of Hanko.Webhooks. Everything is static and checks whether anyone listens before doing work,
/// so that the hot path pays a field read when telemetry is off. Tags hold event names, outcomes, failure names and handler
/// type names only: never a token, a payload, an OTP code or metadata.
/// </summary>
/// <remarks>
/// <para>
/// <b>One delivery, one delivery span.</b> Whoever receives a delivery whole opens <see cref="DeliverySpan"/> (the ASP.NET Core
/// endpoint, or a receiver pipeline); the verifier then opens <see cref="VerifySpan"/> under it. When the verifier is called
/// with no delivery span around it (the core used alone), its own span <em>is</em> the delivery span, so there is never a
/// delivery span nested in another. Handler spans are children of whatever is current when the dispatcher runs.
/// The JWKS fetch runs on a background task shared by every delivery waiting for it, so its span is a root with a link to
/// the span that caused it.
/// </para>
/// <para>
/// <b>One delivery, one count.</b> <c>hanko.webhooks.deliveries</c> is counted where the delivery's fate is decided: by the
/// verifier when it refuses, by the dispatcher when the handlers have run (inline or from the background queue), and by the
/// endpoint for what never reaches either (filtered, queue full, refused before verification).
/// </para>
/// </remarks>
internal static class HankoTelemetry
{
    public const string DeliverySpan = "hanko.webhooks.delivery";
    public const string VerifySpan = "hanko.webhooks.verify";
    public const string JwksFetchSpan = "hanko.webhooks.jwks.fetch";
    public const string HandlerSpan = "hanko.webhooks.handler";

    public const string EventTag = "hanko.webhook.event";
    public const string OutcomeTag = "hanko.webhook.outcome";
    public const string FailureTag = "hanko.webhook.failure";
    public const string DeliveryIdTag = "hanko.webhook.delivery_id";
    public const string HandlerTag = "hanko.webhook.handler";
    public const string JwksResultTag = "hanko.webhook.jwks.result";
    public const string JwksKeyCountTag = "hanko.webhook.jwks.key_count";
    public const string ErrorTypeTag = "error.type";

    /// <summary>Values of <see cref="OutcomeTag"/>.</summary>
    public static class Outcomes
    {
        public const string Handled = "handled";
        public const string HandlerFailed = "handler_failed";
        public const string Refused = "refused";
        public const string Filtered = "filtered";
        public const string Duplicate = "duplicate";
        public const string Queued = "queued";
        public const string Unavailable = "unavailable";
        public const string Verified = "verified";
        public const string Success = "success";
        public const string Failure = "failure";
    }

    /// <summary>Values of <see cref="JwksResultTag"/>.</summary>
    public static class JwksResults
    {
        public const string Success = "success";
        public const string HttpError = "http_error";
        public const string NetworkError = "network_error";
        public const string Timeout = "timeout";
        public const string InvalidJwks = "invalid_jwks";
        public const string NoUsableKey = "no_usable_key";
        public const string TooLarge = "too_large";
        public const string Error = "error";
    }

    private static readonly string? Version = typeof(HankoTelemetry).Assembly.GetName().Version?.ToString();
    private static readonly object VerifierMarker = new();

    public static readonly ActivitySource Source = new(HankoWebhooksDiagnostics.ActivitySourceName, Version);

    public static readonly Meter Meter = new(HankoWebhooksDiagnostics.MeterName, Version);

    private static readonly Counter<long> Deliveries = Meter.CreateCounter<long>(
        "hanko.webhooks.deliveries", "{delivery}", "Hanko webhook deliveries, by event and outcome.");

    private static readonly Counter<long> Refusals = Meter.CreateCounter<long>(
        "hanko.webhooks.refusals", "{delivery}", "Deliveries refused before any handler ran, by failure.");

    private static readonly Counter<long> Replays = Meter.CreateCounter<long>(
        "hanko.webhooks.replays", "{delivery}", "Deliveries recognised as replays of one already received, by event.");

    private static readonly Counter<long> JwksFetches = Meter.CreateCounter<long>(
        "hanko.webhooks.jwks.fetches", "{fetch}", "Requests for the Hanko JWKS, by result.");

    private static readonly Histogram<double> HandlerDuration = CreateHandlerDuration();

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

    // ---- deliveries -------------------------------------------------------------------------------------------------

    /// <summary>Starts the delivery span of a receiver (the ASP.NET Core endpoint); <see langword="null"/> when nobody listens.</summary>
    public static Activity? StartDelivery() => Source.HasListeners() ? Source.StartActivity(DeliverySpan, ActivityKind.Internal) : null;

    /// <summary>Tags the delivery span with its outcome unless something more specific has tagged it already.</summary>
    public static void EndDelivery(Activity? delivery, string outcome)
    {
        if (delivery is null)
        {
            return;
        }

        if (delivery.GetTagItem(OutcomeTag) is null)
        {
            delivery.SetTag(OutcomeTag, outcome);
        }

        delivery.Stop();
    }

    /// <summary>Counts a delivery refused before verification (content type, size, unreadable body).</summary>
    public static void RecordRefusal(string failure)
    {
        if (Refusals.Enabled)
        {
            Refusals.Add(1, new KeyValuePair<string, object?>(FailureTag, failure));
        }

        if (Deliveries.Enabled)
        {
            Deliveries.Add(1, new KeyValuePair<string, object?>(OutcomeTag, Outcomes.Refused), new KeyValuePair<string, object?>(FailureTag, failure));
        }

        SetOnCurrentDelivery(FailureTag, failure);
    }

    /// <summary>Counts a refusal by the verifier.</summary>
    public static void RecordRefusal(HankoWebhookFailure failure) => RecordRefusal(FailureName(failure));

    /// <summary>Counts a verified delivery that was acknowledged without dispatch, or could not be taken.</summary>
    public static void RecordUndispatched(string eventName, string outcome)
    {
        if (Deliveries.Enabled)
        {
            Deliveries.Add(1, new KeyValuePair<string, object?>(EventTag, eventName), new KeyValuePair<string, object?>(OutcomeTag, outcome));
        }

        SetOnCurrentDelivery(OutcomeTag, outcome);
    }

    /// <summary>Counts a dispatched delivery: all handlers ran (or none was registered).</summary>
    public static void RecordDispatched(string eventName, bool succeeded)
    {
        if (Deliveries.Enabled)
        {
            Deliveries.Add(
                1,
                new KeyValuePair<string, object?>(EventTag, eventName),
                new KeyValuePair<string, object?>(OutcomeTag, succeeded ? Outcomes.Handled : Outcomes.HandlerFailed));
        }
    }

    /// <summary>Counts a replayed delivery. Called by the replay guard; the delivery's refusal is counted where it is refused.</summary>
    public static void RecordReplay(string eventName)
    {
        if (Replays.Enabled)
        {
            Replays.Add(1, new KeyValuePair<string, object?>(EventTag, eventName));
        }
    }

    // ---- verification -----------------------------------------------------------------------------------------------

    /// <summary>
    /// Starts the verifier's span, unless nobody listens or the verifier is already inside its own span (one public entry point
    /// calling another). It is <see cref="VerifySpan"/> under a delivery span, and the delivery span itself otherwise.
    /// </summary>
    /// <param name="previous">The span that was current; pass it to <see cref="EndVerification"/>.</param>
    public static Activity? StartVerification(out Activity? previous)
    {
        previous = null;
        if (!Source.HasListeners())
        {
            return null;
        }

        previous = Activity.Current;
        if (IsOurs(previous) && previous!.GetCustomProperty(VerifierSpanKey) is not null)
        {
            return null;
        }

        var inDelivery = IsOurs(previous) && string.Equals(previous!.OperationName, DeliverySpan, StringComparison.Ordinal);
        var activity = Source.StartActivity(inDelivery ? VerifySpan : DeliverySpan, ActivityKind.Internal);
        activity?.SetCustomProperty(VerifierSpanKey, VerifierMarker);
        return activity;
    }

    /// <summary>
    /// Ends the verifier's span when <paramref name="pending"/> completes, and restores the span that was current for the
    /// caller at once (the verification may still be running).
    /// </summary>
    public static ValueTask<HankoVerificationResult> EndVerification(Activity activity, Activity? previous, ValueTask<HankoVerificationResult> pending)
    {
        if (pending.IsCompletedSuccessfully)
        {
            var result = pending.Result;
            CompleteVerification(activity, result);
            activity.Stop();
            Activity.Current = previous;
            return new(result);
        }

        Activity.Current = previous;
        return AwaitVerificationAsync(activity, pending);
    }

    private static async ValueTask<HankoVerificationResult> AwaitVerificationAsync(Activity activity, ValueTask<HankoVerificationResult> pending)
    {
        try
        {
            var result = await pending.ConfigureAwait(false);
            CompleteVerification(activity, result);
            return result;
        }
        catch (Exception ex)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            activity.SetTag(ErrorTypeTag, ex.GetType().FullName);
            throw;
        }
        finally
        {
            activity.Stop();
        }
    }

    private static void CompleteVerification(Activity activity, HankoVerificationResult result)
    {
        var delivery = string.Equals(activity.OperationName, VerifySpan, StringComparison.Ordinal) ? activity.Parent : null;
        if (result.IsValid)
        {
            activity.SetTag(EventTag, result.Event.Name);
            activity.SetTag(DeliveryIdTag, result.Event.DeliveryId);
            activity.SetTag(OutcomeTag, Outcomes.Verified);
            delivery?.SetTag(EventTag, result.Event.Name);
            delivery?.SetTag(DeliveryIdTag, result.Event.DeliveryId);
        }
        else
        {
            var failure = FailureName(result.Failure);
            activity.SetTag(OutcomeTag, Outcomes.Refused);
            activity.SetTag(FailureTag, failure);
            delivery?.SetTag(FailureTag, failure);
        }
    }

    // ---- JWKS -------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Starts the span of a JWKS fetch as a root with a link to the span that caused it: the fetch runs on a background
    /// task, is shared by every delivery that waits for it, and may outlive the delivery that started it.
    /// </summary>
    public static Activity? StartJwksFetch(Uri jwksUri)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var trigger = Activity.Current;
        Activity.Current = null; // only inside the fetch task's own execution context
        var links = trigger is null ? null : new[] { new ActivityLink(trigger.Context) };
        var activity = Source.StartActivity(JwksFetchSpan, ActivityKind.Internal, parentContext: default, tags: null, links: links);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("server.address", jwksUri.Host);
        }

        return activity;
    }

    public static void RecordJwksFetch(Activity? activity, string result, int keyCount)
    {
        if (JwksFetches.Enabled)
        {
            JwksFetches.Add(1, new KeyValuePair<string, object?>(JwksResultTag, result));
        }

        if (activity is not null)
        {
            activity.SetTag(JwksResultTag, result);
            if (string.Equals(result, JwksResults.Success, StringComparison.Ordinal))
            {
                activity.SetTag(JwksKeyCountTag, keyCount);
            }
            else
            {
                activity.SetStatus(ActivityStatusCode.Error, result);
                activity.SetTag(ErrorTypeTag, result);
            }
        }
    }

    // ---- handlers ---------------------------------------------------------------------------------------------------

    /// <summary>Starts timing (and tracing) one handler; a no-op value when nobody listens.</summary>
    public static HandlerScope StartHandler(string eventName, Type handlerType)
    {
        var activity = Source.HasListeners() ? Source.StartActivity(HandlerSpan, ActivityKind.Internal) : null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(EventTag, eventName);
            activity.SetTag(HandlerTag, HandlerName(handlerType));
        }

        var start = activity is not null || HandlerDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        return new HandlerScope(activity, start, eventName, handlerType);
    }

    /// <summary>The timing of one handler call.</summary>
    internal readonly struct HandlerScope(Activity? activity, long start, string eventName, Type handlerType)
    {
        /// <summary>Records the outcome: success when <paramref name="exception"/> is <see langword="null"/>.</summary>
        public void Complete(Exception? exception)
        {
            if (start == 0)
            {
                return;
            }

            var outcome = exception is null ? Outcomes.Success : Outcomes.Failure;
            var errorType = exception?.GetType().FullName;
            if (HandlerDuration.Enabled)
            {
                var tags = new TagList
                {
                    { EventTag, eventName },
                    { HandlerTag, HandlerName(handlerType) },
                    { OutcomeTag, outcome },
                };
                if (errorType is not null)
                {
                    tags.Add(ErrorTypeTag, errorType);
                }

                HandlerDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, tags);
            }

            if (activity is not null)
            {
                activity.SetTag(OutcomeTag, outcome);
                if (errorType is not null)
                {
                    // The type only: an exception message may quote what the handler was working on.
                    activity.SetTag(ErrorTypeTag, errorType);
                    activity.SetStatus(ActivityStatusCode.Error, errorType);
                }

                activity.Stop();
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private const string VerifierSpanKey = "Hanko.Webhooks.Verifier";

    private static bool IsOurs(Activity? activity) => activity is not null && ReferenceEquals(activity.Source, Source);

    private static void SetOnCurrentDelivery(string tag, string value)
    {
        var current = Activity.Current;
        if (IsOurs(current) && string.Equals(current!.OperationName, DeliverySpan, StringComparison.Ordinal))
        {
            current.SetTag(tag, value);
        }
    }

    private static string HandlerName(Type handlerType) => handlerType.FullName ?? handlerType.Name;

    /// <summary>The failure's name without allocating (an enum's <c>ToString</c> does).</summary>
    public static string FailureName(HankoWebhookFailure failure) => failure switch
    {
        HankoWebhookFailure.None => nameof(HankoWebhookFailure.None),
        HankoWebhookFailure.MalformedBody => nameof(HankoWebhookFailure.MalformedBody),
        HankoWebhookFailure.BodyTooLarge => nameof(HankoWebhookFailure.BodyTooLarge),
        HankoWebhookFailure.MalformedToken => nameof(HankoWebhookFailure.MalformedToken),
        HankoWebhookFailure.UnsupportedAlgorithm => nameof(HankoWebhookFailure.UnsupportedAlgorithm),
        HankoWebhookFailure.UnknownKey => nameof(HankoWebhookFailure.UnknownKey),
        HankoWebhookFailure.BadSignature => nameof(HankoWebhookFailure.BadSignature),
        HankoWebhookFailure.Expired => nameof(HankoWebhookFailure.Expired),
        HankoWebhookFailure.NotYetValid => nameof(HankoWebhookFailure.NotYetValid),
        HankoWebhookFailure.WrongAudience => nameof(HankoWebhookFailure.WrongAudience),
        HankoWebhookFailure.NotWebhookToken => nameof(HankoWebhookFailure.NotWebhookToken),
        HankoWebhookFailure.EventMismatch => nameof(HankoWebhookFailure.EventMismatch),
        HankoWebhookFailure.InvalidPayload => nameof(HankoWebhookFailure.InvalidPayload),
        HankoWebhookFailure.KeysUnavailable => nameof(HankoWebhookFailure.KeysUnavailable),
        _ => "Other",
    };
}
