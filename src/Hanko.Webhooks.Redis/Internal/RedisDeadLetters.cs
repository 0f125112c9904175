using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary><see cref="IHankoDeadLetters"/> on the dead-letter stream.</summary>
internal sealed class RedisDeadLetters(RedisConnection redis, RedisDurableStore store, ILogger logger) : IHankoDeadLetters
{
    private static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        redis.Database.StreamLengthAsync(redis.Keys.Dead).WaitAsync(cancellationToken);

    public async Task<IReadOnlyList<HankoDeadLetter>> ListAsync(int count = 100, string? after = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var entries = await redis.Database.StreamRangeAsync(redis.Keys.Dead, after is null ? "-" : "(" + after, "+", count).WaitAsync(cancellationToken).ConfigureAwait(false);
        return entries.Select(e => new HankoDeadLetter(
            e.Id!,
            (string?)e["e"] ?? string.Empty,
            (string?)e["d"] ?? string.Empty,
            e["n"].TryParse(out int attempts) ? attempts : 0, // a hand-written entry must not hide the others
            (string?)e["r"] ?? string.Empty,
            e["t"].TryParse(out long at) && at >= 0 && at <= MaxUnixMilliseconds ? DateTimeOffset.FromUnixTimeMilliseconds(at) : DateTimeOffset.UnixEpoch)).ToArray();
    }

    public async Task<bool> RetryAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var result = await redis.Database.ScriptEvaluateAsync(Scripts.RetryDeadLetter, [redis.Keys.Dead, redis.Keys.Stream], [id]).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsNull)
        {
            return false;
        }

        Log.DeadLetterRetried(logger, id, (string)result!);
        store.Stored.Signal();
        return true;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return await redis.Database.StreamDeleteAsync(redis.Keys.Dead, [id]).WaitAsync(cancellationToken).ConfigureAwait(false) == 1;
    }
}
