using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// The acknowledgments of handled entries, sent in batches: one script (<c>XACK</c> + <c>XDEL</c> of many ids) per flush.
/// A flush starts as soon as an entry is handled and no flush is running; what is handled while one runs goes with the
/// next, so an acknowledgment never waits for a timer, and under load one round trip settles many deliveries.
/// </summary>
/// <remarks>
/// An entry is added only after its handlers succeeded. Its worker slot is free at once (the acknowledgment follows in the
/// background, so a slot does not wait for a round trip per entry), unless <see cref="Backlogged"/>: then the slot waits
/// for its entry's acknowledgment, so that no more than <c>Concurrency</c> + <see cref="MaxBatch"/> entries of an instance
/// are ever handled but unsettled, whatever Redis does with the acknowledgments. A failed flush is logged and tried
/// again with backoff; once stopping (<see cref="DrainAsync"/>), each batch gets one more attempt and what fails is logged
/// and given up. An entry whose acknowledgment never reaches Redis (the process dies, or Redis stays down) stays pending:
/// it is delivered again after the visibility timeout — a second run of a handled delivery, never a loss.
/// </remarks>
internal sealed class Acknowledgments : IDisposable
{
    /// <summary>The most ids one script call acknowledges.</summary>
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
    private int _scheduled;
    private int _outstanding;
    private long _flushes;

    public Acknowledgments(RedisConnection redis, bool delete, TimeProvider time, ILogger logger)
    {
        _redis = redis;
        _delete = delete;
        _time = time;
        _logger = logger;
    }

    /// <summary>How many script calls have acknowledged entries.</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>More than <see cref="MaxBatch"/> acknowledgments wait (Redis is slow or refuses them): a slot then waits for its own.</summary>
    public bool Backlogged => Volatile.Read(ref _outstanding) > MaxBatch;

    /// <summary>
    /// Queues the acknowledgment of an entry whose handlers succeeded and starts a flush unless one is running. The task
    /// ends when the acknowledgment is in Redis (true) or was given up at shutdown (false: the entry runs again elsewhere).
    /// </summary>
    public Task<bool> AddAsync(RedisValue entryId, string eventName)
    {
        var pending = new Pending(entryId, eventName, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        Interlocked.Increment(ref _outstanding);
        _queue.Enqueue(pending);
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
        {
            _ = Task.Run(RunAsync);
        }

        return pending.Done.Task;
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
        var batch = new List<Pending>(Math.Min(_queue.Count, MaxBatch));
        while (batch.Count < MaxBatch && _queue.TryDequeue(out var item))
        {
            batch.Add(item);
        }

        if (batch.Count == 0)
        {
            return true;
        }

        var args = new RedisValue[batch.Count + 2];
        args[0] = RedisKeys.Group;
        args[1] = _delete ? "1" : "0";
        for (var i = 0; i < batch.Count; i++)
        {
            args[i + 2] = batch[i].Id;
        }

        try
        {
            // Bounded like a receipt, so that a flush stuck on a dead connection is known to have failed before shutdown gives up
            // (acknowledging twice is harmless: a call that timed out here but ran in Redis is sent again and changes nothing).
            await _redis.Database.ScriptEvaluateAsync(Scripts.Ack, [_redis.Keys.Stream], args).WaitAsync(RedisConnection.OperationTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException) // RedisTimeoutException is a TimeoutException, not a RedisException
        {
            foreach (var item in batch)
            {
                _queue.Enqueue(item);
            }

            Log.WorkerRedisFailed(_logger, ex, $"acknowledging {batch.Count} handled deliveries");
            return false;
        }

        Interlocked.Increment(ref _flushes);
        foreach (var item in batch)
        {
            DurableTelemetry.RecordAttempt(item.Name, DurableTelemetry.Outcomes.Handled, _redis.Project);
            Interlocked.Decrement(ref _outstanding);
            item.Done.TrySetResult(true);
        }

        return true;
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
