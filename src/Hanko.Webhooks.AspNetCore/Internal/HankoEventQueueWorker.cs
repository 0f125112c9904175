using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.AspNetCore.Internal;

/// <summary>
/// Dispatches queued events one at a time. When the host stops, the queue stops taking events and what is already in it
/// is still dispatched, until the host's shutdown timeout; whatever is left then is logged as lost.
/// </summary>
internal sealed class HankoEventQueueWorker : BackgroundService
{
    private readonly HankoEventQueue _queue;
    private readonly IHankoWebhookReceiver _receiver;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abort = new();
    private int _inFlight;

    public HankoEventQueueWorker(HankoEventQueue queue, IHankoWebhookReceiver receiver, ILoggerFactory loggers)
    {
        _queue = queue;
        _receiver = receiver;
        _logger = loggers.CreateLogger("Hanko.Webhooks.AspNetCore"); // the category of every add-on log message (ids 100 on)
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not stoppingToken: the loop ends when the queue is completed and empty (see StopAsync), so that a stopping
        // host still processes what it has acknowledged.
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_abort.Token).ConfigureAwait(false))
            {
                while (!_abort.IsCancellationRequested && reader.TryRead(out var @event))
                {
                    _queue.MarkDequeued();
                    Volatile.Write(ref _inFlight, 1);
                    await DispatchAsync(@event).ConfigureAwait(false);
                    Volatile.Write(ref _inFlight, 0);
                }
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // The shutdown timeout passed; StopAsync logs what was lost.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Complete();
        var execute = ExecuteTask;
        if (execute is null)
        {
            return;
        }

        if (_queue.Count > 0)
        {
            Log.QueueDraining(_logger, _queue.Count);
        }

        try
        {
            await execute.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout has passed: cancel the running handler and give up on the rest.
            var lost = _queue.Count + Volatile.Read(ref _inFlight);
            await _abort.CancelAsync().ConfigureAwait(false);
            if (lost > 0)
            {
                Log.QueueDrainIncomplete(_logger, lost);
            }
        }
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    private async Task DispatchAsync(HankoEvent @event)
    {
        try
        {
            // The receiver runs the handlers, counts the delivery, and releases the claim taken at queueing if a handler failed.
            var result = await _receiver.ProcessHandedOffAsync(@event, _abort.Token).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                Log.QueuedHandlersFailed(_logger, @event.Name, result.Failures.Count, result.HandlerCount);
            }
        }
#pragma warning disable CA1031 // The worker must outlive any failure of one event.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.QueuedDispatchFailed(_logger, ex, @event.Name);

            // The event was claimed when it was queued; a failed one is released so that another copy can still be processed.
            await _receiver.ReleaseAsync(@event, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
