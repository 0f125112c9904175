using System.Diagnostics;
using static Hanko.Webhooks.Diagnostics.HankoTelemetryNames;

namespace Hanko.Webhooks.Diagnostics;

/// <summary>
/// The spans of the <c>Hanko.Webhooks</c> activity source. Each start checks whether anyone listens, so that the hot path
/// pays a field read when tracing is off.
/// </summary>
/// <remarks>
/// <para>
/// <b>One delivery, one delivery span</b>, opened by <see cref="IHankoWebhookReceiver"/>. It is a child of the current span
/// when that span is recorded (ASP.NET Core's request span with <c>AddAspNetCoreInstrumentation()</c>). When the current
/// span is not recorded (ASP.NET Core creates its request activity for log correlation even when nobody traces it, and a
/// parent-based sampler would then drop everything below it) the delivery span is a root with a link to it, so that
/// <c>AddSource("Hanko.Webhooks")</c> alone exports every delivery. Hanko sends no trace context, so no remote trace is cut.
/// </para>
/// <para>
/// Under it: one <see cref="VerifySpan"/> per verification (the verifier used alone opens only that), one
/// <see cref="HandlerSpan"/> per handler. A handed-off delivery's handlers run later, under one <see cref="HandedOffSpan"/>
/// per run, opened by <see cref="IHankoWebhookReceiver.ProcessHandedOffAsync"/> in the worker. The JWKS fetch runs on a background task shared by every delivery waiting for it, so
/// its span is a root with a link to the span that caused it.
/// </para>
/// </remarks>
internal static class HankoSpans
{
    internal static readonly string? Version = typeof(HankoSpans).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource Source = new(HankoWebhooksDiagnostics.ActivitySourceName, Version);

    // ---- deliveries -------------------------------------------------------------------------------------------------

    /// <summary>
    /// Starts the delivery span; <see langword="null"/> when nobody listens. Call it from an <see langword="async"/> method:
    /// when the span becomes a root, <see cref="Activity.Current"/> is cleared for that method's execution context only.
    /// </summary>
    public static Activity? StartDelivery(string? project)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var current = Activity.Current;
        Activity? delivery;
        if (current is null || current.Recorded)
        {
            delivery = Source.StartActivity(DeliverySpan, ActivityKind.Internal);
        }
        else
        {
            Activity.Current = null;
            delivery = Source.StartActivity(DeliverySpan, ActivityKind.Internal, parentContext: default, tags: null, links: [new ActivityLink(current.Context)]);
        }

