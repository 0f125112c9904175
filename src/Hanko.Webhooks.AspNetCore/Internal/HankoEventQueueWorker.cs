using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.AspNetCore.Internal;

/// <summary>
/// Hands a project's queued deliveries back to its receiver (<see cref="IHankoWebhookReceiver.ProcessHandedOffAsync"/>),
/// one at a time. When the host stops, the queue stops taking events and what is already in it
/// is still dispatched, until the host's shutdown timeout; whatever is left then is logged as lost.
/// </summary>
internal sealed class HankoEventQueueWorker : BackgroundService
{
    private readonly HankoEventQueue _queue;
    private readonly IHankoWebhookReceiver _receiver;
    private readonly string? _project;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abort = new();
    private int _inFlight;

    public HankoEventQueueWorker(HankoEventQueue queue, IHankoWebhookReceiver receiver, string? project, ILoggerFactory loggers)
    {
        _queue = queue;
        _receiver = receiver;
        _project = project;
        _logger = loggers.CreateLogger(Log.Category); // the category of every add-on log message (ids 100 on)
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
                while (!_abort.IsCancellationRequested && reader.TryRead(out var delivery))
                {
                    _queue.MarkDequeued();
                    Volatile.Write(ref _inFlight, 1);
                    await ProcessAsync(delivery).ConfigureAwait(false);
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
            using var scope = ProjectScope();
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
                using var scope = ProjectScope();
                Log.QueueDrainIncomplete(_logger, lost);
            }
        }
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    /// <summary>The project's log scope for the worker's own lines (the receiver opens it for the run and the handlers' lines).</summary>
    private IDisposable? ProjectScope() => _project is null ? null : Log.ProjectScope(_logger, _project);

    private async Task ProcessAsync(HankoEventParts delivery)
    {
        try
        {
            // The receiver rebuilds the event, runs the handlers, counts the run, and releases the claim taken at queueing if it failed.
            var result = await _receiver.ProcessHandedOffAsync(delivery, attempt: 1, _abort.Token).ConfigureAwait(false);
            using var scope = ProjectScope();
            if (result.Dispatch is { Succeeded: false } dispatch)
            {
                Log.QueuedHandlersFailed(_logger, delivery.Name, dispatch.Failures.Count, dispatch.HandlerCount);
            }
            else if (result.Dispatch is null)
            {
                Log.QueuedUnprocessable(_logger, delivery.Name, result.ProblemDetail ?? string.Empty);
            }
        }
#pragma warning disable CA1031 // The worker must outlive any failure of one delivery.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            using var scope = ProjectScope();
            Log.QueuedDispatchFailed(_logger, ex, delivery.Name); // the receiver released its claim
        }
    }
}
