using System.Collections.Frozen;
using Hanko.Webhooks.Diagnostics;
using Hanko.Webhooks.Internal;
using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.Verification;

/// <summary>
/// The signing keys of the Hanko JWKS, held in memory. Keys are fetched on first use (or at host start), refreshed
/// when they are due (<c>Cache-Control: max-age</c> within bounds) without making a delivery wait, and fetched again
/// when a token names an unknown <c>kid</c>.
/// </summary>
/// <remarks>
/// <para>Fetches of every kind are at least <see cref="HankoWebhookOptions.JwksRefetchCooldown"/> apart, one at a time,
/// shared by every caller. When no keys are held, a failed fetch holds the next one back by a shorter, doubling delay
/// (250 ms, 500 ms, … up to the cooldown).</para>
/// <para>Key rotation at any moment: a delivery naming an unknown <c>kid</c> waits for the first fetch that starts after
/// that <c>kid</c> was first seen: at once when the cooldown allows, else the next allowed one, which all such deliveries
/// share. The wait (for the slot and the fetch) is bounded by <see cref="MaxKeyWait"/>, well inside Hanko's 10 s; a
/// delivery that could not get a fetch within it is answered at once. A <c>kid</c> that such a fetch did not contain is
/// remembered (up to <see cref="MaxAbsentKeyIds"/> of them, until the key set changes) and refused at once, without a
/// fetch, from then on: the same forged <c>kid</c> repeated costs nothing, and different forged <c>kid</c>s cost at most
/// one fetch per cooldown between them. At most <see cref="MaxWaiters"/> deliveries wait at a time; beyond that a
/// delivery is answered at once with <see cref="KeyLookup.Busy"/> (503).</para>
/// <para>What one fetch does (the request, its limits, reading the keys) is <see cref="JwksFetcher"/>; what a lookup that
/// finds no key answers is <see cref="KeyLookup"/>.</para>
/// </remarks>
internal sealed class JwksKeyStore
{
    /// <summary>How long a delivery with an unknown <c>kid</c> may wait for the JWKS, from arrival to the fetch's answer.</summary>
    internal static readonly TimeSpan MaxKeyWait = TimeSpan.FromSeconds(5);

    /// <summary>How many deliveries may wait for a JWKS fetch at once.</summary>
    internal const int MaxWaiters = 512;

