using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Hanko.Webhooks.Diagnostics;
using Hanko.Webhooks.Internal;
using Hanko.Webhooks.Verification;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hanko.Webhooks;

/// <summary>
/// Verifies Hanko webhook deliveries: the RS256 signature against the Hanko JWKS, the lifetime, the audience, and the
/// claims that make a token a <em>webhook</em> token (<c>sub</c> = <c>hanko webhooks</c>, a string <c>evt</c>, an
/// object <c>data</c>), so that a Hanko session token signed with the same key is refused.
/// </summary>
/// <remarks>
/// With dependency injection, resolve <see cref="IHankoWebhookVerifier"/> (registered by <c>AddHankoWebhooks()</c>).
/// Without it, create one with <see cref="HankoWebhookVerifier(HankoWebhookOptions, HttpClient, TimeProvider?, ILogger?)"/>
/// and keep it for the life of the application: it holds the key cache.
/// </remarks>
public sealed class HankoWebhookVerifier : IHankoWebhookVerifier
{
    internal const string WebhookSubject = "hanko webhooks";
    private const int MaxTokenBytes = 256 * 1024;
    private const int MaxSignatureBytes = 1024;

    private readonly HankoWebhookOptions _options;
    private readonly JwksKeyStore _keys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string[] _algorithms;

