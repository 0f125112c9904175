using System.Collections.Frozen;
using System.Net.Http.Headers;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using Hanko.Webhooks.Diagnostics;
using Hanko.Webhooks.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

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
/// delivery is answered at once with <see cref="KeyLookupStatus.Busy"/> (503).</para>
/// </remarks>
internal sealed class JwksKeyStore
{
    /// <summary>How long a delivery with an unknown <c>kid</c> may wait for the JWKS, from arrival to the fetch's answer.</summary>
    internal static readonly TimeSpan MaxKeyWait = TimeSpan.FromSeconds(5);

    /// <summary>How many deliveries may wait for a JWKS fetch at once.</summary>
    internal const int MaxWaiters = 512;

    /// <summary>How many refused key ids are remembered; when full, the memory is cleared.</summary>
    internal const int MaxAbsentKeyIds = 1024;

    private const int MaxJwksBytes = 512 * 1024;
    private const int MinimumRsaKeySize = 2048;
    private static readonly string[] JwkMembers = ["kid", "kty", "use", "alg", "n", "e"];
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);

    private readonly Uri _jwksUri;
    private readonly HankoWebhookOptions _options;
    private readonly Func<HttpClient> _createClient;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string? _project;
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
    private int _failuresWithoutKeys;
    private int _waiters;
    private long _refreshDueTicks = long.MinValue;
    private volatile string? _lastError;
    private long _fetchCount;

    public JwksKeyStore(Uri jwksUri, HankoWebhookOptions options, Func<HttpClient> createClient, TimeProvider time, ILogger logger, string? project = null)
    {
        _project = project;
        _jwksUri = jwksUri;
        _options = options;
        _createClient = createClient;
        _time = time;
        _logger = logger;
    }

    public Uri JwksUri => _jwksUri;

    /// <summary>The project whose keys these are; <see langword="null"/> for the unnamed one.</summary>
    public string? Project => _project;

    /// <summary>The store for post-configured, validated options (the JWKS URL is the one the post-configure derived).</summary>
    public static JwksKeyStore Create(HankoWebhookOptions options, Func<HttpClient> createClient, TimeProvider time, ILogger logger, string? project = null) =>
        new(HankoWebhookOptionsPostConfigure.SourceOf(options, project).Uri ?? throw new InvalidOperationException("HankoWebhookOptions have no JWKS URL; they were not post-configured and validated."), options, createClient, time, logger, project);

    /// <summary>How many JWKS requests were started.</summary>
    public long FetchCount => Interlocked.Read(ref _fetchCount);

    /// <summary>How many deliveries wait for a JWKS fetch right now.</summary>
    internal int WaiterCount => Volatile.Read(ref _waiters);

    /// <summary>Whether a JWKS request is under way.</summary>
    internal bool IsFetching
    {
        get
        {
            lock (_gate)
            {
                return _inflight is { IsCompleted: false };
            }
        }
    }

    /// <summary>
    /// Whether a JWKS request is under way, or a scheduled one is due and about to start (its delay has passed on the clock,
    /// its continuation has not run yet). Tests on a fake clock wait for this to be false before they move time on.
    /// </summary>
    internal bool IsFetchingOrDue
    {
        get
        {
            lock (_gate)
            {
                return _inflight is { IsCompleted: false }
                    || (_scheduled is { IsCompleted: false } && _time.GetUtcNow().UtcTicks >= _nextFetchAllowedTicks);
            }
        }
    }

    /// <summary>How many key ids are refused at once without a fetch.</summary>
    internal int AbsentKeyIdCount
    {
        get
        {
            lock (_gate)
            {
                return _absent.Count;
            }
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

            return new(new KeyLookup(key, KeyLookupStatus.Found));
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
                Log.JwksKnownAbsentKey(_logger, HankoWebhookVerifier.Describe(keyId));
                return new(null, KeyLookupStatus.Unknown);
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
                    return new(key, KeyLookupStatus.Found);
                }

                if (_completedFetch > sighting)
                {
                    // A fetch that started after this kid was first seen has answered.
                    return snapshot is null ? new(null, KeyLookupStatus.Unavailable)
                        : _completedFetchSucceeded ? new(null, KeyLookupStatus.Unknown)
                        : new(null, KeyLookupStatus.RefetchFailed);
                }

                var now = _time.GetUtcNow();
                var next = JoinOrStartFetch(keyId);
                if (next is null)
                {
                    var allowedAt = new DateTimeOffset(_nextFetchAllowedTicks, TimeSpan.Zero);
                    if (allowedAt >= deadline)
                    {
                        Log.JwksRefetchSuppressed(_logger, HankoWebhookVerifier.Describe(keyId), allowedAt - now);
                        return new(null, snapshot is null ? KeyLookupStatus.Unavailable : KeyLookupStatus.UnknownRateLimited);
                    }

                    next = _scheduled ??= FetchLaterAsync(allowedAt - now);
                    Log.JwksWaitingForFetch(_logger, HankoWebhookVerifier.Describe(keyId), allowedAt - now);
                }

                if (_waiters >= MaxWaiters)
                {
                    Log.JwksTooManyWaiters(_logger, MaxWaiters);
                    return new(null, KeyLookupStatus.Busy);
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
                return new(null, KeyLookupStatus.TimedOut);
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
            Log.JwksUnknownKey(_logger, HankoWebhookVerifier.Describe(unknownKeyId));
        }

        var number = ++_startedFetches;
        _nextFetchAllowedTicks = now + _options.JwksRefetchCooldown.Ticks;
        Interlocked.Increment(ref _fetchCount);
        _inflight = Task.Run(() => FetchAndStoreAsync(number, now));
        return _inflight;
    }

    private async Task<bool> FetchAndStoreAsync(long number, long startedTicks)
    {
        using var activity = HankoSpans.StartJwksFetch(_jwksUri, _project);
        var previous = _snapshot;
        try
        {
            var (keys, maxAge) = await FetchAsync(previous).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            var refreshIn = ClampRefresh(maxAge);
            var snapshot = new KeySnapshot(keys, now);
            lock (_gate)
            {
                _snapshot = snapshot;
                _lastError = null;
                _failuresWithoutKeys = 0;
                Volatile.Write(ref _refreshDueTicks, (now + refreshIn).UtcTicks);
                if (previous is null || !SameKeyIds(previous.Keys, keys))
                {
                    _absent.Clear(); // the keys changed: every kid gets a fresh look
                }

                Complete(number, succeeded: true, keys);
            }

            Log.JwksFetched(_logger, keys.Count, _jwksUri, refreshIn);
            HankoSpans.RecordJwksFetch(activity, HankoTelemetryNames.JwksResults.Success, keys.Count, _project);
            return true;
        }
#pragma warning disable CA1031 // A failed fetch must never surface as an unobserved exception: it is logged and the old keys stay.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var reason = Describe(ex);
            HankoSpans.RecordJwksFetch(activity, ResultOf(ex), 0, _project);
            lock (_gate)
            {
                _lastError = reason;
                Volatile.Write(ref _refreshDueTicks, (_time.GetUtcNow() + _options.JwksRefetchCooldown).UtcTicks);
                if (previous is null)
                {
                    // No keys at all: try again soon (250 ms, doubling, at most the cooldown), not a whole cooldown later.
                    var retry = TimeSpan.FromTicks(Math.Min(
                        _options.JwksRefetchCooldown.Ticks,
                        FirstRetryDelay.Ticks << Math.Min(_failuresWithoutKeys, 16)));
                    _failuresWithoutKeys++;
                    _nextFetchAllowedTicks = startedTicks + retry.Ticks;
                }

                Complete(number, succeeded: false, keys: null);
            }

            if (previous is null)
            {
                Log.JwksFetchFailed(_logger, _jwksUri, reason, NextFetchAllowedAt);
            }
            else
            {
                Log.JwksFetchFailedUsingCachedKeys(_logger, _jwksUri, reason, previous.Keys.Count);
            }

            return false;
        }
    }

    /// <summary>Records the outcome of fetch <paramref name="number"/>; kids first seen before it started and not in it are absent. Under <c>_gate</c>.</summary>
    private void Complete(long number, bool succeeded, FrozenDictionary<string, VerificationKey>? keys)
    {
        _completedFetch = number;
        _completedFetchSucceeded = succeeded;
        List<string>? resolved = null;
        foreach (var (keyId, sighting) in _pending)
        {
            if (sighting < number)
            {
                (resolved ??= []).Add(keyId);
            }
        }

        foreach (var keyId in resolved ?? [])
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

    private static bool SameKeyIds(FrozenDictionary<string, VerificationKey> a, FrozenDictionary<string, VerificationKey> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var keyId in a.Keys)
        {
            if (!b.ContainsKey(keyId))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<(FrozenDictionary<string, VerificationKey> Keys, TimeSpan? MaxAge)> FetchAsync(KeySnapshot? previous)
    {
        using var timeout = new CancellationTokenSource(_options.JwksFetchTimeout, _time);
        using var request = new HttpRequestMessage(HttpMethod.Get, _jwksUri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var client = _createClient();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (status is >= 300 and < 400)
        {
            // Not followed: a redirect could lead from an allowed URL to plain http on another host.
            throw new JwksFetchException(
                $"the JWKS endpoint answered {status} with a redirect{(response.Headers.Location is { } location ? $" to {location}" : "")}; redirects are not followed for the JWKS, so set {HankoWebhookOptions.SectionName}:JwksUrl (or ApiUrl) to the final https URL",
                HankoTelemetryNames.JwksResults.Redirect);
        }

        if (response.RequestMessage?.RequestUri is { } final && !Uri.Equals(final, _jwksUri))
        {
            // An HttpClient of the application's own that follows redirects.
            throw new JwksFetchException(
                $"the JWKS request was redirected to {final}; redirects are not followed for the JWKS, so set {HankoWebhookOptions.SectionName}:JwksUrl (or ApiUrl) to the final https URL",
                HankoTelemetryNames.JwksResults.Redirect);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new JwksFetchException($"the JWKS endpoint answered {status}", HankoTelemetryNames.JwksResults.HttpError);
        }

        var json = await ReadLimitedAsync(response.Content, timeout.Token).ConfigureAwait(false);
        var keys = new Dictionary<string, VerificationKey>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var list)
                || list.ValueKind != JsonValueKind.Array)
            {
                throw new JwksFetchException("the JWKS is not valid JSON Web Key Set JSON (no \"keys\" array)", HankoTelemetryNames.JwksResults.InvalidJwks);
            }

            // Key by key: one entry that cannot be used is skipped and logged, the others stay usable.
            foreach (var jwk in list.EnumerateArray())
            {
                if (!TryCreateKey(jwk, out var key, out var keyId, out var reason))
                {
                    Log.JwksKeySkipped(_logger, keyId, reason);
                    continue;
                }

                if (previous is not null && previous.Keys.TryGetValue(key.KeyId, out var known) && known.HasSameKey(key))
                {
                    key = known;
                }
                else if (!key.CanVerify(out reason))
                {
                    Log.JwksKeySkipped(_logger, key.KeyId, reason);
                    continue;
                }

                if (!keys.TryAdd(key.KeyId, key))
                {
                    Log.JwksKeySkipped(_logger, key.KeyId, "another key has the same kid");
                }
            }
        }
        catch (JsonException ex)
        {
            throw new JwksFetchException("the JWKS is not valid JSON Web Key Set JSON", HankoTelemetryNames.JwksResults.InvalidJwks, ex);
        }

        if (keys.Count == 0)
        {
            throw new JwksFetchException("the JWKS holds no usable RSA signing key", HankoTelemetryNames.JwksResults.NoUsableKey);
        }

        return (keys.ToFrozenDictionary(StringComparer.Ordinal), response.Headers.CacheControl?.MaxAge);
    }

    /// <summary>Reads one JWK; <paramref name="keyId"/> is what to call it in the log when it is skipped.</summary>
    private static bool TryCreateKey(JsonElement jwk, out VerificationKey key, out string keyId, out string reason)
    {
        key = null!;
        keyId = "(none)";
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            reason = "it is not a JSON object";
            return false;
        }

        // The members this SDK reads, each at most once and a string; others are ignored.
        var values = new string?[JwkMembers.Length];
        foreach (var member in jwk.EnumerateObject())
        {
            var index = Array.IndexOf(JwkMembers, member.Name);
            if (index < 0)
            {
                continue;
            }

            if (member.Value.ValueKind != JsonValueKind.String)
            {
                keyId = index == 0 ? "(not a string)" : values[0] ?? keyId;
                reason = $"its \"{member.Name}\" is not a string";
                return false;
            }

            if (values[index] is not null)
            {
                reason = $"it has \"{member.Name}\" twice";
                return false;
            }

            try
            {
                values[index] = member.Value.GetString();
            }
            catch (InvalidOperationException)
            {
                reason = $"its \"{member.Name}\" is not valid Unicode text";
                return false;
            }

            if (index == 0)
            {
                keyId = values[0]!;
            }
        }

        var (kid, kty, use, alg, n, e) = (values[0], values[1], values[2], values[3], values[4], values[5]);
        if (string.IsNullOrEmpty(kid))
        {
            reason = "it has no kid";
            return false;
        }

        if (!string.Equals(kty, "RSA", StringComparison.Ordinal))
        {
            reason = $"its kty is {kty ?? "missing"}, not RSA";
            return false;
        }

        if (!string.IsNullOrEmpty(use) && !string.Equals(use, "sig", StringComparison.Ordinal))
        {
            reason = $"its use is {use}, not sig";
            return false;
        }

        if (string.IsNullOrEmpty(n) || string.IsNullOrEmpty(e))
        {
            reason = "it has no modulus or exponent";
            return false;
        }

        byte[] modulus, exponent;
        try
        {
            modulus = Base64UrlEncoder.DecodeBytes(n);
            exponent = Base64UrlEncoder.DecodeBytes(e);
        }
        catch (FormatException)
        {
            reason = "its modulus or exponent is not base64url";
            return false;
        }

        // The real sizes: RFC 7518 §6.3.1.1 forbids leading zero octets, so padding must not make a small key look big.
        var n0 = modulus.AsSpan().TrimStart((byte)0);
        var e0 = exponent.AsSpan().TrimStart((byte)0);
        var bits = n0.IsEmpty ? 0 : (n0.Length * 8) - BitOperations.LeadingZeroCount((uint)n0[0]) + 24;
        if (bits < MinimumRsaKeySize)
        {
            reason = $"its modulus has {bits} bits; at least {MinimumRsaKeySize} are required";
            return false;
        }

        // RFC 8017 §3.1: e is odd and at least 3 (OpenSSL refuses e = 0, 1, 2 only when a signature is checked).
        if (e0.IsEmpty || (e0.Length == 1 && e0[0] < 3) || (e0[^1] & 1) == 0)
        {
            reason = "its exponent e is not an odd number of at least 3";
            return false;
        }

        key = new VerificationKey(kid, string.IsNullOrEmpty(alg) ? null : alg, new RSAParameters { Modulus = n0.ToArray(), Exponent = e0.ToArray() }, bits);
        reason = string.Empty;
        return true;
    }

    private static async Task<string> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxJwksBytes)
        {
            throw new JwksFetchException($"the JWKS is larger than {MaxJwksBytes} bytes", HankoTelemetryNames.JwksResults.TooLarge);
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxJwksBytes)
                {
                    throw new JwksFetchException($"the JWKS is larger than {MaxJwksBytes} bytes", HankoTelemetryNames.JwksResults.TooLarge);
                }

                buffer.Write(chunk, 0, read);
            }

            return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }

    private TimeSpan ClampRefresh(TimeSpan? maxAge)
    {
        if (maxAge is not { } age)
        {
            return _options.JwksRefreshInterval;
        }

        return age < _options.JwksMinimumRefreshInterval ? _options.JwksMinimumRefreshInterval
            : age > _options.JwksMaximumRefreshInterval ? _options.JwksMaximumRefreshInterval
            : age;
    }

    private static string Describe(Exception ex) => ex switch
    {
        JwksFetchException => ex.Message,
        OperationCanceledException => "the JWKS request timed out",
        HttpRequestException http => $"the JWKS request failed ({http.HttpRequestError})",
        _ => $"the JWKS request failed ({ex.GetType().Name})",
    };

    /// <summary>The <c>hanko.webhook.jwks.result</c> of a failed fetch.</summary>
    private static string ResultOf(Exception ex) => ex switch
    {
        JwksFetchException fetch => fetch.Result,
        OperationCanceledException => HankoTelemetryNames.JwksResults.Timeout,
        HttpRequestException => HankoTelemetryNames.JwksResults.NetworkError,
        _ => HankoTelemetryNames.JwksResults.Error,
    };

    private sealed class KeySnapshot(FrozenDictionary<string, VerificationKey> keys, DateTimeOffset fetchedAt)
    {
        public FrozenDictionary<string, VerificationKey> Keys { get; } = keys;

        public DateTimeOffset FetchedAt { get; } = fetchedAt;
    }

    private sealed class JwksFetchException : Exception
    {
        public JwksFetchException(string message, string result, Exception? inner = null)
            : base(message, inner)
        {
            Result = result;
        }

        public string Result { get; }
    }
}

