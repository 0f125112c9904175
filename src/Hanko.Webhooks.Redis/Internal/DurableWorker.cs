using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// The workers of one instance: a reader that takes new entries from the consumer group (as many as there are free slots),
/// and a maintenance loop that releases due retries, takes over entries idle longer than the visibility timeout, trims the
/// stream and counts the dead letters, and a heartbeat that keeps the running entries from being taken over (one script
/// for all of them). Each entry: open it, dispatch it with its attempt number, then acknowledge (batched, see
/// <see cref="Acknowledgments"/>), schedule a retry, or move it to the dead letters — each of those one atomic script.
/// </summary>
/// <remarks>
/// Shutdown: the reader and the maintenance loop stop taking work; running handlers may finish until the host's shutdown
/// timeout, then they are cancelled and their entries abandoned without acknowledgment (another instance takes them over).
/// The acknowledgments of the handled ones are flushed last.
/// </remarks>
internal sealed partial class DurableWorker : BackgroundService
{
    private readonly RedisConnection _redis;
    private readonly RedisDurableStore _store;
    private readonly StoredDelivery _stored;
    private readonly IHankoWebhookReceiver _receiver;
    private readonly HankoDurableProcessingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _abort = new();
    private readonly Acknowledgments _acks;
    private readonly ConcurrentDictionary<RedisValue, Held> _held = new();
    private readonly string _consumer;
    private int _running;

    private static readonly Func<ILogger, string, IDisposable?> ProjectScopeFormat = LoggerMessage.DefineScope<string>("Hanko project {HankoProject}");

