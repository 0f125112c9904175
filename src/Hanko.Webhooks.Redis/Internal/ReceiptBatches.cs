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

            var result = await _redis.Database
                .ScriptEvaluateAsync(Scripts.ReceiveBatch, keys, args)
                .WaitAsync(RedisConnection.OperationTimeout)
                .ConfigureAwait(false);
            results = (RedisResult[])result!;
            if (results.Length != batch.Count)
            {
                throw new RedisException($"The receipt script answered {results.Length} results for {batch.Count} deliveries.");
            }
        }
        catch (Exception ex)
        {
            // No answer, a broken connection, or the call failed as a whole: none of these is known to be stored.
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

    private sealed record Receipt(RedisKey Claim, long ClaimMs, string EventName, string DeliveryId, byte[] Entry, string? Reason, long NowMs, TaskCompletionSource<string?> Done);
}