        return TagProject(delivery, project);
    }

    /// <summary>Tags <paramref name="activity"/> with the project of a named registration; nothing for the unnamed one.</summary>
    private static Activity? TagProject(Activity? activity, string? project)
    {
        if (project is not null && activity is { IsAllDataRequested: true })
        {
            activity.SetTag(ProjectTag, project);
        }

        return activity;
    }

    /// <summary>Tags the delivery span with what the receiver decided, and stops it.</summary>
    /// <param name="delivery">The span from <see cref="StartDelivery"/>.</param>
    /// <param name="outcome">The <see cref="OutcomeTag"/> value.</param>
    /// <param name="eventName">The event's name; <see langword="null"/> when no authentic event is known.</param>
    /// <param name="deliveryId">The delivery id, with <paramref name="eventName"/>.</param>
    /// <param name="failure">Why it was refused (or stored unprocessable); <see langword="null"/> for none.</param>
    /// <param name="statusCode">The HTTP status code of the answer.</param>
    public static void CompleteDelivery(Activity? delivery, string outcome, string? eventName, string? deliveryId, string? failure, int statusCode)
    {
        if (delivery is null)
        {
            return;
        }

        if (eventName is not null)
        {
            delivery.SetTag(EventTag, eventName);
            delivery.SetTag(DeliveryIdTag, deliveryId);
        }

        delivery.SetTag(OutcomeTag, outcome);
        if (failure is not null)
        {
            delivery.SetTag(FailureTag, failure);
        }

        delivery.SetTag(HttpStatusTag, statusCode);
        delivery.Stop();
    }

    /// <summary>
    /// Starts the span of one run of a handed-off delivery (<see cref="IHankoWebhookReceiver.ProcessHandedOffAsync"/>), in
    /// the worker's context; <see langword="null"/> when nobody listens. Its handler spans are its children.
    /// </summary>
    /// <remarks>
    /// When the caller (a hand-off's worker) already opened this run's span on a source of the same name, that span is tagged
    /// and returned; it stays open for the worker's own facts (<see cref="HankoWebhooksDiagnostics.WorkerOutcomeTag"/>), and the
    /// worker stops it (<see cref="IsOwnedByWorker"/>).
    /// </remarks>
    public static Activity? StartHandedOff(string? project, string eventName, string deliveryId, int attempt)
    {
        if (Activity.Current is { } open && IsOwnedByWorker(open) && !open.IsStopped)
        {
            Tag(TagProject(open, project), eventName, deliveryId, attempt);
            return open;
        }

        if (!Source.HasListeners())
        {
            return null;
        }

        return Tag(TagProject(Source.StartActivity(HandedOffSpan, ActivityKind.Internal), project), eventName, deliveryId, attempt);
    }

    /// <summary>Whether <paramref name="run"/> is a run span that a worker opened (and stops) rather than this source.</summary>
    public static bool IsOwnedByWorker(Activity run) =>
        !ReferenceEquals(run.Source, Source) && run.OperationName == HandedOffSpan && run.Source.Name == HankoWebhooksDiagnostics.ActivitySourceName;

    private static Activity? Tag(Activity? run, string eventName, string deliveryId, int attempt)
    {
        if (run is { IsAllDataRequested: true })
        {
            run.SetTag(EventTag, eventName);
            run.SetTag(DeliveryIdTag, deliveryId);
            run.SetTag(AttemptTag, attempt);
        }

        return run;
    }

    /// <summary>Tags the run's span with how it went, and stops it.</summary>
    /// <param name="run">The span from <see cref="StartHandedOff"/>.</param>
    /// <param name="outcome">The <see cref="OutcomeTag"/> value.</param>
    /// <param name="failure">Why it could not run (a failure name); <see langword="null"/> for none.</param>
    public static void CompleteHandedOff(Activity? run, string outcome, string? failure)
    {
        if (run is null)
        {
            return;
        }

        run.SetTag(OutcomeTag, outcome);
        if (failure is not null)
        {
            run.SetTag(FailureTag, failure);
        }

        if (!IsOwnedByWorker(run))
        {
            run.Stop();
        }
    }

    /// <summary>Marks a run's span as failed by an exception; stops it unless its worker owns it (<see cref="Fail"/>).</summary>
    public static void FailHandedOff(Activity? run, Exception exception)
    {
        if (run is not null && IsOwnedByWorker(run))
        {
            run.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            run.SetTag(ErrorTypeTag, exception.GetType().FullName);
            return;
        }

        Fail(run, exception);
    }

    /// <summary>Marks a span as failed by an exception (its type only: a message may quote what was being worked on).</summary>
    public static void Fail(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        activity.SetTag(ErrorTypeTag, exception.GetType().FullName);
        activity.Stop();
    }

    // ---- verification -----------------------------------------------------------------------------------------------

    /// <summary>Starts the verifier's span; <see langword="null"/> when nobody listens.</summary>
    public static Activity? StartVerify(string? project, out Activity? previous)
    {
        previous = Activity.Current;
        return Source.HasListeners() ? TagProject(Source.StartActivity(VerifySpan, ActivityKind.Internal), project) : null;
    }

    /// <summary>Tags the verifier's span with a verified event, and stops it.</summary>
    public static void CompleteVerified(Activity activity, string eventName, string deliveryId)
    {
        activity.SetTag(EventTag, eventName);
        activity.SetTag(DeliveryIdTag, deliveryId);
        activity.SetTag(OutcomeTag, Outcomes.Verified);
        activity.Stop();
    }

    /// <summary>Tags the verifier's span with a refusal (a failure name), and stops it.</summary>
    public static void CompleteRefused(Activity activity, string failure)
    {
        activity.SetTag(OutcomeTag, Outcomes.Refused);
        activity.SetTag(FailureTag, failure);
        activity.Stop();
    }

    // ---- JWKS -------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Starts the span of a JWKS fetch as a root with a link to the span that caused it: the fetch runs on a background
    /// task, is shared by every delivery that waits for it, and may outlive the delivery that started it.
    /// </summary>
    public static Activity? StartJwksFetch(Uri jwksUri, string? project)
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

        return TagProject(activity, project);
    }

    /// <summary>Counts a JWKS fetch and tags its span with the result.</summary>
    public static void RecordJwksFetch(Activity? activity, string result, int keyCount, string? project)
    {
        HankoMetrics.RecordJwksFetch(result, project);
        if (activity is null)
        {
            return;
        }

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

    // ---- handlers ---------------------------------------------------------------------------------------------------

    /// <summary>Starts timing (and tracing) one handler; a no-op value when nobody listens.</summary>
    public static HandlerScope StartHandler(string eventName, Type handlerType, string? project)
    {
        var activity = Source.HasListeners() ? Source.StartActivity(HandlerSpan, ActivityKind.Internal) : null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(EventTag, eventName);
            activity.SetTag(HandlerTag, HandlerName(handlerType));
            TagProject(activity, project);
        }

        var start = activity is not null || HankoMetrics.HandlerDurationEnabled ? Stopwatch.GetTimestamp() : 0;
        return new HandlerScope(activity, start, eventName, handlerType, project);
    }

    /// <summary>The timing of one handler call.</summary>
    internal readonly struct HandlerScope(Activity? activity, long start, string eventName, Type handlerType, string? project)
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
            if (HankoMetrics.HandlerDurationEnabled)
            {
                HankoMetrics.RecordHandlerDuration(Stopwatch.GetElapsedTime(start).TotalSeconds, eventName, handlerType, outcome, errorType, project);
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
}
