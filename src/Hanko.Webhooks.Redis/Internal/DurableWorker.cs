using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// The workers of one instance: <c>Concurrency</c> runners that run the entries in hand one after the other through
/// <see cref="EntryProcessor"/>; a reader that keeps them fed from the consumer group (<see cref="ReadAhead"/>); a maintenance
/// loop that releases due retries, takes over entries idle longer than the visibility timeout, trims the stream, counts the
/// dead letters and deletes long idle consumers (<see cref="Consumers"/>); and a heartbeat that keeps the entries in hand from
/// being taken over (<see cref="RunningEntries"/>).
/// </summary>
/// <remarks>
/// Shutdown: the reader and the maintenance loop stop taking work and the entries read ahead go back to the stream; running
/// handlers may finish until the host's shutdown timeout, then they are cancelled and their entries abandoned without
/// acknowledgment (another instance takes them over). The acknowledgments of the handled ones are flushed last; then the
/// instance's consumer is deleted, unless entries are still pending for it.
/// </remarks>
internal sealed class DurableWorker : BackgroundService
{
    private readonly RedisConnection _redis;
    private readonly RedisDurableStore _store;
    private readonly StoredDelivery _stored;
    private readonly HankoDurableProcessingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ReadAhead _inHand;
    private readonly CancellationTokenSource _abort = new();
    private readonly Acknowledgments _acks;
    private readonly RunningEntries _held;
    private readonly EntryProcessor _processor;
    private readonly Consumers _consumers;
    private readonly string _consumer;
    private int _running;

    public DurableWorker(RedisConnection redis, RedisDurableStore store, StoredDelivery stored, IHankoWebhookReceiver receiver, HankoDurableProcessingOptions options, TimeProvider time, ILogger logger)
    {
        _redis = redis;
        _store = store;
        _stored = stored;
        _options = options;
        _time = time;
        _logger = ProjectLogger.For(logger, redis.Project); // the worker's own lines in the project's scope; the receiver opens it for the runs
        _inHand = new ReadAhead(_options.Concurrency);
        _consumer = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
        _acks = new Acknowledgments(redis, delete: _options.Retention <= TimeSpan.Zero, store.Stored, time, _logger);
        _held = new RunningEntries(redis, _consumer, _options.VisibilityTimeout, time, _logger);
        _processor = new EntryProcessor(redis, stored, receiver, options, _acks, _held, time, _logger, _abort.Token);
        _consumers = new Consumers(redis, _consumer, options, time, _logger);
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _stored.EnsureRoundTrip(); // fails the start, with what to configure
        await KeyRingProbe.CheckAsync(_redis, _stored, _consumer, _options.VisibilityTimeout, _logger).ConfigureAwait(false); // so does a key ring not shared with the other instances
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Concurrency == 0)
        {
            Log.ReceiveOnly(_logger, _redis.Keys.Stream.ToString());
            return; // a receiver only: other instances process what it stores
        }

        await EnsureGroupAsync(stoppingToken).ConfigureAwait(false);
        Log.WorkerStarted(_logger, _consumer, _redis.Keys.Stream.ToString(), _options.Concurrency);
        var maintenance = MaintainAsync(stoppingToken);
        var heartbeat = _held.HeartbeatAsync(stoppingToken);
        _acks.ReaderStarted();
        var runners = new Task[_options.Concurrency];
        for (var i = 0; i < runners.Length; i++)
        {
            runners[i] = Task.Run(() => RunAsync(stoppingToken), CancellationToken.None);
        }

