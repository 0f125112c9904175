using System.Text;
using System.Text.Json.Nodes;

namespace Hanko.Webhooks.Testing;

/// <summary>
/// A fake Hanko for tests: it holds RSA keys, serves its JWKS through an <see cref="HttpMessageHandler"/>, and mints webhook
/// deliveries byte-for-byte in Hanko's format (header, sorted claims, Go-style JSON, <c>{"token":…,"event":…}</c> body),
/// with realistic payloads for every event, plus deliberately broken deliveries to test that a verifier rejects them.
/// </summary>
/// <remarks>
/// All members are safe to call from concurrent tests. Dispose the fake to release its keys.
/// </remarks>
public sealed partial class FakeHanko : IDisposable
{
    internal const string WebhookSubject = "hanko webhooks";

    private readonly object _gate = new();
    private readonly int _keySize;
    private readonly FakeTokenMinter _minter;
    private FakeHankoKey[] _keys;
    private int _jwksRequestCount;
    private volatile FakeJwksBehavior _jwksBehavior;
    private volatile bool _disposed;

    /// <summary>Creates a fake Hanko with one published signing key.</summary>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults (see <see cref="FakeHankoOptions"/>).</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public FakeHanko(FakeHankoOptions? options = null)
    {
        options ??= new FakeHankoOptions();
        ArgumentNullException.ThrowIfNull(options.TimeProvider, "options.TimeProvider");
        if (options.KeySize < 2048)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                options.KeySize,
                "FakeHankoOptions.KeySize must be at least 2048 bits (Hanko's local keys are 4096 bits).");
        }

        var audiences = options.Audiences ?? [options.Audience];
        if (audiences.Count == 0 || audiences.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException(
                "Set FakeHankoOptions.Audience (or Audiences) to one or more non-empty audiences, such as \"localhost\".",
                nameof(options));
        }

        if (options.JwksMaxAge is { } maxAge && maxAge < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), maxAge, "FakeHankoOptions.JwksMaxAge must not be negative.");
        }

        Audiences = audiences.ToArray();
        TimeProvider = options.TimeProvider;
        JwksMaxAge = options.JwksMaxAge;
        _keySize = options.KeySize;
        _minter = new FakeTokenMinter(TimeProvider, Audiences);
        _keys = [NewKey(null, isPublished: true)];
    }

    /// <summary>The 20 event names Hanko delivers, <c>user.update.custom_claims</c> (announced upstream, teamhanko/hanko PR #2884) included; group names such as <c>user</c> or <c>session.delete</c> are never delivered.</summary>
    public static IReadOnlyList<string> EventNames => HankoEventNames.Delivered;

    /// <summary>
    /// The names of the embedded realistic payloads, one per event shape (27 in all): the event name itself, or the event name plus a
    /// variant such as <c>email.send.recovery</c>. Pass one as <see cref="FakeDeliveryOptions.Variant"/> for data-driven tests.
    /// </summary>
    public static IReadOnlyList<string> PayloadNames => DefaultPayloads.Names;

    /// <summary>The clock that sets <c>iat</c> and <c>exp</c>.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The audiences written to the <c>aud</c> claim by default; configure the verifier with one of them.</summary>
    public IReadOnlyList<string> Audiences { get; }

    /// <summary>The <c>Cache-Control: max-age</c> the JWKS handler sends, or <see langword="null"/> for none.</summary>
    public TimeSpan? JwksMaxAge { get; }

    /// <summary>All keys of the fake, published or not, oldest first (a snapshot).</summary>
    public IReadOnlyList<FakeHankoKey> Keys => Array.AsReadOnly(Volatile.Read(ref _keys));

    /// <summary>The key that signs deliveries: the newest one, as Hanko signs with the most recently created key.</summary>
    public FakeHankoKey SigningKey => Volatile.Read(ref _keys)[^1];

    /// <summary>How the JWKS handlers answer. Can be changed at any time, also while requests are in flight.</summary>
    /// <value>The default is <see cref="FakeJwksBehavior.Normal"/>.</value>
    public FakeJwksBehavior JwksBehavior
    {
        get => _jwksBehavior;
        set => _jwksBehavior = value;
    }

    /// <summary>How many requests the handlers from <see cref="CreateJwksHandler"/> have received, whatever they answered.</summary>
    public int JwksRequestCount => Volatile.Read(ref _jwksRequestCount);

    /// <summary>
    /// Creates a new key, publishes it and makes it the signing key. Older keys stay published, as in Hanko, where
    /// rotation means adding a key.
    /// </summary>
    /// <param name="keyId">
    /// The <c>kid</c>, or <see langword="null"/> for a new UUID (Hanko's local key store). Any string works, for example an
    /// AWS KMS key ARN (<c>arn:aws:kms:…:key/…</c>), which Hanko uses verbatim.
    /// </param>
    /// <returns>The new signing key.</returns>
    /// <exception cref="ArgumentException">A key with <paramref name="keyId"/> already exists.</exception>
    public FakeHankoKey RotateKey(string? keyId = null)
    {
        ThrowIfDisposed();
        var key = NewKey(keyId, isPublished: true);
        lock (_gate)
        {
            ThrowIfDisposed();
            if (_keys.Any(k => k.KeyId == key.KeyId))
            {
                FakeHankoKeys.Return(key.Rsa);
                throw new ArgumentException($"The fake already has a key with id '{keyId}'.", nameof(keyId));
            }

            Volatile.Write(ref _keys, [.. _keys, key]);
        }

        return key;
    }

    /// <summary>Removes a key from the JWKS; it stays in <see cref="Keys"/>. Deliveries it signs then carry an unknown <c>kid</c>.</summary>
    /// <param name="key">A key of this fake.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> belongs to another fake.</exception>
    public void Unpublish(FakeHankoKey key) => Own(key).IsPublished = false;

    /// <summary>Adds a key of this fake (back) to the JWKS.</summary>
    /// <param name="key">A key of this fake.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> belongs to another fake.</exception>
    public void Publish(FakeHankoKey key) => Own(key).IsPublished = true;

    /// <summary>
    /// Returns the JWKS as Hanko serves it at <c>/.well-known/jwks.json</c>: compact <c>{"keys":[…]}</c> with the published keys,
    /// oldest first, each with exactly <c>alg</c>, <c>e</c>, <c>kid</c>, <c>kty</c>, <c>n</c>, <c>use</c> in that order.
    /// </summary>
    /// <returns>The JWKS JSON text.</returns>
    public string GetJwksJson()
    {
        ThrowIfDisposed();
        var sb = new StringBuilder("{\"keys\":[");
        var first = true;
        foreach (var key in Volatile.Read(ref _keys))
        {
            if (!key.IsPublished)
            {
                continue;
            }

            if (!first)
            {
                sb.Append(',');
            }

            sb.Append(key.PublicJwkJson);
            first = false;
        }

        return sb.Append("]}").ToString();
    }

    /// <summary>
    /// Creates a handler that answers any <c>GET</c>, whatever its URI, with the JWKS (see <see cref="GetJwksJson"/>),
    /// <c>Content-Type: application/json</c> and <c>Cache-Control: max-age</c>, or fails as <see cref="JwksBehavior"/> says.
    /// Other methods get <c>405</c>. Every request counts in <see cref="JwksRequestCount"/>.
    /// </summary>
    /// <returns>A new handler; disposing it does not affect the fake.</returns>
    public HttpMessageHandler CreateJwksHandler()
    {
        ThrowIfDisposed();
        return new FakeJwksHandler(this);
    }

    /// <summary>
    /// Returns a fresh, mutable copy of the realistic <c>data</c> Hanko sends with an event (values invented, shapes exact,
    /// keys in Go struct order), with the times it was recorded with (in August 2026).
    /// </summary>
    /// <remarks>
    /// A delivery's default data is this payload with every time in it moved to follow the token's issue time (so a passcode is
    /// valid for 5 minutes from <c>iat</c>, a session was created a moment before it). To change a default payload and keep that,
    /// edit it with <see cref="FakeDeliveryOptions.EditData"/>; data set as <see cref="FakeDeliveryOptions.Data"/> is signed as it is.
    /// </remarks>
    /// <param name="eventName">A delivered event name, see <see cref="EventNames"/>.</param>
    /// <param name="variant">
    /// <see langword="null"/> for the event's main payload (<c>email.send.passcode</c> for <c>email.send</c>), or a variant such as
    /// <c>recovery</c> or <c>email.send.security_notification.email_create</c> (see <see cref="PayloadNames"/>).
    /// </param>
    /// <returns>The payload object.</returns>
    /// <exception cref="ArgumentException">There is no payload for that event and variant.</exception>
    public static JsonObject GetDefaultData(string eventName, string? variant = null) => DefaultPayloads.Load(DefaultPayloads.NameOf(eventName, variant));

    /// <summary>Creates a genuine delivery of an event, signed by <see cref="SigningKey"/>, exactly as Hanko would send it.</summary>
    /// <param name="eventName">
    /// The event name. Any string works; for a name the fake has no payload for (for example an event newer than the SDK),
    /// <c>data</c> is <c>{}</c> unless <see cref="FakeDeliveryOptions.Data"/> is set.
    /// </param>
    /// <param name="configure">Changes to make before signing, or <see langword="null"/> for a delivery exactly like Hanko's.</param>
    /// <returns>The delivery.</returns>
    /// <exception cref="ArgumentException">The options are invalid (unknown algorithm, unknown variant).</exception>
    public HankoDelivery CreateDelivery(string eventName, Action<FakeDeliveryOptions>? configure = null) =>
        Create(eventName, configure, brokenBy: null);

    /// <summary>Releases the keys. Later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var key in _keys)
            {
                lock (key.SignLock)
                {
                    FakeHankoKeys.Return(key.Rsa);
                }
            }
        }
    }

    internal void CountJwksRequest() => Interlocked.Increment(ref _jwksRequestCount);

    private HankoDelivery Create(string eventName, Action<FakeDeliveryOptions>? configure, Action<FakeDeliveryOptions>? brokenBy)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        ThrowIfDisposed();
        var options = new FakeDeliveryOptions();
        configure?.Invoke(options);
        brokenBy?.Invoke(options);
        return _minter.Mint(eventName, options, SigningKey).ToDelivery(eventName, options);
    }

    private FakeHankoKey NewKey(string? keyId, bool isPublished)
    {
        if (keyId is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(keyId);
        }

        return new FakeHankoKey(keyId ?? Guid.NewGuid().ToString(), FakeHankoKeys.Rent(_keySize), isPublished);
    }

    private FakeHankoKey Own(FakeHankoKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfDisposed();
        if (!Volatile.Read(ref _keys).Contains(key))
        {
            throw new ArgumentException("The key belongs to another FakeHanko.", nameof(key));
        }

        return key;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
