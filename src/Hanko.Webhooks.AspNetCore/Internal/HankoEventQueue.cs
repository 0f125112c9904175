using System.Threading.Channels;

namespace Hanko.Webhooks.AspNetCore.Internal;

/// <summary>
/// A project's bounded in-process queue of verified deliveries for acknowledge-then-process mode: its
/// <see cref="IHankoHandOff"/> (the receiver claims each delivery before it is queued). The receiver writes, the project's
/// <see cref="HankoEventQueueWorker"/> reads. Nothing here survives the process.
/// </summary>
internal sealed class HankoEventQueue : IHankoHandOff
{
    private static readonly HankoHandOffResult Full = HankoHandOffResult.Declined("QueueFull", "The receiver's queue is full.");
    private static readonly HankoHandOffResult Closed = HankoHandOffResult.Declined("QueueClosed", "The receiver is shutting down.");

    private readonly Channel<HankoEventParts> _channel;
    private int _count;
    private volatile bool _completed;

    public HankoEventQueue(int capacity)
    {
        Capacity = capacity;
        _channel = Channel.CreateBounded<HankoEventParts>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of dropping anything silently.
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public int Capacity { get; }

    /// <summary>How many deliveries wait to be processed.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Whether the queue takes no more deliveries (the host is stopping).</summary>
    public bool IsCompleted => _completed;

    public ChannelReader<HankoEventParts> Reader => _channel.Reader;

    /// <summary>The receiver claims; a claim on a delivery whose handlers fail is released when it comes back in.</summary>
    public bool ClaimsDeliveries => false;

    /// <summary>Queues the delivery, or declines it saying why.</summary>
    public ValueTask<HankoHandOffResult> HandOffAsync(HankoEventParts delivery, string? unprocessableReason, CancellationToken cancellationToken) => new(
        unprocessableReason is not null ? HankoHandOffResult.Declined("Unprocessable", unprocessableReason) // never given: the queue does not keep dead letters
        : TryEnqueue(delivery) ? HankoHandOffResult.Accepted
        : IsCompleted ? Closed
        : Full);

    /// <summary>Adds a delivery; false when the queue is full or completed.</summary>
    public bool TryEnqueue(HankoEventParts delivery)
    {
        // Count first, so that a reader never sees an item before it is counted.
        Interlocked.Increment(ref _count);
        if (_channel.Writer.TryWrite(delivery))
        {
            return true;
        }

        Interlocked.Decrement(ref _count);
        return false;
    }

    public void MarkDequeued() => Interlocked.Decrement(ref _count);

    /// <summary>Takes no more deliveries; the reader ends once the queue is empty.</summary>
    public void Complete()
    {
        _completed = true;
        _channel.Writer.TryComplete();
    }
}