    public DurableWorker(RedisConnection redis, RedisDurableStore store, StoredDelivery stored, IHankoWebhookReceiver receiver, HankoDurableProcessingOptions options, TimeProvider time, ILogger logger)
    {
        _redis = redis;
        _store = store;
        _stored = stored;
        _receiver = receiver;
        _options = options;
        _time = time;
        _logger = logger;
        _slots = new SemaphoreSlim(_options.Concurrency, Math.Max(_options.Concurrency, 1));
        _consumer = _options.ConsumerName ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
        _acks = new Acknowledgments(redis, delete: _options.Retention <= TimeSpan.Zero, time, logger);
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _stored.EnsureRoundTrip(); // fails the start, with what to configure
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A named project's workers log in its scope, as its receiver does (the scope flows into every loop and handler run).
        using var scope = _redis.Project is { } project ? ProjectScopeFormat(_logger, project) : null;
        if (_options.Concurrency == 0)
        {
            Log.ReceiveOnly(_logger, _redis.Keys.Stream.ToString());
            return; // a receiver only: other instances process what it stores
        }

        await EnsureGroupAsync(stoppingToken).ConfigureAwait(false);
        Log.WorkerStarted(_logger, _consumer, _redis.Keys.Stream.ToString(), _options.Concurrency);
        var maintenance = MaintainAsync(stoppingToken);
        var heartbeat = HeartbeatAsync(stoppingToken);
        try
        {
            await ReadAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
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

            // What was handled is acknowledged now (one last attempt); what cannot be is delivered again, never lost.
            await _acks.DrainAsync(_redis.OperationTimeout).ConfigureAwait(false);

            // Cancelled handlers end quickly: let them record the abandonment (not acknowledged) before the host goes.
            for (var waited = 0; Volatile.Read(ref _running) > 0 && waited < 2000; waited += 20)
            {
                await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    public override void Dispose()
    {
        _acks.Dispose();
        _abort.Dispose();
        _slots.Dispose();
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

    private async Task ReadAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _slots.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var free = 1;
            while (free < _options.Concurrency && _slots.Wait(0, CancellationToken.None))
            {
                free++;
            }

            StreamEntry[] entries;
            try
            {
                entries = await _redis.Database.StreamReadGroupAsync(_redis.Keys.Stream, RedisKeys.Group, _consumer, StreamPosition.NewMessages, free).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException) // RedisTimeoutException is a TimeoutException, not a RedisException
            {
                _slots.Release(free);
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

            if (entries.Length < free)
            {
                _slots.Release(free - entries.Length);
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

    /// <summary>Runs one entry in its slot (the slot was taken by the caller and is released when the entry is done).</summary>
    private void Start(StreamEntry entry, long earlierRuns)
    {
        Interlocked.Increment(ref _running);
        _ = Task.Run(async () =>
        {
            try
            {
                await ProcessAsync(entry, earlierRuns).ConfigureAwait(false);
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
                _slots.Release();
            }
        });
    }

    private async Task ProcessAsync(StreamEntry entry, long earlierRuns)
    {
        var db = _redis.Database;
        var keys = _redis.Keys;
        var name = (string?)entry["e"] ?? string.Empty;
        var deliveryId = (string?)entry["d"] ?? string.Empty;
        var protectedEntry = (byte[]?)entry["p"] ?? [];
        var made = (int)Math.Min(int.MaxValue, (long)entry["n"] + earlierRuns);

        if (made >= _options.MaxAttempts)
        {
            await DeadLetterAsync(db, entry.Id, name, deliveryId, made, $"The instance running its last attempt ({made} of {_options.MaxAttempts}) stopped before it finished.", protectedEntry).ConfigureAwait(false);
            return;
        }

        if (!_stored.TryUnprotect(protectedEntry, out var delivery, out var error)
            || !string.Equals(delivery.Name, name, StringComparison.Ordinal) || !string.Equals(delivery.DeliveryId, deliveryId, StringComparison.Ordinal))
        {
            await DeadLetterAsync(db, entry.Id, name, deliveryId, made, error ?? "The stored entry does not match its labels (tampered with).", protectedEntry).ConfigureAwait(false);
            return;
        }

        var attempt = made + 1;
        HankoReceiveResult run;
        _held[entry.Id] = new Held(name, deliveryId, _time.GetTimestamp());
        try
        {
            // The one way back in: the core rebuilds the event with its own reader and limits, dispatches, and counts the run.
            run = await _receiver.ProcessHandedOffAsync(delivery, attempt, _abort.Token).ConfigureAwait(false);
        }
        finally
        {
            _held.TryRemove(entry.Id, out _);
        }

        if (run.Dispatch is not { } result)
        {
            // The data does not fit the SDK's models: retrying cannot help until an upgrade (the dead letters can be retried then).
            await DeadLetterAsync(db, entry.Id, name, deliveryId, made, run.ProblemDetail ?? run.Failure.ToString(), protectedEntry).ConfigureAwait(false);
            return;
        }

        if (result.Succeeded)
        {
            // Batched with the entries handled meanwhile; the slot stays taken until the acknowledgment is in Redis.
            await _acks.AddAsync(entry.Id, name).ConfigureAwait(false);
            return;
        }

        if (_abort.IsCancellationRequested)
        {
            // Shutting down: not acknowledged, so another instance takes it over.
            DurableTelemetry.RecordAttempt(name, DurableTelemetry.Outcomes.Abandoned, _redis.Project);
            Log.Abandoned(_logger, name, deliveryId);
            return;
        }

        if (result.Failures.Select(f => f.Exception).OfType<HankoDoNotRetryException>().FirstOrDefault() is { } doNotRetry)
        {
            await DeadLetterAsync(db, entry.Id, name, deliveryId, attempt, $"A handler asked not to retry: {doNotRetry.Message}", protectedEntry).ConfigureAwait(false);
            return;
        }

        if (attempt >= _options.MaxAttempts)
        {
            var last = result.Failures[^1];
            await DeadLetterAsync(db, entry.Id, name, deliveryId, attempt, $"Failed {attempt} attempt(s); last: {last.HandlerType.Name} threw {last.Exception.GetType().Name}.", protectedEntry).ConfigureAwait(false);
            return;
        }

        var delays = _options.RetryDelays;
        var delay = delays[Math.Min(attempt - 1, delays.Count - 1)];
        var due = (_time.GetUtcNow() + delay).ToUnixTimeMilliseconds();
        await db.ScriptEvaluateAsync(Scripts.ScheduleRetry, [keys.Stream, keys.Retry], [RedisKeys.Group, entry.Id, due, attempt, deliveryId, name, protectedEntry]).ConfigureAwait(false);
        DurableTelemetry.RecordAttempt(name, DurableTelemetry.Outcomes.Retry, _redis.Project);
        Log.RetryScheduled(_logger, name, deliveryId, attempt, result.Failures.Count, delay);
    }

    private async Task DeadLetterAsync(IDatabase db, RedisValue entryId, string name, string deliveryId, int attempts, string reason, byte[] protectedEntry)
    {
        var keys = _redis.Keys;
        var id = await db.ScriptEvaluateAsync(
            Scripts.DeadLetter,
            [keys.Stream, keys.Dead],
            [RedisKeys.Group, entryId, name, deliveryId, attempts, reason, _time.GetUtcNow().ToUnixTimeMilliseconds(), protectedEntry]).ConfigureAwait(false);
        DurableTelemetry.RecordAttempt(name, DurableTelemetry.Outcomes.DeadLettered, _redis.Project);
        DurableTelemetry.RecordDeadLettered(name, _redis.Project);
        Log.DeadLettered(_logger, name, deliveryId, (string?)id ?? string.Empty, attempts, reason);
    }

    /// <summary>
    /// Keeps the entries whose handlers run from being taken over: every third of the visibility timeout, one script renews
    /// all of those held longer than that (their idle time was reset when they were read).
    /// </summary>
    private async Task HeartbeatAsync(CancellationToken stoppingToken)
    {
        var every = _options.VisibilityTimeout / 3;
        while (!stoppingToken.IsCancellationRequested)
        {
            await DelayAsync(every, stoppingToken).ConfigureAwait(false);
            var now = _time.GetTimestamp();
            var due = _held.Where(h => _time.GetElapsedTime(h.Value.Since, now) >= every).Select(h => h.Key).ToList();
            for (var start = 0; start < due.Count; start += Acknowledgments.MaxBatch)
            {
                var batch = due.GetRange(start, Math.Min(Acknowledgments.MaxBatch, due.Count - start));
                try
                {
                    var lost = (RedisValue[]?)await _redis.Database.ScriptEvaluateAsync(
                        Scripts.Renew, [_redis.Keys.Stream], [RedisKeys.Group, _consumer, .. batch]).ConfigureAwait(false) ?? [];
                    foreach (var id in lost)
                    {
                        if (_held.TryRemove(id, out var held))
                        {
                            Log.LostOwnership(_logger, held.Name, held.DeliveryId); // not renewed again
                        }
                    }
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException) // RedisTimeoutException is a TimeoutException, not a RedisException
                {
                    Log.WorkerRedisFailed(_logger, ex, "renewing running deliveries");
                }
            }
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    /// <summary>An entry whose handlers run here: what to log if it is taken over, and since when it is held.</summary>
    private readonly record struct Held(string Name, string DeliveryId, long Since);
}