    /// <summary>Creates a verifier that fetches the JWKS with <paramref name="httpClient"/>, for use without dependency injection.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="httpClient">The client used for the JWKS; it is not disposed.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Where to log; nowhere when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message says what to set.</exception>
    public HankoWebhookVerifier(HankoWebhookOptions options, HttpClient httpClient, TimeProvider? timeProvider = null, ILogger? logger = null)
        : this(options, () => httpClient, timeProvider ?? TimeProvider.System, logger ?? NullLogger.Instance)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
    }

    internal HankoWebhookVerifier(HankoWebhookOptions options, Func<HttpClient> createClient, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = HankoWebhookOptionsValidator.Validate(options, out var jwksUri);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _options = options;
        _time = time;
        _logger = logger;
        _algorithms = HankoWebhookOptionsValidator.EffectiveAlgorithms(options);
        _keys = new JwksKeyStore(jwksUri!, options, createClient, time, logger);
    }

    internal JwksKeyStore Keys => _keys;

    /// <inheritdoc />
    public ValueTask<HankoVerificationResult> VerifyAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        if (HankoTelemetry.StartVerification(out var previous) is { } activity) return HankoTelemetry.EndVerification(activity, previous, VerifyAsync(body, cancellationToken));
        if (body.Length > _options.MaxBodyBytes)
        {
            return new(Refuse(HankoWebhookFailure.BodyTooLarge, $"The body is larger than {_options.MaxBodyBytes} bytes."));
        }

        if (!WebhookEnvelope.TryParse(body, out var envelope, out var error))
        {
            return new(Refuse(HankoWebhookFailure.MalformedBody, error));
        }

        return VerifyTokenAsync(envelope.Token, envelope.BodyEvent, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<HankoVerificationResult> VerifyAsync(Stream body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (HankoTelemetry.StartVerification(out var previous) is { } activity) return await HankoTelemetry.EndVerification(activity, previous, VerifyAsync(body, cancellationToken)).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, _options.MaxBodyBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > _options.MaxBodyBytes)
                {
                    return Refuse(HankoWebhookFailure.BodyTooLarge, $"The body is larger than {_options.MaxBodyBytes} bytes.");
                }
            }

            // The token is verified straight from the rented buffer, and nothing keeps a reference to it afterwards:
            // the event holds its own copy of the payload.
            return await VerifyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    /// <inheritdoc />
    public ValueTask<HankoVerificationResult> VerifyTokenAsync(string token, string? bodyEvent = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (HankoTelemetry.StartVerification(out var previous) is { } activity) return HankoTelemetry.EndVerification(activity, previous, VerifyTokenAsync(token, bodyEvent, cancellationToken));
        if (token.Length > MaxTokenBytes)
        {
            return new(Refuse(HankoWebhookFailure.MalformedToken, $"The token is {token.Length} characters long; at most {MaxTokenBytes} are accepted."));
        }

        return VerifyTokenAsync(System.Text.Encoding.UTF8.GetBytes(token), bodyEvent, cancellationToken);
    }

    private ValueTask<HankoVerificationResult> VerifyTokenAsync(ReadOnlyMemory<byte> token, string? bodyEvent, CancellationToken cancellationToken)
    {
        if (!CompactJws.TryParse(token.Span, MaxTokenBytes, out var jws, out var failure, out var error))
        {
            return new(Refuse(failure, error));
        }

        if (Array.IndexOf(_algorithms, jws.Algorithm) < 0)
        {
            return new(Refuse(HankoWebhookFailure.UnsupportedAlgorithm, $"The token is signed with {Describe(jws.Algorithm)}; only {string.Join(", ", _algorithms)} is accepted."));
        }

        var lookup = _keys.FindAsync(jws.KeyId, cancellationToken);
        return lookup.IsCompletedSuccessfully
            ? new(Verify(token, jws, lookup.Result, bodyEvent))
            : VerifyAfterLookupAsync(token, jws, lookup, bodyEvent);
    }

    private async ValueTask<HankoVerificationResult> VerifyAfterLookupAsync(ReadOnlyMemory<byte> token, CompactJws jws, ValueTask<KeyLookup> lookup, string? bodyEvent) =>
        Verify(token, jws, await lookup.ConfigureAwait(false), bodyEvent);

    private HankoVerificationResult Verify(ReadOnlyMemory<byte> tokenMemory, CompactJws jws, KeyLookup lookup, string? bodyEvent)
    {
        switch (lookup.Status)
        {
            case KeyLookupStatus.Unavailable:
                return Refuse(HankoWebhookFailure.KeysUnavailable, "No Hanko signing keys are available: the JWKS could not be fetched.");
            case KeyLookupStatus.RefetchFailed:
                return Refuse(HankoWebhookFailure.KeysUnavailable, $"The key {Describe(jws.KeyId)} is not among the cached Hanko keys, and the JWKS could not be fetched again.");
            case KeyLookupStatus.Unknown:
            case KeyLookupStatus.UnknownRateLimited:
                return Refuse(HankoWebhookFailure.UnknownKey, $"The key {Describe(jws.KeyId)} is not in the Hanko JWKS.");
        }

        var key = lookup.Key!;
        if (key.Algorithm is not null && !string.Equals(key.Algorithm, jws.Algorithm, StringComparison.Ordinal))
        {
            return Refuse(HankoWebhookFailure.UnsupportedAlgorithm, $"The key {key.KeyId} is published for {key.Algorithm}, but the token says {Describe(jws.Algorithm)}.");
        }

        var token = tokenMemory.Span;
        if (!VerifySignature(tokenMemory, jws, key, out var deliveryId))
        {
            return Refuse(HankoWebhookFailure.BadSignature, "The token's signature does not match.");
        }

        if (!jws.TryDecodePayload(token, out var payload))
        {
            return Refuse(HankoWebhookFailure.MalformedToken, "The token payload is not base64url.");
        }

        if (!WebhookClaims.TryRead(payload, out var claims, out var error))
        {
            return Refuse(HankoWebhookFailure.MalformedToken, error);
        }

        if (claims.Expires is not { } exp)
        {
            return Refuse(HankoWebhookFailure.MalformedToken, "The token has no \"exp\"; Hanko webhook tokens always expire.");
        }

        var now = _time.GetUtcNow();
        var skew = (long)_options.ClockSkew.TotalSeconds;
        var nowSeconds = now.ToUnixTimeSeconds();
        if (nowSeconds > exp + skew)
        {
            return Refuse(HankoWebhookFailure.Expired, $"The token expired at {DateTimeOffset.FromUnixTimeSeconds(exp):O}.");
        }

        if (claims.IssuedAt > nowSeconds + skew || claims.NotBefore > nowSeconds + skew)
        {
            return Refuse(HankoWebhookFailure.NotYetValid, "The token is issued for a time in the future; check this host's clock.");
        }

        if (_options.Audience is { } audience && !claims.Audience.Contains(audience, StringComparer.Ordinal))
        {
            return Refuse(HankoWebhookFailure.WrongAudience, $"The token is not for the audience {audience}.");
        }

        if (!string.Equals(claims.Subject, WebhookSubject, StringComparison.Ordinal))
        {
            return Refuse(HankoWebhookFailure.NotWebhookToken, "The token's \"sub\" is not \"hanko webhooks\"; it is not a webhook token (a Hanko session token, perhaps).");
        }

        if (string.IsNullOrEmpty(claims.EventName))
        {
            return Refuse(HankoWebhookFailure.NotWebhookToken, claims.HasEventClaim ? "The token's \"evt\" is not a non-empty string." : "The token has no \"evt\" claim.");
        }

        if (claims.DataKind != JsonTokenType.StartObject)
        {
            return Refuse(HankoWebhookFailure.NotWebhookToken, "The token's \"data\" claim is missing or not an object.");
        }

        if (bodyEvent is not null && !string.Equals(bodyEvent, claims.EventName, StringComparison.Ordinal))
        {
            return Refuse(HankoWebhookFailure.EventMismatch, $"The body says the event is {Describe(bodyEvent)}, but the signed token says {claims.EventName}.");
        }

        var data = payload.AsMemory()[claims.Data];
        HankoEvent @event;
        try
        {
            @event = HankoEventCatalog.Create(claims.EventName, data.Span);
        }
        catch (JsonException ex)
        {
            // Authentic, only not modelled: the parts go with the refusal, so that a durable store can keep the delivery.
            var parts = new HankoVerifiedDelivery(claims.EventName, deliveryId, claims.IssuedAt is { } iat ? DateTimeOffset.FromUnixTimeSeconds(iat) : default, DateTimeOffset.FromUnixTimeSeconds(exp), claims.Audience, data);
            return Refuse(HankoWebhookFailure.InvalidPayload, InvalidPayloadMessage(claims.EventName, ex), parts);
        }

        @event.SetClaims(claims, exp, data);
        @event.SetDeliveryId(deliveryId);
        Log.DeliveryVerified(_logger, claims.EventName);
        return HankoVerificationResult.Success(@event);
    }

    /// <summary>Checks the signature; when it holds, also returns the delivery id computed from the decoded signature bytes.</summary>
    private static bool VerifySignature(ReadOnlyMemory<byte> token, CompactJws jws, VerificationKey key, out string deliveryId)
    {
        deliveryId = string.Empty;
        var provider = key.GetProvider(jws.Algorithm);
        var signature = ArrayPool<byte>.Shared.Rent(MaxSignatureBytes);
        byte[]? input = null;
        try
        {
            if (!jws.TryDecodeSignature(token.Span, signature, out var signatureLength))
            {
                return false;
            }

            ArraySegment<byte> segment;
            if (!MemoryMarshal.TryGetArray(token, out segment))
            {
                input = ArrayPool<byte>.Shared.Rent(jws.SigningInputLength);
                token.Span[..jws.SigningInputLength].CopyTo(input);
                segment = new ArraySegment<byte>(input, 0, jws.SigningInputLength);
            }

            if (!provider.Verify(segment.Array!, segment.Offset, jws.SigningInputLength, signature, 0, signatureLength))
            {
                return false;
            }

            deliveryId = DeliveryIds.Compute(signature.AsSpan(0, signatureLength));
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(signature, clearArray: true);
            if (input is not null)
            {
                ArrayPool<byte>.Shared.Return(input, clearArray: true);
            }
        }
    }

    private HankoVerificationResult Refuse(HankoWebhookFailure failure, string message, HankoVerifiedDelivery? authentic = null)
    {
        Log.DeliveryRefused(_logger, failure, message);
        HankoTelemetry.RecordRefusal(failure);
        return HankoVerificationResult.Fail(failure, message, authentic);
    }

    internal static string InvalidPayloadMessage(string eventName, JsonException ex) => $"The data of {eventName} does not have the shape Hanko documents ({DescribePath(ex)}).";

    private static string DescribePath(JsonException ex) => ex.Path is { Length: > 0 } path ? $"at {path}" : "not an object";

    // Values from the token are shown only when they are short and plain, so a refusal never echoes arbitrary input.
    internal static string Describe(string value) =>
        value.Length is > 0 and <= 128 && value.AsSpan().IndexOfAnyExcept(SafeChars) < 0 ? $"\"{value}\"" : "an unexpected value";

    private static readonly SearchValues<char> SafeChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-:/"); // with : and / for KMS key ids
}
