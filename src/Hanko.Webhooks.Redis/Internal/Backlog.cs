using System.Globalization;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// One project's backlog as read from Redis: the deliveries due and not yet done — in the stream and not acknowledged
/// (waiting for a worker, or running: the consumer group's pending entries), plus retries whose delay has passed but which
/// no instance has released yet — and how long the oldest of them has waited (since it entered the stream; a released
/// retry re-enters it, and one not yet released counts from its due time). Retries still within their delay are not in it:
/// they wait on purpose.
/// </summary>
/// <param name="Length">How many deliveries are due and not done.</param>
/// <param name="OldestAge">How long the oldest of them has waited; zero when there is none.</param>
internal readonly record struct Backlog(long Length, TimeSpan OldestAge)
{
    /// <summary>Reads it in one round trip (a second one only with retention, when the oldest unread entry is not the stream's first).</summary>
    public static async Task<Backlog> ReadAsync(IDatabase db, RedisKeys keys, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var batch = db.CreateBatch();
        var length = batch.StreamLengthAsync(keys.Stream);
        var first = batch.StreamRangeAsync(keys.Stream, "-", "+", count: 1);
        var groups = batch.StreamGroupInfoAsync(keys.Stream); // "no such key" when there is no stream yet
        var pending = batch.StreamPendingAsync(keys.Stream, RedisKeys.Group); // NOGROUP until a worker created the group
        var dueCount = batch.SortedSetLengthAsync(keys.Retry, double.NegativeInfinity, nowMs);
        var firstDue = batch.SortedSetRangeByScoreWithScoresAsync(keys.Retry, double.NegativeInfinity, nowMs, take: 1);
        batch.Execute();

        await Task.WhenAll(length, first, dueCount, firstDue).ConfigureAwait(false);
        var group = await GroupAsync(groups, pending).ConfigureAwait(false);

        long inStream;
        string? oldestId;
        if (group is not { } g)
        {
            (inStream, oldestId) = (length.Result, FirstId(first.Result)); // no worker read anything yet: all of it waits
        }
        else
        {
            // Redis knows how many entries the group has not read yet (its lag) unless an unread entry was deleted (a receipt
            // taken back); then the stream's length, which is exact without retention (every acknowledged entry is deleted).
            inStream = g.Info.Lag is { } lag ? g.Info.PendingMessageCount + lag : length.Result;
            oldestId = g.Pending.PendingMessageCount > 0 ? (string?)g.Pending.LowestPendingMessageId : null; // read entries are older than unread ones
            if (oldestId is null && inStream > 0)
            {
                oldestId = FirstId(first.Result);
                if (oldestId is not null && g.Info.LastDeliveredId is { } last && Compare(oldestId, last!) <= 0)
                {
                    // Retained (acknowledged) entries come first: the oldest unread entry is the first after the last read one.
                    oldestId = FirstId(await db.StreamRangeAsync(keys.Stream, "(" + last, "+", count: 1).ConfigureAwait(false));
                }
            }
        }

        var oldest = oldestId is null ? TimeSpan.Zero : Age(now, Milliseconds(oldestId));
        if (firstDue.Result is [var due, ..])
        {
            var overdue = Age(now, (long)due.Score);
            oldest = overdue > oldest ? overdue : oldest;
        }

        return new Backlog(inStream + dueCount.Result, oldest);
    }

    private static async Task<(StreamGroupInfo Info, StreamPendingInfo Pending)?> GroupAsync(Task<StreamGroupInfo[]> groups, Task<StreamPendingInfo> pending)
    {
        try
        {
            await Task.WhenAll(groups, pending).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("NOGROUP", StringComparison.Ordinal) || ex.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return groups.Result.FirstOrDefault(x => x.Name == RedisKeys.Group) is { Name: not null } info ? (info, pending.Result) : null;
    }

    private static string? FirstId(StreamEntry[] entries) => entries is [var entry, ..] && !entry.IsNull ? (string?)entry.Id : null;

    private static TimeSpan Age(DateTimeOffset now, long milliseconds) =>
        TimeSpan.FromMilliseconds(Math.Max(0, now.ToUnixTimeMilliseconds() - milliseconds));

    private static long Milliseconds(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return long.Parse(dash < 0 ? id : id[..dash], CultureInfo.InvariantCulture);
    }

    /// <summary>Orders two stream ids (<c>ms-seq</c>).</summary>
    private static int Compare(string a, string b)
    {
        var byTime = Milliseconds(a).CompareTo(Milliseconds(b));
        return byTime != 0 ? byTime : Sequence(a).CompareTo(Sequence(b));
    }

    private static long Sequence(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? 0 : long.Parse(id[(dash + 1)..], CultureInfo.InvariantCulture);
    }
}
