using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hanko.Webhooks.DevConsole.Internal;

/// <summary>
/// The console's list of deliveries, built from the SDK's own diagnostics: an <see cref="ActivityListener"/> on the
/// <c>Hanko.Webhooks</c> source reads the documented spans (<c>hanko.webhooks.delivery</c>, <c>hanko.webhooks.handler</c>,
/// <c>hanko.webhooks.handed_off</c>) and their tags; <see cref="HandlerFailureLoggerProvider"/> adds a handler exception's message
/// (event 30) and a refusal's reason (event 23) from the core's log. A delivery span belongs to this app when it starts inside
/// one of this app's requests; a handed-off run (background or durable processing) belongs to the accepted delivery of this
/// app with the run's delivery id, and is shown as one of its attempts.
/// </summary>
internal sealed class DeliveryLog : IDisposable
{
    public const string SendHeader = "Hanko-DevConsole-Send";
    public const int Capacity = 200;

    private const string RecordProperty = "Hanko.Webhooks.DevConsole.Delivery";
    private const int MaxUnmatchedRuns = Capacity;
    private const string DeliverySpan = HankoWebhooksDiagnostics.DeliverySpan;
    private const string HandlerSpan = HankoWebhooksDiagnostics.HandlerSpan;
    private const string HandedOffSpan = HankoWebhooksDiagnostics.HandedOffSpan;
    private const string AcceptedOutcome = "accepted"; // the delivery span's outcome for a handed-off delivery

    private readonly IHttpContextAccessor _http;
    private readonly object _gate = new();

    /// <summary>Held while a record's parts change, and while they are read into an answer.</summary>
    public object Gate => _gate;
    private readonly LinkedList<DeliveryRecord> _records = new();
    private readonly ConcurrentDictionary<string, SentDelivery> _sent = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _sentOrder = new(); // the send ids in the order they were expected: the oldest goes first

    // Runs whose delivery span has not stopped yet (a fast worker), or that belong to another app in this process; bounded.
    private readonly LinkedList<HandedOffRun> _unmatchedRuns = new();

    // Every console in the process sees every run span; each keeps its own run object on it.
    private readonly string _runProperty = "Hanko.Webhooks.DevConsole.Run." + Guid.NewGuid().ToString("N");
    private ActivityListener? _listener;
    private int _nextId;

    public DeliveryLog(IHttpContextAccessor http) => _http = http;

