using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// The receipts of one instance, sent to Redis in batches: one script call (<see cref="Scripts.ReceiveBatch"/>) claims and
/// appends every delivery queued while the previous call ran, each one atomically on its own. A batch is sent as soon as
/// a receipt arrives and no call is in flight (no timer: under light traffic a receipt goes alone, at once); under load one
/// round trip stores up to <see cref="MaxBatch"/> deliveries.
/// </summary>
/// <remarks>
/// Every receipt gets its own outcome: the entry id, <see langword="null"/> for a duplicate (claimed before, or earlier in
/// the same batch), or an exception. A call that fails or gets no answer within <see cref="RedisConnection.OperationTimeout"/>
/// fails every receipt in it with that exception (the caller answers <c>503</c>); so does a delivery whose own claim or
/// append Redis refused (its claim is given back, the others in the batch are unaffected). As with a single call, a call
/// that timed out on the client may still have run on Redis: those deliveries are then stored and processed once although
/// answered <c>503</c> — never the other way round (no <c>2xx</c> for something not stored).
/// </remarks>
internal sealed class ReceiptBatches
{
    /// <summary>The most deliveries one script call stores.</summary>
    public const int MaxBatch = 64;

    /// <summary>Script arguments per delivery: px, e, d, p, r, t.</summary>
    private const int FieldsPerDelivery = 6;

    private readonly ConcurrentQueue<Receipt> _queue = new();
    private readonly RedisConnection _redis;
    private readonly RedisValue _owner;
    private int _running;

    public ReceiptBatches(RedisConnection redis, string owner)
    {
        _redis = redis;
        _owner = owner;
    }

    /// <summary>
    /// Queues a receipt and starts a flush unless one runs. The task ends with the entry id, <see langword="null"/> for a
    /// duplicate, or the Redis failure. <paramref name="unprocessableReason"/> non-null: to the dead letters, at <paramref name="nowMs"/>.
    /// </summary>
    public Task<string?> StoreAsync(string deliveryId, long claimMs, string eventName, byte[] protectedEntry, string? unprocessableReason, long nowMs)
    {
        var receipt = new Receipt(
            _redis.Keys.Claim(deliveryId),
            claimMs,
            eventName,
            deliveryId,
            protectedEntry,
            unprocessableReason,
            nowMs,
            new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Enqueue(receipt);
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            _ = FlushAsync();
        }

        return receipt.Done.Task;
    }

    /// <summary>Sends batches while receipts are queued; one call in flight at a time.</summary>
    private async Task FlushAsync()
    {
        var batch = new List<Receipt>(MaxBatch);
        while (true)
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.TryDequeue(out var receipt))
            {
                batch.Add(receipt);
            }

