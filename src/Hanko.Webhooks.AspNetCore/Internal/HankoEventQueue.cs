using System.Threading.Channels;

namespace Hanko.Webhooks.AspNetCore.Internal;

/// <summary>
/// The bounded in-process queue of verified events for acknowledge-then-process mode. The endpoint writes, the
/// <see cref="HankoEventQueueWorker"/> reads. Nothing here survives the process.
/// </summary>
internal sealed class HankoEventQueue
{
    private readonly Channel<HankoEvent> _channel;
    private int _count;
    private volatile bool _completed;

    public HankoEventQueue(int capacity)
    {
        Capacity = capacity;
        _channel = Channel.CreateBounded<HankoEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of dropping anything silently.
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public int Capacity { get; }

    /// <summary>How many events wait to be processed.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Whether the queue takes no more events (the host is stopping).</summary>
    public bool IsCompleted => _completed;

    public ChannelReader<HankoEvent> Reader => _channel.Reader;

    /// <summary>The receiver's hand-off: queues the event, or declines it saying why.</summary>
    public ValueTask<HankoHandOffResult> HandOff(HankoEvent @event, CancellationToken cancellationToken) => new(
        TryEnqueue(@event) ? HankoHandOffResult.Accepted
        : IsCompleted ? HankoHandOffResult.Declined("QueueClosed", "The receiver is shutting down.")
        : HankoHandOffResult.Declined("QueueFull", "The receiver's queue is full."));

    /// <summary>Adds an event; false when the queue is full or completed.</summary>
    public bool TryEnqueue(HankoEvent @event)
    {
        // Count first, so that a reader never sees an item before it is counted.
        Interlocked.Increment(ref _count);
        if (_channel.Writer.TryWrite(@event))
        {
            return true;
        }

        Interlocked.Decrement(ref _count);
        return false;
    }

    public void MarkDequeued() => Interlocked.Decrement(ref _count);

    /// <summary>Takes no more events; the reader ends once the queue is empty.</summary>
    public void Complete()
    {
        _completed = true;
        _channel.Writer.TryComplete();
    }
}
