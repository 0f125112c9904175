using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// The entries a worker has in hand: read (or taken over) and waiting for one of the <c>Concurrency</c> runners, or running.
/// The worker reads ahead only while handlers are fast: at most as many waiting entries as the runners start within
/// <see cref="Horizon"/> at the pace of the recent runs (none until a run has been timed, none for handlers slower than
/// <see cref="Horizon"/>, at most <see cref="MaxFactor"/> − 1 times <c>Concurrency</c>). So a runner that finishes finds
/// its next entry here instead of waiting for a read's round trip, and under load the reads grow with the pace; with slow
/// handlers an instance holds no more than it runs, and other instances take the rest.
/// </summary>
/// <remarks>
/// Waiting entries are pending for this instance's consumer in Redis: the caller holds them (<see cref="RunningEntries"/>
/// renews them like running ones); when the worker stops, what no runner took goes back to the stream (<see cref="CloseAsync"/>).
/// </remarks>
internal sealed class ReadAhead(int concurrency)
{
    /// <summary>How far ahead, in time at the recent pace, the worker reads.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromMilliseconds(50);

    /// <summary>At most this many times <c>Concurrency</c> entries in hand, running ones included.</summary>
    public const int MaxFactor = 8;

    private static readonly double HorizonTicks = Horizon.TotalSeconds * Stopwatch.Frequency;

    private readonly Channel<Item> _waiting = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly Wakeup _finished = new();
    private int _inHand;
    private double _averageRunTicks; // 0: no run timed yet

    /// <summary>Entries waiting or running.</summary>
    public int InHand => Volatile.Read(ref _inHand);

    /// <summary>How many entries may be read (or taken over) now.</summary>
    public int Room => Limit - InHand;

    /// <summary>
    /// Whether to read now: when there is room for half the read-ahead (a runner that finishes still finds the other half
    /// waiting, and reads come in batches), or for one entry when nothing is read ahead (handlers slower than the horizon).
    /// </summary>
    public bool WorthReading
    {
        get
        {
            var limit = Limit;
            return limit - InHand >= Math.Max(1, (limit - concurrency) / 2);
        }
    }

    /// <summary>The most entries in hand at the recent pace: <c>Concurrency</c> running plus the read-ahead.</summary>
    public int Limit
    {
        get
        {
            var average = Volatile.Read(ref _averageRunTicks);
            var ahead = average <= 0 ? 0 : Math.Min((MaxFactor - 1) * (double)concurrency, Math.Floor(concurrency * HorizonTicks / average));
            return concurrency + (int)ahead;
        }
    }

    /// <summary>Adds an entry read for this worker (the caller holds it).</summary>
    public void Add(StreamEntry entry, long earlierRuns)
    {
        Interlocked.Increment(ref _inHand);
        if (!_waiting.Writer.TryWrite(new Item(entry, earlierRuns)))
        {
            Interlocked.Decrement(ref _inHand); // closed: stopping; the entry stays pending and is taken over (not started here)
        }
    }

    /// <summary>Waits until a runner can take an entry; false once closed and empty.</summary>
    public ValueTask<bool> WaitToTakeAsync(CancellationToken cancellationToken) => _waiting.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Takes the next waiting entry for a runner; it counts as in hand until <see cref="Finished"/>.</summary>
    public bool TryTake(out Item item) => _waiting.Reader.TryRead(out item);

    /// <summary>A runner finished an entry after <paramref name="elapsedTicks"/> (<see cref="Stopwatch"/> ticks): counted in the pace.</summary>
    public void Finished(long elapsedTicks)
    {
        var average = Volatile.Read(ref _averageRunTicks);
        Volatile.Write(ref _averageRunTicks, average <= 0 ? elapsedTicks : (average * 0.9) + (elapsedTicks * 0.1)); // a lost update between runners only blurs the pace
        Interlocked.Decrement(ref _inHand);
        if (WorthReading)
        {
            _finished.Signal();
        }
    }

    /// <summary>A runner dropped an entry it took without running it (another instance holds it now).</summary>
    public void Dropped()
    {
        Interlocked.Decrement(ref _inHand);
        _finished.Signal();
    }

    /// <summary>Waits until a runner's finish makes it <see cref="WorthReading"/> (finishes are the only change that makes room).</summary>
    public Task WaitForRoomAsync(CancellationToken cancellationToken) => _finished.WaitAsync(cancellationToken);

    /// <summary>
    /// At stop: no more entries are taken, and those read ahead that no runner started go back to the stream (appended anew,
    /// their attempts kept), so that the other instances take them at once; what cannot be given back stays pending and is
    /// taken over after the visibility timeout.
    /// </summary>
    public async Task CloseAsync(RedisConnection redis, string consumer, RunningEntries held, ILogger logger)
    {
        _waiting.Writer.TryComplete();
        var args = new List<RedisValue> { RedisKeys.Group, consumer };
        while (_waiting.Reader.TryRead(out var item))
        {
            Interlocked.Decrement(ref _inHand);
            if (QueuedEntry.TryRead(item.Entry, item.EarlierRuns, out var queued, out _))
            {
                args.AddRange([item.Entry.Id, queued.Name, queued.DeliveryId, queued.Attempts, queued.Protected]); // an unreadable one is dead-lettered by whoever takes it over
            }

            held.Release(item.Entry.Id);
        }

        if (args.Count == 2)
        {
            return;
        }

        try
        {
            var given = (long)await redis.Database.ScriptEvaluateAsync(Scripts.GiveBack, [redis.Keys.Stream], [.. args])
                .WaitAsync(RedisConnection.OperationTimeout).ConfigureAwait(false);
            if (given > 0)
            {
                Log.GaveBack(logger, given, redis.Keys.Stream.ToString());
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException) // RedisTimeoutException is a TimeoutException, not a RedisException
        {
            Log.WorkerRedisFailed(logger, ex, "giving back deliveries read ahead");
        }
    }

    /// <summary>An entry in hand, and the runs of it that were interrupted (taken over from a gone instance).</summary>
    internal readonly record struct Item(StreamEntry Entry, long EarlierRuns);
}
