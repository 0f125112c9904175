using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hanko.Webhooks.DevConsole.Internal;

/// <summary>
/// The console's list of deliveries, built from the SDK's own diagnostics: an <see cref="ActivityListener"/> on the
/// <c>Hanko.Webhooks</c> source reads the documented spans (<c>hanko.webhooks.delivery</c>, <c>hanko.webhooks.handler</c>) and
/// their tags; <see cref="HandlerFailureLoggerProvider"/> adds a handler exception's message from the dispatcher's log (event 30).
/// A delivery span belongs to this app when it starts inside one of this app's requests.
/// </summary>
internal sealed class DeliveryLog : IDisposable
{
    public const string SendHeader = "Hanko-DevConsole-Send";
    public const int Capacity = 200;

    private const string RecordProperty = "Hanko.Webhooks.DevConsole.Delivery";
    private const string DeliverySpan = HankoWebhooksDiagnostics.DeliverySpan;
    private const string HandlerSpan = HankoWebhooksDiagnostics.HandlerSpan;
    private const string HandedOffSpan = HankoWebhooksDiagnostics.HandedOffSpan;

    private readonly IHttpContextAccessor _http;
    private readonly object _gate = new();
    private readonly LinkedList<DeliveryRecord> _records = new();
    private readonly ConcurrentDictionary<string, SentDelivery> _sent = new(StringComparer.Ordinal);
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
        while (_sent.Count > Capacity && _sent.Keys.FirstOrDefault() is { } old)
        {
            _sent.TryRemove(old, out _);
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

    /// <summary>Adds a handler exception's type and message to the delivery whose span is <paramref name="current"/> (or encloses it).</summary>
    public void RecordHandlerException(Activity? current, string handlerType, Exception exception)
    {
        var record = RecordOf(current) ?? HandedOffRecordFor(current);
        if (record is null)
        {
            return;
        }

        lock (_gate)
        {
            var run = record.Handlers.LastOrDefault(h => h.Name == handlerType && h.ErrorMessage is null)
                ?? record.Handlers.LastOrDefault(h => h.Name.EndsWith("." + handlerType, StringComparison.Ordinal) && h.ErrorMessage is null);
            if (run is null)
            {
                // A handler that could not even be constructed: no handler span, only the log.
                run = new HandlerRun(handlerType, "failure", 0, exception.GetType().FullName);
                record.Handlers.Add(run);
            }

            run.ErrorType ??= exception.GetType().FullName;
            run.ErrorMessage = exception.Message;
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
                }

                record.Complete();
                break;
            case HandlerSpan:
                var owner = RecordOf(activity.Parent) ?? HandedOffRecordFor(activity.Parent);
                if (owner is null)
                {
                    return;
                }

                lock (_gate)
                {
                    owner.Handlers.Add(new HandlerRun(
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

    /// <summary>
    /// Handlers of a handed-off (queued) delivery run later on the worker, under its run's span rather than the delivery's:
    /// they are given to the newest accepted delivery with the run's delivery id.
    /// </summary>
    private DeliveryRecord? HandedOffRecordFor(Activity? activity)
    {
        var run = activity;
        while (run is not null && run.OperationName != HandedOffSpan)
        {
            run = run.Parent;
        }

        if (run?.GetTagItem(HankoWebhooksDiagnostics.DeliveryIdTag) is not string deliveryId)
        {
            return null;
        }

        lock (_gate)
        {
            return _records.FirstOrDefault(r => r.Outcome == "accepted" && r.DeliveryId == deliveryId);
        }
    }
}
