using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// The acknowledgments of handled entries, sent in batches: <c>XACK</c> + <c>XDEL</c> of many ids, pipelined, per flush.
/// A flush starts as soon as an entry is handled and no flush is running; what is handled while one runs goes with the
/// next, so an acknowledgment never waits for a timer, and under load one round trip settles many deliveries. While the
/// worker reads, its next read takes what is queued (<see cref="ReadAsync"/>: <c>XACK</c> and <c>XDEL</c> pipelined in front
/// of the <c>XREADGROUP</c>, sent as soon as a runner finishes), so acknowledgments cost no round trip of their own; a
/// flush of their own is for the rest (the reader stopped, a backlog, retries after a failure, shutdown).
/// </summary>
/// <remarks>
/// An entry is added only after its handlers succeeded. Its runner is free at once (the acknowledgment follows in the
/// background, so a runner does not wait for a round trip per entry), unless <see cref="Backlogged"/>: then the runner waits
/// for its entry's acknowledgment, so that no more than <c>Concurrency</c> + <see cref="MaxBatch"/> entries of an instance
/// are ever handled but unsettled, whatever Redis does with the acknowledgments. A failed flush is logged and tried
/// again with backoff; once stopping (<see cref="DrainAsync"/>), each batch gets one more attempt and what fails is logged
/// and given up. An entry whose acknowledgment never reaches Redis (the process dies, or Redis stays down) stays pending:
/// it is delivered again after the visibility timeout — a second run of a handled delivery, never a loss.
/// </remarks>
internal sealed class Acknowledgments : IDisposable
{
    /// <summary>The most ids one acknowledgment (<c>XACK</c> + <c>XDEL</c>) carries.</summary>
    public const int MaxBatch = 256;

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastRetryDelay = TimeSpan.FromSeconds(5);

    private readonly ConcurrentQueue<Pending> _queue = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly RedisConnection _redis;
    private readonly bool _delete;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Wakeup _reader;
    private int _scheduled;
    private int _reading;
    private int _outstanding;
    private long _flushes;

    /// <summary>The acknowledgments of one worker; <paramref name="reader"/> wakes its reader when it waits for new entries, so that it takes a queued acknowledgment at once.</summary>
    public Acknowledgments(RedisConnection redis, bool delete, Wakeup reader, TimeProvider time, ILogger logger)
    {
        _reader = reader;
        _redis = redis;
        _delete = delete;
        _time = time;
        _logger = logger;
    }

    /// <summary>How many acknowledgments (each one round trip) have settled entries.</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>More than <see cref="MaxBatch"/> acknowledgments wait (Redis is slow or refuses them): a runner then waits for its own.</summary>
    public bool Backlogged => Volatile.Read(ref _outstanding) > MaxBatch;

    /// <summary>
    /// Queues the acknowledgment of an entry whose handlers succeeded. While the worker's reader runs, the acknowledgment
    /// goes with its next read (the entry's runner finishes right after, which starts that read; an idle reader is woken);
    /// otherwise, or when <see cref="Backlogged"/>, a flush starts unless one is running. The task ends when the
    /// acknowledgment is in Redis (true) or was given up at shutdown (false: the entry runs again elsewhere).
    /// </summary>
    public Task<bool> AddAsync(RedisValue entryId, string eventName)
    {
        var pending = new Pending(entryId, eventName, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        var outstanding = Interlocked.Increment(ref _outstanding);
        _queue.Enqueue(pending);
        if (Volatile.Read(ref _reading) == 0 || outstanding > MaxBatch)
        {
            Schedule();
        }
        else
        {
            _reader.Signal();
        }

        return pending.Done.Task;
    }

    /// <summary>The worker's reader takes the queued acknowledgments with each read (<see cref="ReadAsync"/>) from now on.</summary>
    public void ReaderStarted() => Interlocked.Exchange(ref _reading, 1);

    /// <summary>The reader stopped: what it would have taken is flushed on its own.</summary>
    public void ReaderStopped()
    {
        Interlocked.Exchange(ref _reading, 0); // a full fence: an acknowledgment queued before it is seen below, one after it schedules itself
        if (!_queue.IsEmpty)
        {
            Schedule();
        }
    }

    private void Schedule()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
        {
            _ = Task.Run(RunAsync);
        }
    }

    /// <summary>At shutdown: stops retrying, flushes what is queued once more, and gives up (logged) what cannot be sent.</summary>
    public async Task DrainAsync(TimeSpan within)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(within, _time);
        try
        {
            await _gate.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // a flush still waits for Redis; it gives up its batch itself if it fails
        }

        try
        {
            await FlushAllAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _gate.Dispose();
    }

