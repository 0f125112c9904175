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
/// <see cref="HandlerSpan"/> per handler. The JWKS fetch runs on a background task shared by every delivery waiting for it, so
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
    public static Activity? StartDelivery()
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var current = Activity.Current;
        if (current is null || current.Recorded)
        {
            return Source.StartActivity(DeliverySpan, ActivityKind.Internal);
        }

        Activity.Current = null;
        return Source.StartActivity(DeliverySpan, ActivityKind.Internal, parentContext: default, tags: null, links: [new ActivityLink(current.Context)]);
    }

    /// <summary>Tags the delivery span with what the receiver decided, and stops it.</summary>
    public static void CompleteDelivery(Activity? delivery, HankoReceiveResult result)
    {
        if (delivery is null)
        {
            return;
        }

        if (result.Event is { } @event)
        {
            delivery.SetTag(EventTag, @event.Name);
            delivery.SetTag(DeliveryIdTag, @event.DeliveryId);
        }
        else if (result.Outcome == HankoReceiveOutcome.StoredUnprocessable && result.Verification.AuthenticParts is { } parts)
        {
            delivery.SetTag(EventTag, parts.Name);
            delivery.SetTag(DeliveryIdTag, parts.DeliveryId);
        }

        delivery.SetTag(OutcomeTag, OutcomeOf(result));
        if (result.Outcome is HankoReceiveOutcome.Refused or HankoReceiveOutcome.StoredUnprocessable)
        {
            delivery.SetTag(FailureTag, FailureName(result.Failure));
        }

        delivery.SetTag(HttpStatusTag, result.StatusCode);
        delivery.Stop();
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
    public static Activity? StartVerify(out Activity? previous)
    {
        previous = Activity.Current;
        return Source.HasListeners() ? Source.StartActivity(VerifySpan, ActivityKind.Internal) : null;
    }

    /// <summary>
    /// Ends the verifier's span when <paramref name="pending"/> completes, and restores the span that was current for the
    /// caller at once (the verification may still be running).
    /// </summary>
    public static ValueTask<HankoVerificationResult> EndVerify(Activity activity, Activity? previous, ValueTask<HankoVerificationResult> pending)
    {
        if (pending.IsCompletedSuccessfully)
        {
            var result = pending.Result;
            TagVerification(activity, result);
            activity.Stop();
            Activity.Current = previous;
            return new(result);
        }

        Activity.Current = previous;
        return AwaitVerifyAsync(activity, pending);
    }

    private static async ValueTask<HankoVerificationResult> AwaitVerifyAsync(Activity activity, ValueTask<HankoVerificationResult> pending)
    {
        try
        {
            var result = await pending.ConfigureAwait(false);
            TagVerification(activity, result);
            activity.Stop();
            return result;
        }
        catch (Exception ex)
        {
            Fail(activity, ex);
            throw;
        }
    }

    private static void TagVerification(Activity activity, HankoVerificationResult result)
    {
        if (result.IsValid)
        {
            activity.SetTag(EventTag, result.Event.Name);
            activity.SetTag(DeliveryIdTag, result.Event.DeliveryId);
            activity.SetTag(OutcomeTag, Outcomes.Verified);
        }
        else
        {
            activity.SetTag(OutcomeTag, Outcomes.Refused);
            activity.SetTag(FailureTag, FailureName(result.Failure));
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

    /// <summary>Counts a JWKS fetch and tags its span with the result.</summary>
    public static void RecordJwksFetch(Activity? activity, string result, int keyCount)
    {
        HankoMetrics.RecordJwksFetch(result);
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
    public static HandlerScope StartHandler(string eventName, Type handlerType)
    {
        var activity = Source.HasListeners() ? Source.StartActivity(HandlerSpan, ActivityKind.Internal) : null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(EventTag, eventName);
            activity.SetTag(HandlerTag, HandlerName(handlerType));
        }

        var start = activity is not null || HankoMetrics.HandlerDurationEnabled ? Stopwatch.GetTimestamp() : 0;
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
            if (HankoMetrics.HandlerDurationEnabled)
            {
                HankoMetrics.RecordHandlerDuration(Stopwatch.GetElapsedTime(start).TotalSeconds, eventName, handlerType, outcome, errorType);
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
