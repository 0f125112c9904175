using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// The maintenance loop of <see cref="DurableWorker"/>: releases due retries, takes over entries idle longer than the
/// visibility timeout (their instance died), trims the stream, and reads the dead-letter count.
/// </summary>
internal sealed partial class DurableWorker
{
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
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException) // RedisTimeoutException is a TimeoutException, not a RedisException
            {
                Log.WorkerRedisFailed(_logger, ex, "maintenance");
            }
        }
    }

    /// <summary>Claims entries idle longer than the visibility timeout (their instance died), as many as there are free slots.</summary>
    private async Task TakeOverAsync(IDatabase db, RedisKeys keys, CancellationToken stoppingToken)
    {
        var free = 0;
        while (free < _options.Concurrency && _slots.Wait(0, CancellationToken.None))
        {
            free++;
        }

        if (free == 0)
        {
            return;
        }

        StreamEntry[] claimed;
        try
        {
            var result = await db.StreamAutoClaimAsync(keys.Stream, RedisKeys.Group, _consumer, (long)_options.VisibilityTimeout.TotalMilliseconds, "0-0", free).ConfigureAwait(false);
            claimed = result.ClaimedEntries.Where(e => !e.IsNull).ToArray();
        }
        catch
        {
            _slots.Release(free);
            throw;
        }

        if (claimed.Length < free)
        {
            _slots.Release(free - claimed.Length);
        }

        if (claimed.Length == 0 || stoppingToken.IsCancellationRequested)
        {
            if (claimed.Length > 0)
            {
                _slots.Release(claimed.Length);
            }

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
                Log.WorkerRedisFailed(_logger, ex, "XPENDING"); // counted as one interrupted run; the slot must still be used
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
}