    private async Task RunAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            // Anything added after this line is either seen by this run or schedules another one.
            Volatile.Write(ref _scheduled, 0);
            await FlushAllAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Flushes until the queue is empty; retries failures with backoff until stopping, then gives up what is left.</summary>
    private async Task FlushAllAsync()
    {
        var delay = FirstRetryDelay;
        while (!_queue.IsEmpty)
        {
            if (await FlushBatchAsync().ConfigureAwait(false))
            {
                delay = FirstRetryDelay;
                continue;
            }

            if (_stopping.IsCancellationRequested)
            {
                GiveUp();
                return;
            }

            await Task.Delay(delay, _time, _stopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            delay = delay * 2 > LastRetryDelay ? LastRetryDelay : delay * 2;
        }
    }

    /// <summary>Sends one batch; on a Redis failure puts it back and returns false.</summary>
    private async Task<bool> FlushBatchAsync()
    {
        var batch = Take();
        if (batch.Count == 0)
        {
            return true;
        }

        try
        {
            // Bounded like a receipt (acknowledging twice is harmless: a call that timed out here but ran in Redis is sent again
            // and changes nothing). Once stopping, a call that waits for a lost connection is given up at once; on a live one
            // it lands in a moment.
            var call = Send(_redis.Database, batch);
            try
            {
                await call.WaitAsync(RedisConnection.OperationTimeout, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_redis.Multiplexer.IsConnected)
            {
                await call.WaitAsync(RedisConnection.OperationTimeout).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException) // RedisTimeoutException is a TimeoutException, not a RedisException
        {
            PutBack(batch, ex, schedule: false);
            return false;
        }

        Settle(batch);
        return true;
    }

    /// <summary>
    /// The worker's read: up to <paramref name="count"/> new entries for <paramref name="consumer"/>, with the acknowledgments
    /// queued meanwhile pipelined in front of it (<c>XACK</c>, <c>XDEL</c> unless entries are retained, <c>XREADGROUP</c>: one
    /// round trip for all; the read does not depend on them). Acknowledgments that Redis refused, or that did not reach it,
    /// go back to the queue and are flushed again; a failed read fails the call.
    /// </summary>
    /// <remarks>Stopping (<paramref name="stopping"/>) abandons a call that waits for a lost connection (its acknowledgments go back to the queue, for <see cref="DrainAsync"/>).</remarks>
    public async Task<StreamEntry[]> ReadAsync(string consumer, int count, CancellationToken stopping)
    {
        var batch = Take();
        var db = _redis.Database;
        var acknowledged = batch.Count > 0 ? Send(db, batch) : null;
        var read = db.StreamReadGroupAsync(_redis.Keys.Stream, RedisKeys.Group, consumer, StreamPosition.NewMessages, count);
        var answered = false;
        try
        {
            StreamEntry[] entries;
            try
            {
                entries = await read.WaitAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_redis.Multiplexer.IsConnected)
            {
                entries = await read.ConfigureAwait(false); // lands in a moment: what it read still runs
            }

            answered = true;
            return entries;
        }
        finally
        {
            if (acknowledged is not null)
            {
                await SettleAfterReadAsync(batch, acknowledged, answered).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The acknowledgments that went in front of a read: settled once Redis took them, else back to the queue (sent again:
    /// acknowledging twice changes nothing). When the read was answered they were answered before it; when it was not (a
    /// lost connection, stopping), they are not waited for.
    /// </summary>
    private async Task SettleAfterReadAsync(List<Pending> batch, Task acknowledged, bool answered)
    {
        try
        {
            if (!acknowledged.IsCompleted && !answered)
            {
                _ = acknowledged.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "The read they went with got no answer.");
            }

            await acknowledged.WaitAsync(RedisConnection.OperationTimeout).ConfigureAwait(false);
            Settle(batch);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException) // RedisTimeoutException is a TimeoutException, not a RedisException
        {
            PutBack(batch, ex, schedule: true);
        }
    }

    /// <summary>Up to <see cref="MaxBatch"/> queued acknowledgments.</summary>
    private List<Pending> Take()
    {
        var batch = new List<Pending>(Math.Min(_queue.Count, MaxBatch));
        while (batch.Count < MaxBatch && _queue.TryDequeue(out var item))
        {
            batch.Add(item);
        }

        return batch;
    }

    /// <summary>
    /// The one way acknowledgments are sent: <c>XACK</c>, then <c>XDEL</c> unless entries are retained, pipelined on the same
    /// connection (in front of a read, or alone for a flush). The delete does not wait for the <c>XACK</c>'s success: the
    /// entry was handled either way, and its pending entry is then dropped by <c>XAUTOCLAIM</c> or by the <c>XACK</c> sent again.
    /// </summary>
    private Task Send(IDatabase db, List<Pending> batch)
    {
        var ids = new RedisValue[batch.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = batch[i].Id;
        }

        var ack = db.StreamAcknowledgeAsync(_redis.Keys.Stream, RedisKeys.Group, ids);
        return _delete ? Task.WhenAll(ack, db.StreamDeleteAsync(_redis.Keys.Stream, ids)) : ack;
    }

    private void Settle(List<Pending> batch)
    {
        Interlocked.Increment(ref _flushes);
        foreach (var item in batch)
        {
            DurableTelemetry.RecordAttempt(item.Name, DurableTelemetry.Outcomes.Handled, _redis.Project);
            Interlocked.Decrement(ref _outstanding);
            item.Done.TrySetResult(true);
        }
    }

    /// <summary>Puts a batch that did not reach Redis back in the queue (logged), and starts a flush unless <paramref name="schedule"/> is false (the caller retries).</summary>
    private void PutBack(List<Pending> batch, Exception ex, bool schedule)
    {
        foreach (var item in batch)
        {
            _queue.Enqueue(item);
        }

        Log.WorkerRedisFailed(_logger, ex, $"acknowledging {batch.Count} handled deliveries");
        if (schedule)
        {
            Schedule(); // retried with backoff, not only with the next read
        }
    }

    private void GiveUp()
    {
        var count = 0;
        while (_queue.TryDequeue(out var item))
        {
            Interlocked.Decrement(ref _outstanding);
            item.Done.TrySetResult(false);
            count++;
        }

        if (count > 0)
        {
            Log.AcknowledgmentsLeft(_logger, count);
        }
    }

    private readonly record struct Pending(RedisValue Id, string Name, TaskCompletionSource<bool> Done);
}
