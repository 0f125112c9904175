using System.Collections.Frozen;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Hanko.Webhooks.Diagnostics;
using Hanko.Webhooks.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Hanko.Webhooks.Verification;

/// <summary>
/// The signing keys of the Hanko JWKS, held in memory. Keys are fetched on first use (or at host start), refreshed
/// when they are due (<c>Cache-Control: max-age</c> within bounds) without making a delivery wait, and fetched at once
/// when a token names an unknown <c>kid</c>. Concurrent callers share one fetch, fetches are at least
/// <see cref="HankoWebhookOptions.JwksRefetchCooldown"/> apart, and when a fetch fails the keys already held stay in use.
/// </summary>
internal sealed class JwksKeyStore
{
    private const int MaxJwksBytes = 512 * 1024;
    private const int MinimumRsaKeySize = 2048;

    private readonly Uri _jwksUri;
    private readonly HankoWebhookOptions _options;
    private readonly Func<HttpClient> _createClient;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string? _project;
    private readonly object _gate = new();

    private volatile KeySnapshot? _snapshot;
    private Task<bool>? _inflight;
    private long _lastFetchStartedTicks = long.MinValue;
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

    /// <summary>Finds the key for <paramref name="keyId"/>; completes synchronously whenever the key is held.</summary>
    public ValueTask<KeyLookup> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && snapshot.Keys.TryGetValue(keyId, out var key))
        {
            if (_time.GetUtcNow().UtcTicks >= Volatile.Read(ref _refreshDueTicks))
            {
                _ = StartFetch(unknownKeyId: null);
            }

            return new(new KeyLookup(key, KeyLookupStatus.Found));
        }

        return FindAfterFetchAsync(keyId, cancellationToken);
    }

    /// <summary>Fetches the JWKS now unless a fetch is under way or one started less than the cooldown ago; for warm-up.</summary>
    public Task RefreshAsync(CancellationToken cancellationToken) =>
        (StartFetch(unknownKeyId: null) ?? Task.CompletedTask).WaitAsync(cancellationToken);

    private async ValueTask<KeyLookup> FindAfterFetchAsync(string keyId, CancellationToken cancellationToken)
    {
        var fetch = StartFetch(keyId);
        var fetched = fetch is not null && await fetch.WaitAsync(cancellationToken).ConfigureAwait(false);

        var snapshot = _snapshot;
        if (snapshot is null)
        {
            return new(null, KeyLookupStatus.Unavailable);
        }

        if (snapshot.Keys.TryGetValue(keyId, out var key))
        {
            return new(key, KeyLookupStatus.Found);
        }

        return fetch is null ? new(null, KeyLookupStatus.UnknownRateLimited)
            : fetched ? new(null, KeyLookupStatus.Unknown)
            : new(null, KeyLookupStatus.RefetchFailed);
    }

    /// <summary>
    /// Returns the fetch under way, a new one, or <see langword="null"/> when the cooldown forbids one. The task's result
    /// says whether the fetch succeeded.
    /// </summary>
    private Task<bool>? StartFetch(string? unknownKeyId)
    {
        lock (_gate)
        {
            if (_inflight is { IsCompleted: false } inflight)
            {
                return inflight;
            }

            var now = _time.GetUtcNow().UtcTicks;
            if (_lastFetchStartedTicks != long.MinValue && now - _lastFetchStartedTicks < _options.JwksRefetchCooldown.Ticks)
            {
                if (unknownKeyId is not null)
                {
                    Log.JwksRefetchSuppressed(_logger, HankoWebhookVerifier.Describe(unknownKeyId), _options.JwksRefetchCooldown);
                }

                return null;
            }

            if (unknownKeyId is not null && _snapshot is not null)
            {
                Log.JwksUnknownKey(_logger, HankoWebhookVerifier.Describe(unknownKeyId));
            }

            _lastFetchStartedTicks = now;
            Interlocked.Increment(ref _fetchCount);
            _inflight = Task.Run(FetchAndStoreAsync);
            return _inflight;
        }
    }

    private async Task<bool> FetchAndStoreAsync()
    {
        using var activity = HankoSpans.StartJwksFetch(_jwksUri, _project);
        var previous = _snapshot;
        try
        {
            var (keys, maxAge) = await FetchAsync(previous).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            var refreshIn = ClampRefresh(maxAge);
            _snapshot = new KeySnapshot(keys, now);
            _lastError = null;
            Volatile.Write(ref _refreshDueTicks, (now + refreshIn).UtcTicks);
            Log.JwksFetched(_logger, keys.Count, _jwksUri, refreshIn);
            HankoSpans.RecordJwksFetch(activity, HankoTelemetryNames.JwksResults.Success, keys.Count, _project);
            return true;
        }
#pragma warning disable CA1031 // A failed fetch must never surface as an unobserved exception: it is logged and the old keys stay.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _lastError = Describe(ex);
            HankoSpans.RecordJwksFetch(activity, ResultOf(ex), 0, _project);
            Volatile.Write(ref _refreshDueTicks, (_time.GetUtcNow() + _options.JwksRefetchCooldown).UtcTicks);
            if (previous is null)
            {
                Log.JwksFetchFailed(_logger, _jwksUri, _lastError);
            }
            else
            {
                Log.JwksFetchFailedUsingCachedKeys(_logger, _jwksUri, _lastError, previous.Keys.Count);
            }

            return false;
        }
    }

    private async Task<(FrozenDictionary<string, VerificationKey> Keys, TimeSpan? MaxAge)> FetchAsync(KeySnapshot? previous)
    {
        using var timeout = new CancellationTokenSource(_options.JwksFetchTimeout, _time);
        using var request = new HttpRequestMessage(HttpMethod.Get, _jwksUri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var client = _createClient();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new JwksFetchException($"the JWKS endpoint answered {(int)response.StatusCode}", HankoTelemetryNames.JwksResults.HttpError);
        }

        var json = await ReadLimitedAsync(response.Content, timeout.Token).ConfigureAwait(false);
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(json);
        }
        catch (ArgumentException ex)
        {
            throw new JwksFetchException("the JWKS is not valid JSON Web Key Set JSON", HankoTelemetryNames.JwksResults.InvalidJwks, ex);
        }

        var keys = new Dictionary<string, VerificationKey>(StringComparer.Ordinal);
        foreach (var jwk in set.Keys)
        {
            if (TryCreateKey(jwk, out var key, out var reason))
            {
                if (previous is not null && previous.Keys.TryGetValue(key.KeyId, out var known) && known.HasSameKey(key))
                {
                    key = known;
                }

                if (!keys.TryAdd(key.KeyId, key))
                {
                    Log.JwksKeySkipped(_logger, key.KeyId, "another key has the same kid");
                }
            }
            else
            {
                Log.JwksKeySkipped(_logger, jwk.Kid ?? "(none)", reason);
            }
        }

        if (keys.Count == 0)
        {
            throw new JwksFetchException("the JWKS holds no usable RSA signing key", HankoTelemetryNames.JwksResults.NoUsableKey);
        }

        return (keys.ToFrozenDictionary(StringComparer.Ordinal), response.Headers.CacheControl?.MaxAge);
    }

    private static bool TryCreateKey(JsonWebKey jwk, out VerificationKey key, out string reason)
    {
        key = null!;
        if (string.IsNullOrEmpty(jwk.Kid))
        {
            reason = "it has no kid";
            return false;
        }

        if (!string.Equals(jwk.Kty, JsonWebAlgorithmsKeyTypes.RSA, StringComparison.Ordinal))
        {
            reason = $"its kty is {jwk.Kty}, not RSA";
            return false;
        }

        if (!string.IsNullOrEmpty(jwk.Use) && !string.Equals(jwk.Use, JsonWebKeyUseNames.Sig, StringComparison.Ordinal))
        {
            reason = $"its use is {jwk.Use}, not sig";
            return false;
        }

        if (string.IsNullOrEmpty(jwk.N) || string.IsNullOrEmpty(jwk.E))
        {
            reason = "it has no modulus or exponent";
            return false;
        }

        try
        {
            var parameters = new RSAParameters { Modulus = Base64UrlEncoder.DecodeBytes(jwk.N), Exponent = Base64UrlEncoder.DecodeBytes(jwk.E) };
            key = new VerificationKey(jwk.Kid, string.IsNullOrEmpty(jwk.Alg) ? null : jwk.Alg, parameters);
        }
        catch (FormatException)
        {
            reason = "its modulus or exponent is not base64url";
            return false;
        }

        if (key.KeySize < MinimumRsaKeySize)
        {
            reason = $"it has {key.KeySize} bits; at least {MinimumRsaKeySize} are required";
            return false;
        }

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
    Unknown,
    UnknownRateLimited,

    /// <summary>Keys are held, but not this one, and fetching the JWKS again failed: it could not be checked.</summary>
    RefetchFailed,
    Unavailable,
}

/// <summary>What the key store holds.</summary>
/// <param name="KeyCount">How many keys are held.</param>
/// <param name="FetchedAt">When they were fetched, or <see langword="null"/> when no fetch ever succeeded.</param>
/// <param name="IsStale">Whether the keys are overdue for a refresh or the last refresh failed.</param>
/// <param name="LastError">Why the last fetch failed, or <see langword="null"/>.</param>
internal readonly record struct JwksStatus(int KeyCount, DateTimeOffset? FetchedAt, bool IsStale, string? LastError);