    /// <summary>How many refused key ids are remembered; when full, the memory is cleared.</summary>
    internal const int MaxAbsentKeyIds = 1024;

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);

    private readonly HankoWebhookOptions _options;
    private readonly JwksFetcher _fetcher;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly object _gate = new();

    // All below are guarded by _gate, except where read with Volatile.
    private readonly Dictionary<string, long> _pending = new(StringComparer.Ordinal); // unknown kid -> fetches started before it was first seen
    private readonly HashSet<string> _absent = new(StringComparer.Ordinal); // kids a fetch made after their first sighting did not contain
    private volatile KeySnapshot? _snapshot;
    private Task<bool>? _inflight;
    private Task<bool>? _scheduled;
    private long _startedFetches;
    private long _completedFetch; // the number of the last fetch that finished
    private bool _completedFetchSucceeded;
    private long _nextFetchAllowedTicks = long.MinValue;
    private TimeSpan _retryDelayWithoutKeys = FirstRetryDelay;
    private int _waiters;
    private long _refreshDueTicks = long.MinValue;
    private volatile string? _lastError;
    private long _fetchCount;

    private JwksKeyStore(Uri jwksUri, HankoWebhookOptions options, Func<HttpClient> createClient, TimeProvider time, ILogger logger, string? project)
    {
        Project = project;
        JwksUri = jwksUri;
        _options = options;
        _fetcher = new JwksFetcher(jwksUri, options, createClient, time, logger);
        _time = time;
        _logger = logger;
    }

    public Uri JwksUri { get; }

    /// <summary>The project whose keys these are; <see langword="null"/> for the unnamed one.</summary>
    public string? Project { get; }

    /// <summary>The store for post-configured, validated options (the JWKS URL is the one the post-configure derived).</summary>
    public static JwksKeyStore Create(HankoWebhookOptions options, Func<HttpClient> createClient, TimeProvider time, ILogger logger, string? project = null) =>
        new(HankoWebhookOptionsPostConfigure.SourceOf(options, project).Uri ?? throw new InvalidOperationException("HankoWebhookOptions have no JWKS URL; they were not post-configured and validated."), options, createClient, time, logger, project);

    /// <summary>How many JWKS requests were started.</summary>
    public long FetchCount => Interlocked.Read(ref _fetchCount);

    /// <summary>How many deliveries wait for a JWKS fetch right now.</summary>
    internal int WaiterCount => Volatile.Read(ref _waiters);

    /// <summary>How many unknown key ids no fetch has answered yet (a fetch that ends removes those seen before it started).</summary>
    internal int PendingKeyIdCount => ReadLocked(static s => s._pending.Count);

    /// <summary>Whether a JWKS request is under way.</summary>
    internal bool IsFetching => ReadLocked(static s => s._inflight is { IsCompleted: false });

    /// <summary>
    /// Whether a JWKS request is under way, or a scheduled one is due and about to start (its delay has passed on the clock,
    /// its continuation has not run yet). Tests on a fake clock wait for this to be false before they move time on.
    /// </summary>
    internal bool IsFetchingOrDue => ReadLocked(static s =>
        s._inflight is { IsCompleted: false } || (s._scheduled is { IsCompleted: false } && s._time.GetUtcNow().UtcTicks >= s._nextFetchAllowedTicks));

    /// <summary>How many key ids are refused at once without a fetch.</summary>
    internal int AbsentKeyIdCount => ReadLocked(static s => s._absent.Count);

    /// <summary>Reads this store's state under its lock (for the test hooks above).</summary>
    private T ReadLocked<T>(Func<JwksKeyStore, T> read)
    {
        lock (_gate)
        {
            return read(this);
        }
    }

    /// <summary>When the next JWKS fetch may start (now, when one may start now).</summary>
    public DateTimeOffset NextFetchAllowedAt
    {
        get
        {
            var now = _time.GetUtcNow();
            var allowed = Volatile.Read(ref _nextFetchAllowedTicks);
            return allowed > now.UtcTicks ? new DateTimeOffset(allowed, TimeSpan.Zero) : now;
        }
    }

    /// <summary>What the store holds now, for health checks and diagnostics.</summary>
    public JwksStatus Status
    {
        get
        {
            var snapshot = _snapshot;
            return new JwksStatus(
                snapshot?.Keys.Count ?? 0,
                snapshot?.FetchedAt,
                snapshot is not null && (_lastError is not null || _time.GetUtcNow().UtcTicks >= Volatile.Read(ref _refreshDueTicks) + _options.JwksRefetchCooldown.Ticks),
                _lastError);
        }
    }

    /// <summary>Finds the key for <paramref name="keyId"/>; completes synchronously whenever the key is held or known to be absent.</summary>
    public ValueTask<KeyLookup> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && snapshot.Keys.TryGetValue(keyId, out var key))
        {
            if (_time.GetUtcNow().UtcTicks >= Volatile.Read(ref _refreshDueTicks))
            {
                lock (_gate)
                {
                    _ = JoinOrStartFetch(unknownKeyId: null);
                }
            }

            return new(KeyLookup.Found(key));
        }

        return FindUnknownAsync(keyId, cancellationToken);
    }

    /// <summary>Fetches the JWKS now unless a fetch is under way or the cooldown forbids one; for warm-up.</summary>
    public Task RefreshAsync(CancellationToken cancellationToken)
    {
        Task<bool>? fetch;
        lock (_gate)
        {
            fetch = JoinOrStartFetch(unknownKeyId: null);
        }

        return (fetch ?? Task.CompletedTask).WaitAsync(cancellationToken);
    }

    private async ValueTask<KeyLookup> FindUnknownAsync(string keyId, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + MaxKeyWait;
        long sighting;
        lock (_gate)
        {
            if (_snapshot is { } held && _absent.Contains(keyId))
            {
                Log.JwksKnownAbsentKey(_logger, WebhookVerifier.Describe(keyId));
                return KeyLookup.Unknown(keyId);
            }

            if (!_pending.TryGetValue(keyId, out sighting))
            {
                sighting = _startedFetches;
                if (_pending.Count < MaxWaiters)
                {
                    _pending[keyId] = sighting;
                }
            }
        }

        while (true)
        {
            Task<bool> fetch;
            lock (_gate)
            {
                var snapshot = _snapshot;
                if (snapshot is not null && snapshot.Keys.TryGetValue(keyId, out var key))
                {
                    return KeyLookup.Found(key);
                }

                var now = _time.GetUtcNow();
                if (_completedFetch > sighting)
                {
                    // A fetch that started after this kid was first seen has answered.
                    return snapshot is null ? KeyLookup.Unavailable(_lastError, NextFetchAllowedAt, now)
                        : _completedFetchSucceeded ? KeyLookup.Unknown(keyId)
                        : KeyLookup.RefetchFailed(keyId, _lastError, NextFetchAllowedAt, now);
                }

                var next = JoinOrStartFetch(keyId);
                if (next is null)
                {
                    var allowedAt = new DateTimeOffset(_nextFetchAllowedTicks, TimeSpan.Zero);
                    if (allowedAt >= deadline)
                    {
                        Log.JwksRefetchSuppressed(_logger, WebhookVerifier.Describe(keyId), allowedAt - now);
                        return snapshot is null ? KeyLookup.Unavailable(_lastError, allowedAt, now) : KeyLookup.UnknownRateLimited(keyId, allowedAt, _options.JwksRefetchCooldown);
                    }

                    next = _scheduled ??= FetchLaterAsync(allowedAt - now);
                    Log.JwksWaitingForFetch(_logger, WebhookVerifier.Describe(keyId), allowedAt - now);
                }

                if (_waiters >= MaxWaiters)
                {
                    Log.JwksTooManyWaiters(_logger, MaxWaiters);
                    return KeyLookup.Busy(keyId);
                }

                _waiters++;
                fetch = next;
            }

            try
            {
                var remaining = deadline - _time.GetUtcNow();
                await fetch.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return KeyLookup.TimedOut(keyId);
            }
            finally
            {
                lock (_gate)
                {
                    _waiters--;
                }
            }
        }
    }

    /// <summary>A fetch that starts once the cooldown has passed, shared by every delivery that waits for it.</summary>
    private async Task<bool> FetchLaterAsync(TimeSpan delay)
    {
        await Task.Delay(delay, _time).ConfigureAwait(false);
        Task<bool>? fetch;
        lock (_gate)
        {
            _scheduled = null;
            fetch = JoinOrStartFetch(unknownKeyId: null, force: true);
        }

        return await fetch!.ConfigureAwait(false);
    }

    /// <summary>
    /// Returns the fetch under way, a new one, or <see langword="null"/> when the cooldown forbids one (unless
    /// <paramref name="force"/>: the scheduled fetch, whose time has come). The task's result says whether it succeeded.
    /// Called under <c>_gate</c>.
    /// </summary>
    private Task<bool>? JoinOrStartFetch(string? unknownKeyId, bool force = false)
    {
        if (_inflight is { IsCompleted: false } inflight)
        {
            return inflight;
        }

        var now = _time.GetUtcNow().UtcTicks;
        if (!force && now < _nextFetchAllowedTicks)
        {
            return null;
        }

        if (unknownKeyId is not null && _snapshot is not null)
        {
            Log.JwksUnknownKey(_logger, WebhookVerifier.Describe(unknownKeyId));
        }

        var number = ++_startedFetches;
        _nextFetchAllowedTicks = now + _options.JwksRefetchCooldown.Ticks;
        Interlocked.Increment(ref _fetchCount);
        _inflight = Task.Run(() => FetchAndStoreAsync(number, now));
        return _inflight;
    }

    private async Task<bool> FetchAndStoreAsync(long number, long startedTicks)
    {
        using var activity = HankoSpans.StartJwksFetch(JwksUri, Project);
        var previous = _snapshot;
        try
        {
            var (keys, refreshIn) = await _fetcher.FetchAsync(previous?.Keys).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            var snapshot = new KeySnapshot(keys, now);
            lock (_gate)
            {
                _snapshot = snapshot;
                _lastError = null;
                _retryDelayWithoutKeys = FirstRetryDelay;
                Volatile.Write(ref _refreshDueTicks, (now + refreshIn).UtcTicks);
                if (previous is null || previous.Keys.Count != keys.Count || !previous.Keys.Keys.All(keys.ContainsKey))
                {
                    _absent.Clear(); // the keys changed: every kid gets a fresh look
                }

                Complete(number, succeeded: true, keys);
            }

            Log.JwksFetched(_logger, keys.Count, JwksUri, HankoProject.ForProject(Project), refreshIn);
            HankoSpans.RecordJwksFetch(activity, HankoTelemetryNames.JwksResults.Success, keys.Count, Project);
            return true;
        }
#pragma warning disable CA1031 // A failed fetch must never surface as an unobserved exception: it is logged and the old keys stay.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var reason = JwksFetcher.Describe(ex);
            HankoSpans.RecordJwksFetch(activity, JwksFetcher.ResultOf(ex), 0, Project);
            lock (_gate)
            {
                _lastError = reason;
                Volatile.Write(ref _refreshDueTicks, (_time.GetUtcNow() + _options.JwksRefetchCooldown).UtcTicks);
                if (previous is null)
                {
                    // No keys at all: try again soon (250 ms, doubling, at most the cooldown), not a whole cooldown later.
                    var retry = _retryDelayWithoutKeys < _options.JwksRefetchCooldown ? _retryDelayWithoutKeys : _options.JwksRefetchCooldown;
                    _retryDelayWithoutKeys = retry * 2;
                    _nextFetchAllowedTicks = startedTicks + retry.Ticks;
                }

                Complete(number, succeeded: false, keys: null);
            }

            if (previous is null)
            {
                Log.JwksFetchFailed(_logger, JwksUri, HankoProject.ForProject(Project), reason, NextFetchAllowedAt);
            }
            else
            {
                Log.JwksFetchFailedUsingCachedKeys(_logger, JwksUri, HankoProject.ForProject(Project), reason, previous.Keys.Count);
            }

            return false;
        }
    }

    /// <summary>Records the outcome of fetch <paramref name="number"/>; kids first seen before it started and not in it are absent. Under <c>_gate</c>.</summary>
    private void Complete(long number, bool succeeded, FrozenDictionary<string, VerificationKey>? keys)
    {
        _completedFetch = number;
        _completedFetchSucceeded = succeeded;
        foreach (var keyId in _pending.Where(p => p.Value < number).Select(p => p.Key).ToList())
        {
            _pending.Remove(keyId);
            if (keys is not null && !keys.ContainsKey(keyId))
            {
                if (_absent.Count >= MaxAbsentKeyIds)
                {
                    _absent.Clear();
                }

                _absent.Add(keyId);
            }
        }
    }
}