    /// <summary>Starts listening (idempotent); called when the console is mapped.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_listener is not null)
            {
                return;
            }

            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == HankoWebhooksDiagnostics.ActivitySourceName,
                Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStarted = OnStarted,
                ActivityStopped = OnStopped,
            };
            ActivitySource.AddActivityListener(_listener);
        }
    }

    /// <summary>Remembers what a send minted, so that the delivery it causes can show (and reveal) its payload.</summary>
    public void Expect(SentDelivery sent)
    {
        _sent[sent.SendId] = sent;
        _sentOrder.Enqueue(sent.SendId);
        while (_sentOrder.Count > Capacity && _sentOrder.TryDequeue(out var oldest))
        {
            _sent.TryRemove(oldest, out _); // gone already when its delivery arrived
        }
    }

    /// <summary>The deliveries, newest first (a snapshot).</summary>
    public IReadOnlyList<DeliveryRecord> Snapshot()
    {
        lock (_gate)
        {
            return [.. _records];
        }
    }

    public DeliveryRecord? Find(int id)
    {
        lock (_gate)
        {
            return _records.FirstOrDefault(r => r.Id == id);
        }
    }

    public DeliveryRecord? FindBySend(string sendId)
    {
        lock (_gate)
        {
            return _records.FirstOrDefault(r => r.SendId == sendId);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _records.Clear();
        }
    }

    /// <summary>Adds a handler exception's type and message to the delivery or run whose span is <paramref name="current"/> (or encloses it).</summary>
    public void RecordHandlerException(Activity? current, string handlerType, Exception exception)
    {
        if (HandlersOf(current) is not { } handlers)
        {
            return;
        }

        lock (_gate)
        {
            var run = handlers.LastOrDefault(h => h.Name == handlerType && h.ErrorMessage is null)
                ?? handlers.LastOrDefault(h => h.Name.EndsWith("." + handlerType, StringComparison.Ordinal) && h.ErrorMessage is null);
            if (run is null)
            {
                // A handler that could not even be constructed: no handler span, only the log.
                run = new HandlerRun(handlerType, "failure", 0, exception.GetType().FullName);
                handlers.Add(run);
            }

            run.ErrorType ??= exception.GetType().FullName;
            run.ErrorMessage = exception.Message;
        }
    }

    /// <summary>Adds the reason of a refusal (the core's log, event 23: what the 4xx answer's detail says) to the delivery whose span is <paramref name="current"/>.</summary>
    public void RecordRefusal(Activity? current, string reason)
    {
        if (RecordOf(current) is { } record)
        {
            lock (_gate)
            {
                record.Detail = reason;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _listener?.Dispose();
            _listener = null;
        }
    }

    private void OnStarted(Activity activity)
    {
        if (activity.OperationName == HandedOffSpan)
        {
            // Whose it is shows when it stops (its tags are set after it starts when the worker opens it).
            activity.SetCustomProperty(_runProperty, new HandedOffRun(new DateTimeOffset(activity.StartTimeUtc, TimeSpan.Zero)));
            return;
        }

        if (activity.OperationName != DeliverySpan || _http.HttpContext is not { } context)
        {
            return;
        }

        // The listener sees every app in the process: keep only deliveries to this app's endpoints.
        if (!ReferenceEquals(context.RequestServices?.GetService<DeliveryLog>(), this))
        {
            return;
        }

        var sendId = context.Request.Headers[SendHeader].ToString();
        var record = new DeliveryRecord(this, Interlocked.Increment(ref _nextId), new DateTimeOffset(activity.StartTimeUtc, TimeSpan.Zero), context.Request.Path.Value ?? "", sendId.Length == 0 ? null : sendId);
        if (record.SendId is not null && _sent.TryRemove(record.SendId, out var sent))
        {
            record.Sent = sent;
        }

        activity.SetCustomProperty(RecordProperty, record);
        lock (_gate)
        {
            _records.AddFirst(record);
            while (_records.Count > Capacity)
            {
                _records.RemoveLast();
            }
        }
    }

    private void OnStopped(Activity activity)
    {
        switch (activity.OperationName)
        {
            case DeliverySpan when activity.GetCustomProperty(RecordProperty) is DeliveryRecord record && ReferenceEquals(record.Owner, this):
                lock (_gate)
                {
                    record.Event = activity.GetTagItem(HankoWebhooksDiagnostics.EventTag) as string;
                    record.Outcome = activity.GetTagItem(HankoWebhooksDiagnostics.OutcomeTag) as string;
                    record.Failure = activity.GetTagItem(HankoWebhooksDiagnostics.FailureTag) as string;
                    record.DeliveryId = activity.GetTagItem(HankoWebhooksDiagnostics.DeliveryIdTag) as string;
                    record.ErrorType = activity.GetTagItem("error.type") as string;
                    record.Status = activity.GetTagItem("http.response.status_code") is int status ? status : null;
                    record.DurationMs = activity.Duration.TotalMilliseconds;
                    AdoptRuns(record);
                }

                record.Complete();
                break;
            case HandedOffSpan when activity.GetCustomProperty(_runProperty) is HandedOffRun run:
                OnRunStopped(activity, run);
                break;
            case HandlerSpan:
                var owner = HandlersOf(activity.Parent);
                if (owner is null)
                {
                    return;
                }

                lock (_gate)
                {
                    owner.Add(new HandlerRun(
                        activity.GetTagItem(HankoWebhooksDiagnostics.HandlerTag) as string ?? "?",
                        activity.GetTagItem(HankoWebhooksDiagnostics.OutcomeTag) as string,
                        activity.Duration.TotalMilliseconds,
                        activity.GetTagItem("error.type") as string));
                }

                break;
        }
    }

    /// <summary>The record of the nearest enclosing delivery span of this app.</summary>
    private DeliveryRecord? RecordOf(Activity? activity)
    {
        for (var a = activity; a is not null; a = a.Parent)
        {
            if (a.GetCustomProperty(RecordProperty) is DeliveryRecord record)
            {
                return ReferenceEquals(record.Owner, this) ? record : null;
            }
        }

        return null;
    }

    /// <summary>The handler list of the nearest enclosing delivery span of this app, or run span: where a handler's run goes.</summary>
    private List<HandlerRun>? HandlersOf(Activity? activity)
    {
        for (var a = activity; a is not null; a = a.Parent)
        {
            if (a.GetCustomProperty(_runProperty) is HandedOffRun run)
            {
                return run.Handlers;
            }

            if (a.GetCustomProperty(RecordProperty) is DeliveryRecord record)
            {
                return ReferenceEquals(record.Owner, this) ? record.Handlers : null;
            }
        }

        return null;
    }

    /// <summary>
    /// A run of a handed-off delivery (background or durable processing) ran on the worker, under its own span: it becomes an
    /// attempt of the newest accepted delivery of this app with its delivery id, or waits for that delivery's span to end.
    /// </summary>
    private void OnRunStopped(Activity activity, HandedOffRun run)
    {
        if (activity.GetTagItem(HankoWebhooksDiagnostics.DeliveryIdTag) is not string deliveryId)
        {
            return;
        }

        lock (_gate)
        {
            run.DeliveryId = deliveryId;
            run.Attempt = activity.GetTagItem(HankoWebhooksDiagnostics.AttemptTag) is int attempt ? attempt : null;
            run.Outcome = activity.GetTagItem(HankoWebhooksDiagnostics.OutcomeTag) as string;
            run.Failure = activity.GetTagItem(HankoWebhooksDiagnostics.FailureTag) as string;
            run.ErrorType = activity.GetTagItem("error.type") as string;
            run.WorkerOutcome = activity.GetTagItem(HankoWebhooksDiagnostics.WorkerOutcomeTag) as string;
            run.RetryDue = activity.GetTagItem(HankoWebhooksDiagnostics.RetryDueTag) as string;
            run.DurationMs = activity.Duration.TotalMilliseconds;

            if (_records.FirstOrDefault(r => r.DeliveryId == deliveryId && r.Outcome == AcceptedOutcome) is { } record)
            {
                record.Attempts.Add(run);
                return;
            }

            _unmatchedRuns.AddLast(run);
            while (_unmatchedRuns.Count > MaxUnmatchedRuns)
            {
                _unmatchedRuns.RemoveFirst();
            }
        }
    }

    /// <summary>Gives a just-ended accepted delivery the runs that ended before it (under <see cref="_gate"/>).</summary>
    private void AdoptRuns(DeliveryRecord record)
    {
        if (record.Outcome != AcceptedOutcome || record.DeliveryId is null || _unmatchedRuns.Count == 0)
        {
            return;
        }

        for (var node = _unmatchedRuns.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.DeliveryId == record.DeliveryId)
            {
                record.Attempts.Add(node.Value);
                _unmatchedRuns.Remove(node);
            }

            node = next;
        }
    }
}
