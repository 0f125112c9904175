using System.Diagnostics.CodeAnalysis;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// The labels of a stream entry (<see cref="Scripts"/> names the fields): event name, delivery id, attempts already made and
/// the protected delivery. What cannot be read is reported, never thrown: an entry that throws before it is settled stays
/// pending and is taken over every visibility timeout, forever.
/// </summary>
internal readonly record struct QueuedEntry(string Name, string DeliveryId, int Attempts, byte[] Protected)
{
    /// <summary>
    /// Reads the entry; false with the reason when a field is missing or the attempt count is not a whole number. The labels
    /// that could be read are kept either way, so that the entry goes to the dead letters under its name.
    /// </summary>
    /// <param name="entry">The stream entry.</param>
    /// <param name="earlierRuns">Runs that were interrupted (an entry taken over): they count as attempts.</param>
    /// <param name="queued">The labels.</param>
    /// <param name="reason">Why the entry cannot be read.</param>
    public static bool TryRead(StreamEntry entry, long earlierRuns, out QueuedEntry queued, [NotNullWhen(false)] out string? reason)
    {
        var (name, deliveryId, attempts, protectedEntry) = Fields(entry);
        var made = attempts.TryParse(out long n) && n is >= 0 and <= int.MaxValue ? n + earlierRuns : (long?)null;
        queued = new QueuedEntry(
            (string?)name ?? string.Empty,
            (string?)deliveryId ?? string.Empty,
            (int)Math.Min(int.MaxValue, made ?? earlierRuns),
            (byte[]?)protectedEntry ?? []);

        reason = name.IsNull || deliveryId.IsNull || attempts.IsNull || protectedEntry.IsNull
            ? $"The stream entry cannot be read: it has no {Missing(("e", name), ("d", deliveryId), ("n", attempts), ("p", protectedEntry))} field (it was not written by this SDK)."
            : made is null
                ? "The stream entry cannot be read: its attempt count 'n' is not a whole number from 0 to 2147483647 (it was not written by this SDK)."
                : null;
        return reason is null;
    }

    /// <summary>The event name and delivery id, as far as they can be read (empty when not), for an entry just read.</summary>
    public static (string Name, string DeliveryId) Labels(StreamEntry entry)
    {
        var (name, deliveryId, _, _) = Fields(entry);
        return ((string?)name ?? string.Empty, (string?)deliveryId ?? string.Empty);
    }

    /// <summary>
    /// The fields e, d, n and p (the first of each; null when missing), in one pass over the entry. Names are matched by
    /// their byte, not with <see cref="StreamEntry"/>'s indexer: its <see cref="RedisValue"/> equality tries to read both
    /// sides as numbers first, about 2 % of a durable delivery's CPU for the four fields (BENCHMARKS.md section 4).
    /// </summary>
    private static (RedisValue E, RedisValue D, RedisValue N, RedisValue P) Fields(StreamEntry entry)
    {
        RedisValue e = RedisValue.Null, d = RedisValue.Null, n = RedisValue.Null, p = RedisValue.Null;
        foreach (var field in entry.Values ?? [])
        {
            var name = (ReadOnlyMemory<byte>)field.Name;
            if (name.Length != 1)
            {
                continue;
            }

            switch (name.Span[0])
            {
                case (byte)'e' when e.IsNull:
                    e = field.Value;
                    break;
                case (byte)'d' when d.IsNull:
                    d = field.Value;
                    break;
                case (byte)'n' when n.IsNull:
                    n = field.Value;
                    break;
                case (byte)'p' when p.IsNull:
                    p = field.Value;
                    break;
            }
        }

        return (e, d, n, p);
    }

    private static string Missing(params (string Name, RedisValue Value)[] fields) =>
        string.Join(", ", fields.Where(f => f.Value.IsNull).Select(f => $"'{f.Name}'"));
}
