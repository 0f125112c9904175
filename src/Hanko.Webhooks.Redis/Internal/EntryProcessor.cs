using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// Runs one stream entry: read its labels, open it, hand it back to the project's receiver with its attempt number (the one
/// way back in: the core rebuilds the event with its own reader and limits, dispatches and counts), then acknowledge it (batched, see
/// <see cref="Acknowledgments"/>), schedule a retry, or move it to the dead letters — each of those one atomic script. An
/// entry that cannot be read goes to the dead letters at once, with the reason; one that does not decrypt here (another
/// instance's keys) is retried like a failed run, so that an instance that holds the keys may open it.
/// </summary>
internal sealed class EntryProcessor(
    RedisConnection redis,
    StoredDelivery stored,
    IHankoWebhookReceiver receiver,
    HankoDurableProcessingOptions options,
    Acknowledgments acks,
    RunningEntries running,
    TimeProvider time,
    ILogger logger,
    CancellationToken abort)
{
    /// <summary>
    /// Runs the entry inside one <see cref="HankoWebhooksDiagnostics.HandedOffSpan"/>: the receiver tags it with the run (event,
    /// delivery id, attempt, outcome), this worker with what it did after (handled, retry and when, dead_lettered, abandoned).
    /// </summary>
    public async Task ProcessAsync(StreamEntry entry, long earlierRuns)
    {
        using var span = DurableTelemetry.StartRun(redis.Project);
        var released = true;
        try
        {
            var (outcome, retryDue) = await RunAsync(entry, earlierRuns, span).ConfigureAwait(false);
            released = outcome != DurableTelemetry.Outcomes.Handled; // a handled one stays held until acknowledged
            DurableTelemetry.CompleteRun(span, outcome, retryDue);
        }
        finally
        {
            if (released)
            {
                running.Release(entry.Id);
            }
        }
    }

    private async Task<(string Outcome, DateTimeOffset? RetryDue)> RunAsync(StreamEntry entry, long earlierRuns, System.Diagnostics.Activity? span)
    {
        var db = redis.Database;
        if (!QueuedEntry.TryRead(entry, earlierRuns, out var queued, out var unreadable))
        {
            return await DeadLetterAsync(db, entry.Id, queued, queued.Attempts, unreadable, span).ConfigureAwait(false);
        }

        var (name, deliveryId, made, _) = queued;
        if (made >= options.MaxAttempts)
        {
            return await DeadLetterAsync(db, entry.Id, queued, made, $"The instance running its last attempt ({made} of {options.MaxAttempts}) stopped before it finished.", span).ConfigureAwait(false);
        }

        var attempt = made + 1;
        if (!TryOpen(queued, out var delivery, out var error, out var keys))
        {
            if (keys && attempt < options.MaxAttempts)
            {
                // Not our keys (or tampered with): an instance that holds them may open it, so retry as after a failed run.
                var (wait, retryDue) = await ScheduleRetryAsync(db, entry.Id, queued, attempt).ConfigureAwait(false);
                Log.EntryNotOpened(logger, name, deliveryId, attempt, wait);
                return (DurableTelemetry.Outcomes.Retry, retryDue);
            }

            return await DeadLetterAsync(db, entry.Id, queued, keys ? attempt : made, keys ? $"Could not be opened in {attempt} attempt(s). {error}" : error, span).ConfigureAwait(false);
        }

        running.Hold(entry.Id, name, deliveryId); // held since it was read; now under its labels
        var run = await receiver.ProcessHandedOffAsync(delivery, attempt, abort).ConfigureAwait(false);

        if (run.Dispatch is not { } result)
        {
            // The data does not fit the SDK's models: retrying cannot help until an upgrade (the dead letters can be retried then).
            return await DeadLetterAsync(db, entry.Id, queued, made, run.ProblemDetail ?? run.Failure.ToString(), span).ConfigureAwait(false);
        }

        if (result.Succeeded)
        {
            // Batched with the entries handled meanwhile. The runner is free at once (the next read does not wait for this
            // round trip), unless too many acknowledgments wait: then it waits for its own (a bound, see Acknowledgments).
            var acknowledged = acks.AddAsync(entry.Id, name);

            // Held (renewed, and not taken over) until acknowledged: an acknowledgment that waits out a failover must not
            // let the visibility timeout hand a handled entry to a second run.
            _ = acknowledged.ContinueWith(
                static (_, state) =>
                {
                    var (held, id) = ((RunningEntries, RedisValue))state!;
                    held.Release(id);
                },
                (running, entry.Id),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            if (acks.Backlogged)
            {
                await acknowledged.ConfigureAwait(false);
            }

            return (DurableTelemetry.Outcomes.Handled, null);
        }

        if (abort.IsCancellationRequested)
        {
            // Shutting down: not acknowledged, so another instance takes it over.
            DurableTelemetry.RecordAttempt(name, DurableTelemetry.Outcomes.Abandoned, redis.Project);
            Log.Abandoned(logger, name, deliveryId);
            return (DurableTelemetry.Outcomes.Abandoned, null);
        }

        if (result.Failures.Select(f => f.Exception).OfType<HankoDoNotRetryException>().FirstOrDefault() is { } doNotRetry)
        {
            return await DeadLetterAsync(db, entry.Id, queued, attempt, $"A handler asked not to retry: {doNotRetry.Message}", span).ConfigureAwait(false);
        }

        if (attempt >= options.MaxAttempts)
        {
            var last = result.Failures[^1];
            return await DeadLetterAsync(db, entry.Id, queued, attempt, $"Failed {attempt} attempt(s); last: {last.HandlerType.Name} threw {last.Exception.GetType().Name}.", span).ConfigureAwait(false);
        }

        var (delay, due) = await ScheduleRetryAsync(db, entry.Id, queued, attempt).ConfigureAwait(false);
        Log.RetryScheduled(logger, name, deliveryId, attempt, result.Failures.Count, delay);
        return (DurableTelemetry.Outcomes.Retry, due);
    }

    /// <summary>Moves the entry to the retry set, due after the delay for <paramref name="attempt"/>; returns that delay and when it is due.</summary>
    private async Task<(TimeSpan Delay, DateTimeOffset Due)> ScheduleRetryAsync(IDatabase db, RedisValue entryId, QueuedEntry queued, int attempt)
    {
        var delays = options.RetryDelays;
        var delay = delays[Math.Min(attempt - 1, delays.Count - 1)];
        var due = time.GetUtcNow() + delay;
        await db.ScriptEvaluateAsync(Scripts.ScheduleRetry, [redis.Keys.Stream, redis.Keys.Retry], [RedisKeys.Group, entryId, due.ToUnixTimeMilliseconds(), attempt, queued.DeliveryId, queued.Name, queued.Protected]).ConfigureAwait(false);
        DurableTelemetry.RecordAttempt(queued.Name, DurableTelemetry.Outcomes.Retry, redis.Project);
        return (delay, due);
    }

    /// <summary>Opens the protected delivery (the core's stored form of its parts); false with the reason when it cannot be.</summary>
    private bool TryOpen(QueuedEntry queued, out HankoEventParts delivery, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error, out bool keys)
    {
        delivery = default;
        keys = false;
        try
        {
            if (!stored.TryUnprotect(queued.Protected, out delivery, out error, out keys)
                || !string.Equals(delivery.Name, queued.Name, StringComparison.Ordinal) || !string.Equals(delivery.DeliveryId, queued.DeliveryId, StringComparison.Ordinal))
            {
                error ??= "The stored entry does not match its labels (tampered with).";
                return false;
            }

            return true;
        }
#pragma warning disable CA1031 // Anything that throws here would leave the entry pending, taken over every visibility timeout, forever.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = $"The stored entry could not be opened ({ex.GetType().Name}).";
            return false;
        }
    }

    private async Task<(string Outcome, DateTimeOffset? RetryDue)> DeadLetterAsync(IDatabase db, RedisValue entryId, QueuedEntry queued, int attempts, string reason, System.Diagnostics.Activity? span)
    {
        DurableTelemetry.TagEntry(span, queued.Name, queued.DeliveryId, attempts);
        var keys = redis.Keys;
        var id = await db.ScriptEvaluateAsync(
            Scripts.DeadLetter,
            [keys.Stream, keys.Dead],
            [RedisKeys.Group, entryId, queued.Name, queued.DeliveryId, attempts, reason, time.GetUtcNow().ToUnixTimeMilliseconds(), queued.Protected]).ConfigureAwait(false);
        DurableTelemetry.RecordAttempt(queued.Name, DurableTelemetry.Outcomes.DeadLettered, redis.Project);
        DurableTelemetry.RecordDeadLettered(queued.Name, redis.Project);
        Log.DeadLettered(logger, queued.Name, queued.DeliveryId, (string?)id ?? string.Empty, attempts, reason);
        return (DurableTelemetry.Outcomes.DeadLettered, null);
    }
}