/// <summary>The result of a key lookup.</summary>
internal readonly record struct KeyLookup(VerificationKey? Key, KeyLookupStatus Status);

internal enum KeyLookupStatus
{
    Found,

    /// <summary>A fetch that started after the kid was first seen did not contain it.</summary>
    Unknown,

    /// <summary>Keys are held, but not this one, and the cooldown forbids a fetch within <see cref="JwksKeyStore.MaxKeyWait"/>.</summary>
    UnknownRateLimited,

    /// <summary>Keys are held, but not this one, and fetching the JWKS again failed: it could not be checked.</summary>
    RefetchFailed,

    /// <summary>No keys are held: the JWKS could not be fetched.</summary>
    Unavailable,

    /// <summary><see cref="JwksKeyStore.MaxWaiters"/> deliveries already wait for a fetch.</summary>
    Busy,

    /// <summary>The fetch did not answer within <see cref="JwksKeyStore.MaxKeyWait"/> of the delivery's arrival.</summary>
    TimedOut,
}

/// <summary>What the key store holds.</summary>
/// <param name="KeyCount">How many keys are held.</param>
/// <param name="FetchedAt">When they were fetched, or <see langword="null"/> when no fetch ever succeeded.</param>
/// <param name="IsStale">Whether the keys are overdue for a refresh or the last refresh failed.</param>
/// <param name="LastError">Why the last fetch failed, or <see langword="null"/>.</param>
internal readonly record struct JwksStatus(int KeyCount, DateTimeOffset? FetchedAt, bool IsStale, string? LastError);
