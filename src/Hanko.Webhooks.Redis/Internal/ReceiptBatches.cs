using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
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
/// answered <c>503</c> — never the other way round (no <c>2xx</c> for something not stored). A receipt whose caller gave up
/// (timed out or cancelled) before it was sent is never sent; after a call that got no answer, the next one waits until
/// the client has given that call up too (bounded), so that the receipts queued meanwhile are not written behind it to a
/// Redis that does not answer, to be stored once it does although their callers answered <c>503</c>. At most
/// <see cref="MaxQueued"/> receipts wait; more are refused at once. The flush runs in no request's execution context.
/// </remarks>
internal sealed class ReceiptBatches : IDisposable
{
    /// <summary>The most deliveries one script call stores.</summary>
    public const int MaxBatch = 64;

    /// <summary>The most receipts waiting for a call (given-up ones included until the flush drops them); more answer <c>503</c> at once.</summary>
    public const int MaxQueued = 4096;

    /// <summary>Script arguments per delivery: px, e, d, p, r, t.</summary>
    private const int FieldsPerDelivery = 6;

    private readonly ConcurrentQueue<Receipt> _queue = new();
    private readonly RedisConnection _redis;
    private readonly ReceiptConnection _connection;
    private readonly RedisValue _owner;
    private readonly ILogger _logger;
    private int _queued;
    private int _running;

    public ReceiptBatches(RedisConnection redis, string owner, ILogger logger)
    {
        _redis = redis;
        _connection = new ReceiptConnection(redis);
        _owner = owner;
        _logger = logger;
        _connection.ConnectInBackground();
    }