            if (batch.Count == 0)
            {
                // Anything queued after this line either is seen by the check below or starts a flush itself.
                Volatile.Write(ref _running, 0);
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _running, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            await SendAsync(batch).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(List<Receipt> batch)
    {
        RedisResult[] results;
        try
        {
            var keys = new RedisKey[batch.Count + 2];
            var args = new RedisValue[1 + (batch.Count * FieldsPerDelivery)];
            keys[0] = _redis.Keys.Stream;
            keys[1] = _redis.Keys.Dead;
            args[0] = _owner;
            for (var i = 0; i < batch.Count; i++)
            {
                var r = batch[i];
                keys[i + 2] = r.Claim;
                var a = 1 + (i * FieldsPerDelivery);
                args[a] = r.ClaimMs;
                args[a + 1] = r.EventName;
                args[a + 2] = r.DeliveryId;
                args[a + 3] = r.Entry;
                args[a + 4] = r.Reason ?? string.Empty;
                args[a + 5] = r.Reason is null ? RedisValue.EmptyString : r.NowMs;
            }

            var db = _redis.Database;
            var stored = db.ScriptEvaluateAsync(Scripts.ReceiveBatch, keys, args);
            var replicated = WaitForReplicas(db);
            var result = await stored.WaitAsync(RedisConnection.OperationTimeout).ConfigureAwait(false);
            results = (RedisResult[])result!;
            if (results.Length != batch.Count)
            {
                throw new RedisException($"The receipt script answered {results.Length} results for {batch.Count} deliveries.");
            }

            if (replicated is not null && await ReplicasAsync(replicated).ConfigureAwait(false) is var (acknowledged, why) && acknowledged < _redis.MinReplicas)
            {
                await TakeBackAsync(db, batch, results).ConfigureAwait(false);
                throw new NotReplicatedException($"held by {acknowledged} of the {_redis.MinReplicas} replica(s) needed within {RedisConnection.ReplicaWaitTimeout.TotalSeconds:0.#} s{why}");
            }
        }
        catch (Exception ex)
        {
            // No answer, a broken connection, the call failed as a whole, or not replicated: none of these is known to survive.
            foreach (var r in batch)
            {
                r.Done.TrySetException(ex);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            var result = results[i];
            if (result.IsNull)
            {
                batch[i].Done.TrySetResult(null);
            }
            else if (result.Resp2Type == ResultType.Array)
            {
                // The claim or the append of this delivery was refused (its claim is given back): the message Redis gave.
                batch[i].Done.TrySetException(new RedisServerException((string?)((RedisResult[])result!)[0] ?? "refused"));
            }
            else
            {
                batch[i].Done.TrySetResult((string?)result);
            }
        }
    }

    /// <summary>
    /// Sends <c>WAIT</c> right behind the receipt script, on the connection to the primary that owns the stream's slot, so
    /// that it counts the replicas holding that script's writes (one per batch). <see langword="null"/> when not asked for.
    /// </summary>
    private Task<RedisResult>? WaitForReplicas(IDatabase db)
    {
        if (_redis.MinReplicas <= 0)
        {
            return null;
        }

        var endpoint = db.IdentifyEndpoint(_redis.Keys.Stream);
        return endpoint is null
            ? Task.FromException<RedisResult>(new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No primary for the stream's slot."))
            : _redis.Multiplexer.GetServer(endpoint).ExecuteAsync("WAIT", _redis.MinReplicas, (long)RedisConnection.ReplicaWaitTimeout.TotalMilliseconds);
    }

    /// <summary>How many replicas acknowledged; a failed or unanswered <c>WAIT</c> counts as none (with what happened).</summary>
    private static async Task<(long Acknowledged, string Why)> ReplicasAsync(Task<RedisResult> wait)
    {
        try
        {
            return ((long)await wait.WaitAsync(RedisConnection.ReplicaWaitTimeout + RedisConnection.OperationTimeout).ConfigureAwait(false), string.Empty);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return (0, $" (WAIT failed: {ex.GetType().Name})");
        }
    }

    /// <summary>Takes back the batch's new receipts that no worker has read yet (best effort: the primary may be gone).</summary>
    private async Task TakeBackAsync(IDatabase db, List<Receipt> batch, RedisResult[] results)
    {
        var keys = new List<RedisKey> { _redis.Keys.Stream, _redis.Keys.Dead };
        var args = new List<RedisValue> { _owner, RedisKeys.Group };
        for (var i = 0; i < batch.Count; i++)
        {
            if (!results[i].IsNull && results[i].Resp2Type != ResultType.Array)
            {
                keys.Add(batch[i].Claim);
                args.Add((string?)results[i]);
                args.Add(batch[i].Reason is null ? "s" : "d");
            }
        }

        if (keys.Count == 2)
        {
            return;
        }

        try
        {
            await db.ScriptEvaluateAsync(Scripts.TakeBackReceipts, [.. keys], [.. args]).WaitAsync(RedisConnection.OperationTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The primary is gone or unreachable: what it held is gone with it, or stays and is processed once (answered 503).
        }
    }

    private sealed record Receipt(RedisKey Claim, long ClaimMs, string EventName, string DeliveryId, byte[] Entry, string? Reason, long NowMs, TaskCompletionSource<string?> Done);
}

/// <summary>A stored batch of receipts that fewer replicas than <see cref="HankoRedisOptions.MinReplicasToAcknowledge"/> confirmed in time.</summary>
internal sealed class NotReplicatedException(string message) : RedisException(message);