        try
        {
            await ReadAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            _acks.ReaderStopped();
            await _inHand.CloseAsync(_redis, _consumer, _held, _logger).ConfigureAwait(false); // read ahead but not started: back to the stream
            await Task.WhenAll(runners).ConfigureAwait(false); // the running handlers finish (or are cancelled at the host's shutdown timeout)
            await maintenance.ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        var running = Volatile.Read(ref _running);
        if (running > 0)
        {
            Log.WorkerStopping(_logger, running);
        }

        try
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false); // stops taking work
            while (Volatile.Read(ref _running) > 0)
            {
                await Task.Delay(20, cancellationToken).ConfigureAwait(false); // let running handlers finish
            }
        }
        catch (OperationCanceledException)
        {
            // The shutdown timeout passed: cancel what still runs; it is abandoned, not acknowledged.
        }
        finally
        {
            await _abort.CancelAsync().ConfigureAwait(false);

            // What was handled is acknowledged now (one last attempt, after the flush that may be in flight, each bounded by the
            // operation timeout); what cannot be is delivered again, never lost.
            await _acks.DrainAsync(RedisConnection.OperationTimeout * 2).ConfigureAwait(false);

            // Cancelled handlers end quickly: let them record the abandonment (not acknowledged) before the host goes.
            for (var waited = 0; Volatile.Read(ref _running) > 0 && waited < 2000; waited += 20)
            {
                await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);
            }

            // Leave no consumer behind (a new one is named per start) unless deliveries are still pending for it; the reader
            // must have stopped, or its next read would add it again.
            if (_options.Concurrency > 0 && ExecuteTask is { IsCompleted: true })
            {
                await _consumers.RemoveOwnAsync().ConfigureAwait(false);
            }
        }
    }

    public override void Dispose()
    {
        _acks.Dispose();
        _abort.Dispose();
        base.Dispose();
    }

    private async Task EnsureGroupAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _redis.Database.StreamCreateConsumerGroupAsync(_redis.Keys.Stream, RedisKeys.Group, StreamPosition.Beginning, createStream: true).ConfigureAwait(false);
                return;
            }
            catch (RedisServerException ex) when (ex.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
            {
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException) // RedisTimeoutException is a TimeoutException, not a RedisException
            {
                Log.WorkerRedisFailed(_logger, ex, "XGROUP CREATE");
                await DelayAsync(_options.PollInterval, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads new entries for the runners: as many as there is room for in hand (<see cref="ReadAhead"/>).</summary>
    private async Task ReadAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!_inHand.WorthReading)
            {
                await _inHand.WaitForRoomAsync(stoppingToken).ConfigureAwait(false);
                continue;
            }

            var room = _inHand.Room;

            StreamEntry[] entries;
            try
            {
                entries = await _acks.ReadAsync(_consumer, room, stoppingToken).ConfigureAwait(false); // with the acknowledgments queued meanwhile
            }
            catch (Exception ex) when (stoppingToken.IsCancellationRequested && ex is OperationCanceledException or ObjectDisposedException)
            {
                return; // stopping while the read waits for a lost connection (or the host disposes it under the read)
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException) // RedisTimeoutException is a TimeoutException, not a RedisException
            {
                if (ex is RedisServerException && ex.Message.Contains("NOGROUP", StringComparison.Ordinal))
                {
                    await EnsureGroupAsync(stoppingToken).ConfigureAwait(false); // the stream was deleted (FLUSHALL, a Redis without persistence restarted)
                }
                else
                {
                    Log.WorkerRedisFailed(_logger, ex, "XREADGROUP");
                    await DelayAsync(_options.PollInterval, stoppingToken).ConfigureAwait(false);
                }

                continue;
            }

            foreach (var entry in entries)
            {
                Start(entry, earlierRuns: 0);
            }

            if (entries.Length == 0)
            {
                await _store.Stored.WaitAsync(_options.PollInterval, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task MaintainAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await DelayAsync(_options.MaintenanceInterval, stoppingToken).ConfigureAwait(false);
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                var db = _redis.Database;
                var keys = _redis.Keys;
                var released = (long)await db.ScriptEvaluateAsync(Scripts.ReleaseDueRetries, [keys.Retry, keys.Stream], [_time.GetUtcNow().ToUnixTimeMilliseconds(), 100]).ConfigureAwait(false);
                if (released > 0)
                {
                    _store.Stored.Signal();
                }

                await TakeOverAsync(db, keys, stoppingToken).ConfigureAwait(false);
                if (_options.Retention > TimeSpan.Zero)
                {
                    await TrimAsync(db, keys).ConfigureAwait(false);
                }

                DurableTelemetry.SetDeadLetterCount(await db.StreamLengthAsync(keys.Dead).ConfigureAwait(false), _redis.Project);
                await _consumers.PruneIfDueAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException) // RedisTimeoutException is a TimeoutException, not a RedisException
            {
                Log.WorkerRedisFailed(_logger, ex, "maintenance");
            }
        }
    }

    /// <summary>Claims entries idle longer than the visibility timeout (their instance died), as many as there is room for in hand.</summary>
    private async Task TakeOverAsync(IDatabase db, RedisKeys keys, CancellationToken stoppingToken)
    {
        var room = _inHand.Room;
        if (room <= 0)
        {
            return;
        }

        var result = await db.StreamAutoClaimAsync(keys.Stream, RedisKeys.Group, _consumer, (long)_options.VisibilityTimeout.TotalMilliseconds, "0-0", room).ConfigureAwait(false);

        // Not what this instance holds: an entry whose renewal lapsed (a failover) while it waited, ran or waited for its acknowledgment.
        var claimed = result.ClaimedEntries.Where(e => !e.IsNull && !_held.Holds(e.Id)).ToArray();
        if (claimed.Length == 0 || stoppingToken.IsCancellationRequested)
        {
            return;
        }

        Log.TookOver(_logger, claimed.Length, _options.VisibilityTimeout);
        foreach (var entry in claimed)
        {
            // The run that was interrupted counts as an attempt (a delivery that kills its instance each time ends in the dead letters).
            var deliveries = 2;
            try
            {
                var pending = await db.StreamPendingMessagesAsync(keys.Stream, RedisKeys.Group, 1, _consumer, entry.Id, entry.Id).ConfigureAwait(false);
                deliveries = pending.Length == 1 ? pending[0].DeliveryCount : 2;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException) // RedisTimeoutException is a TimeoutException, not a RedisException
            {
                Log.WorkerRedisFailed(_logger, ex, "XPENDING"); // counted as one interrupted run; the entry must still run
            }

            Start(entry, earlierRuns: Math.Max(1, deliveries - 1));
        }
    }

    /// <summary>Trims entries older than the retention, never past the first entry still pending or not yet read.</summary>
    private async Task TrimAsync(IDatabase db, RedisKeys keys)
    {
        var cutoff = _time.GetUtcNow() - _options.Retention;
        var minId = (ulong)cutoff.ToUnixTimeMilliseconds();
        var pending = await db.StreamPendingAsync(keys.Stream, RedisKeys.Group).ConfigureAwait(false);
        if (pending.PendingMessageCount > 0)
        {
            minId = Math.Min(minId, Milliseconds(pending.LowestPendingMessageId));
        }

        var groups = await db.StreamGroupInfoAsync(keys.Stream).ConfigureAwait(false);
        foreach (var group in groups)
        {
            if (group.Name == RedisKeys.Group && group.LastDeliveredId is { } last)
            {
                minId = Math.Min(minId, Milliseconds(last) + 1);
            }
        }

        await db.ExecuteAsync("XTRIM", keys.Stream, "MINID", "~", minId.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
    }

    private static ulong Milliseconds(RedisValue id)
    {
        var text = (string)id!;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        return ulong.Parse(dash < 0 ? text : text[..dash], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Puts an entry read or taken over in hand, held (renewed) from now on, for the next free runner.</summary>
    private void Start(StreamEntry entry, long earlierRuns)
    {
        var (name, deliveryId) = QueuedEntry.Labels(entry);
        _held.Hold(entry.Id, name, deliveryId);
        _inHand.Add(entry, earlierRuns);
    }

    /// <summary>One of the <c>Concurrency</c> runners: runs the entries in hand one after the other until stopping.</summary>
    private async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _inHand.WaitToTakeAsync(stoppingToken).ConfigureAwait(false))
            {
                while (!stoppingToken.IsCancellationRequested && _inHand.TryTake(out var next))
                {
                    if (!_held.Holds(next.Entry.Id))
                    {
                        _inHand.Dropped(); // its renewal found it taken over while it waited (a failover): it runs there, not twice
                        continue;
                    }

                    var started = Stopwatch.GetTimestamp();
                    Interlocked.Increment(ref _running);
                    try
                    {
                        await _processor.ProcessAsync(next.Entry, next.EarlierRuns).ConfigureAwait(false);
                    }
#pragma warning disable CA1031 // A Redis failure while settling leaves the entry pending; it is taken over after the visibility timeout.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        Log.WorkerRedisFailed(_logger, ex, "settling a delivery");
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _running);
                        _inHand.Finished(Stopwatch.GetTimestamp() - started);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => DelayAsync(delay, _time, cancellationToken);

    /// <summary>Waits, or returns early (without throwing) when stopping.</summary>
    internal static async Task DelayAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