    /// <summary>
    /// Queues a receipt, starts a flush unless one runs, and waits for its outcome: the entry id, <see langword="null"/> for a
    /// duplicate, or the Redis failure (<see cref="TimeoutException"/> after <paramref name="timeout"/>; then, or when
    /// cancelled, the receipt is given up: not sent if it has not been yet). <paramref name="unprocessableReason"/>
    /// non-null: to the dead letters, at <paramref name="nowMs"/>.
    /// </summary>
    public async Task<string?> StoreAsync(
        string deliveryId, long claimMs, string eventName, byte[] protectedEntry, string? unprocessableReason, long nowMs, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _queued) > MaxQueued)
        {
            Interlocked.Decrement(ref _queued);
            throw new ReceiptsQueueFullException($"{MaxQueued} receipts already wait for Redis");
        }

        var receipt = new Receipt(_redis.Keys.Claim(deliveryId), claimMs, eventName, deliveryId, protectedEntry, unprocessableReason, nowMs);
        _queue.Enqueue(receipt);
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            StartFlush();
        }

        try
        {
            return await receipt.Done.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when ((ex is TimeoutException or OperationCanceledException) && !receipt.Done.Task.IsCompleted)
        {
            receipt.GiveUp();
            throw;
        }
    }

    /// <summary>For the health check: Redis answers on the connection receipts are sent on (see <see cref="ReceiptConnection.CheckAsync"/>).</summary>
    public Task CheckConnectionAsync() => _connection.CheckAsync(_redis.Keys.Stream);

    public void Dispose() => _connection.Dispose();

    /// <summary>On the thread pool, without the first caller's execution context (its Activity, log scopes) for every later batch.</summary>
    private void StartFlush()
    {
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(FlushAsync);
        }
    }

    /// <summary>Sends batches while receipts are queued; one call in flight at a time.</summary>
    private async Task FlushAsync()
    {
        var batch = new List<Receipt>(MaxBatch);
        var owned = true;
        try
        {
            while (true)
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _queue.TryDequeue(out var receipt))
                {
                    Interlocked.Decrement(ref _queued);
                    if (receipt.TryTake())
                    {
                        batch.Add(receipt);
                    }
                }

                if (batch.Count == 0)
                {
                    // Anything queued after this line either is seen by the check below or starts a flush itself.
                    owned = false;
                    Volatile.Write(ref _running, 0);
                    if (_queue.IsEmpty || Interlocked.CompareExchange(ref _running, 1, 0) != 0)
                    {
                        return;
                    }

                    owned = true;
                    continue;
                }

                try
                {
                    await SendAsync(batch).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // Not a Redis failure (SendAsync answers those): fail this batch as unavailable and go on with the next.
                    FailUnexpectedly(batch, ex);
                }
            }
        }
        catch (Exception ex)
        {
            FailUnexpectedly(batch, ex);
        }
        finally
        {
            if (owned)
            {
                // Left by something unexpected outside a batch: the next receipt starts a flush again.
                Volatile.Write(ref _running, 0);
            }
        }
    }

    private void FailUnexpectedly(List<Receipt> batch, Exception ex)
    {
        Log.ReceiptBatchFailed(_logger, ex, batch.Count);
        Fail(batch, new RedisException($"The receipt batch failed unexpectedly ({ex.GetType().Name}).", ex));
        batch.Clear();
    }

    private static void Fail(List<Receipt> batch, Exception ex)
    {
        foreach (var r in batch)
        {
            r.Done.TrySetException(ex);
        }
    }

    private async Task SendAsync(List<Receipt> batch)
    {
        RedisResult[] results;
        Task<RedisResult>? stored = null;
        Task<RedisResult>? replicated = null;
        IServer? primary = null;
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

            var multiplexer = await _connection.MultiplexerAsync().WaitAsync(RedisConnection.OperationTimeout).ConfigureAwait(false);
            var db = multiplexer.GetDatabase();
            if (_redis.MinReplicas > 0)
            {
                (primary, stored, replicated) = await StoreAndWaitAsync(multiplexer, db, keys, args).ConfigureAwait(false);
            }
            else
            {
                stored = db.ScriptEvaluateAsync(Scripts.ReceiveBatch, keys, args, _redis.PrimaryOnly); // never to a replica through a Sentinel
            }

            var result = await stored.WaitAsync(RedisConnection.OperationTimeout).ConfigureAwait(false);
            results = (RedisResult[])result!;
            if (results.Length != batch.Count)
            {
                throw new RedisException($"The receipt script answered {results.Length} results for {batch.Count} deliveries.");
            }

            if (replicated is not null && await ReplicasAsync(replicated).ConfigureAwait(false) is var (acknowledged, why) && acknowledged < _redis.MinReplicas)
            {
                await TakeBackAsync(primary!, batch, results).ConfigureAwait(false);
                throw new NotReplicatedException($"held by {acknowledged} of the {_redis.MinReplicas} replica(s) needed within {RedisConnection.ReplicaWaitTimeout.TotalSeconds:0.#} s{why}");
            }
        }
        catch (Exception ex)
        {
            // No answer, a broken connection, the call failed as a whole, or not replicated: none of these is known to survive.
            Fail(batch, ex);
            await SettledAsync(stored, replicated).ConfigureAwait(false);
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
    /// With replicas to confirm: finds the primary that owns the stream's slot (asynchronously; through a Sentinel never a
    /// replica, see <see cref="RedisConnection.PrimaryOnly"/>), then writes the receipt script and <c>WAIT</c> back to back
    /// to that one server, without redirects, so that the <c>WAIT</c> counts the replicas
    /// holding that script's writes (one per batch). <c>WAIT</c> counts the writes of the connection it runs on, so both must
    /// go on the same one: the script routed on its own and the <c>WAIT</c> to the endpoint found for it could part during a
    /// failover (the script on the primary being demoted, the <c>WAIT</c> on the new one, which confirmed at once a connection
    /// that had written nothing there: a 202 for a write the demoted primary then dropped). The script goes as <c>EVAL</c> with
    /// its body, never <c>EVALSHA</c>: a primary that restarted has lost its script cache, and StackExchange.Redis would send the
    /// script again after a <c>NOSCRIPT</c>, behind the <c>WAIT</c> already written. A server that is no longer the primary
    /// refuses the script (<c>READONLY</c>, or <c>MOVED</c> on a cluster): the batch is answered <c>503</c>.
    /// </summary>
    private async Task<(IServer Primary, Task<RedisResult> Stored, Task<RedisResult> Replicated)> StoreAndWaitAsync(IConnectionMultiplexer multiplexer, IDatabase db, RedisKey[] keys, RedisValue[] args)
    {
        var endpoint = await db.IdentifyEndpointAsync(_redis.Keys.Stream, _redis.PrimaryOnly).WaitAsync(RedisConnection.OperationTimeout).ConfigureAwait(false)
            ?? throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No primary for the stream's slot.");
        var primary = multiplexer.GetServer(endpoint);
        var stored = Eval(primary, Scripts.ReceiveBatch, keys, args);
        var replicated = primary.ExecuteAsync("WAIT", [_redis.MinReplicas, (long)RedisConnection.ReplicaWaitTimeout.TotalMilliseconds], CommandFlags.NoRedirect);
        return (primary, stored, replicated);
    }

    /// <summary><c>EVAL</c> with the script's body on that one server (no redirect, no script cache).</summary>
    private static Task<RedisResult> Eval(IServer server, string script, RedisKey[] keys, RedisValue[] args)
    {
        var arguments = new List<object>(2 + keys.Length + args.Length) { script, keys.Length };
        arguments.AddRange(keys.Cast<object>());
        arguments.AddRange(args.Cast<object>());
        return server.ExecuteAsync("EVAL", arguments, CommandFlags.NoRedirect);
    }

    /// <summary>
    /// After a failed batch: waits until the client has given up its calls as well (StackExchange.Redis times them out after
    /// its own <c>asyncTimeout</c>), at most one more receipt timeout, so that the next batch is not written behind calls
    /// Redis has not answered. Receipts whose callers give up meanwhile are then dropped, never sent.
    /// </summary>
    private static async Task SettledAsync(Task<RedisResult>? stored, Task<RedisResult>? replicated)
    {
        Task[] calls = [.. new[] { stored, replicated }.OfType<Task<RedisResult>>().Where(t => !t.IsCompleted)];
        if (calls.Length > 0)
        {
            await Task.WhenAny(Task.WhenAll(calls), Task.Delay(RedisConnection.OperationTimeout + RedisConnection.ReplicaWaitTimeout)).ConfigureAwait(false);
        }
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

    /// <summary>Takes back the batch's new receipts that no worker has read yet, on the server that stored them (best effort: it may be gone).</summary>
    private async Task TakeBackAsync(IServer primary, List<Receipt> batch, RedisResult[] results)
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
            await Eval(primary, Scripts.TakeBackReceipts, [.. keys], [.. args]).WaitAsync(RedisConnection.OperationTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The primary is gone or unreachable: what it held is gone with it, or stays and is processed once (answered 503).
        }
    }

    private sealed class Receipt(RedisKey claim, long claimMs, string eventName, string deliveryId, byte[] entry, string? reason, long nowMs)
    {
        private const int Queued = 0;
        private const int Taken = 1;
        private const int GivenUp = 2;

        private int _state;

        public RedisKey Claim { get; } = claim;

        public long ClaimMs { get; } = claimMs;

        public string EventName { get; } = eventName;

        public string DeliveryId { get; } = deliveryId;

        public byte[] Entry { get; } = entry;

        public string? Reason { get; } = reason;

        public long NowMs { get; } = nowMs;

        public TaskCompletionSource<string?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>For a batch: false when its caller gave up first (it answered 503; the receipt is dropped).</summary>
        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

        /// <summary>Its caller answered 503: if not yet in a batch, it never is.</summary>
        public void GiveUp() => Interlocked.CompareExchange(ref _state, GivenUp, Queued);
    }
}

/// <summary>More receipts than <see cref="ReceiptBatches.MaxQueued"/> wait for Redis (it is slow or does not answer): refused at once.</summary>
internal sealed class ReceiptsQueueFullException(string message) : RedisException(message);

/// <summary>A stored batch of receipts that fewer replicas than <see cref="HankoRedisOptions.MinReplicasToAcknowledge"/> confirmed in time.</summary>
internal sealed class NotReplicatedException(string message) : RedisException(message);
