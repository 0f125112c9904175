using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Hanko.Webhooks.Diagnostics;
using Hanko.Webhooks.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.Tokens;

namespace Hanko.Webhooks.Verification;

/// <summary>
/// The one <see cref="IHankoWebhookVerifier"/>: the RS256 signature against the Hanko JWKS, the lifetime, the audience, and
/// the claims that make a token a <em>webhook</em> token (<c>sub</c> = <c>hanko webhooks</c>, a string <c>evt</c>, an object
/// <c>data</c>), so that a Hanko session token signed with the same key is refused. Created by DI (<c>AddHankoWebhooks()</c>)
/// or by <see cref="HankoWebhookVerifier.Create"/>.
/// </summary>
internal sealed class WebhookVerifier : IHankoWebhookVerifier
{
    internal const string WebhookSubject = "hanko webhooks";
    private const int MaxTokenBytes = 256 * 1024;
    private const int MaxSignatureBytes = 1024;

    private readonly HankoWebhookOptions _options;
    private readonly JwksKeyStore _keys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string[] _algorithms;
    private readonly string? _project;

    /// <summary>The verifier of <see cref="HankoWebhookVerifier.Create"/>: validates the options, holds its own key store.</summary>
    public WebhookVerifier(HankoWebhookOptions options, HttpClient httpClient, TimeProvider? timeProvider = null, ILogger? logger = null)
        : this(options, CreateKeyStore(options, httpClient, timeProvider ?? TimeProvider.System, logger ?? NullLogger.Instance), timeProvider ?? TimeProvider.System, logger ?? NullLogger.Instance)
    {
    }

    /// <summary>The verifier of <c>AddHankoWebhooks()</c>: options post-configured and validated, the key store a shared service.</summary>
    internal WebhookVerifier(HankoWebhookOptions options, JwksKeyStore keys, TimeProvider time, ILogger logger, string? project = null)
    {
        _project = project;
        _options = options;
        _time = time;
        _logger = logger;
        _algorithms = HankoWebhookOptionsValidator.EffectiveAlgorithms(options);
        _keys = keys;
    }

    private static JwksKeyStore CreateKeyStore(HankoWebhookOptions options, HttpClient httpClient, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        HankoWebhookOptionsPostConfigure.Apply(options);
        var errors = HankoWebhookOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        return JwksKeyStore.Create(options, () => httpClient, time, logger);
    }

    internal JwksKeyStore Keys => _keys;

    // Each public entry point opens the verify span once, reads its input and runs the one token step; no entry point calls another.

    /// <inheritdoc />
    public ValueTask<HankoVerificationResult> VerifyAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var span = HankoSpans.StartVerify(_project, out var previous);
        ValueTask<HankoVerificationResult> pending;
        try
        {
            pending = body.Length > _options.MaxBodyBytes ? new(Refuse(HankoWebhookFailure.BodyTooLarge, $"The body is larger than {_options.MaxBodyBytes} bytes."))
                : !WebhookEnvelope.TryParse(body, out var envelope, out var error) ? new(Refuse(HankoWebhookFailure.MalformedBody, error))
                : VerifyTokenAsync(envelope.Token, envelope.BodyEvent, cancellationToken);
        }
        catch (Exception ex) when (span is not null)
        {
            pending = ValueTask.FromException<HankoVerificationResult>(ex); // the span ends failed, and the caller's span is current again
        }

        return span is null ? pending : VerifyTelemetry.End(span, previous, pending);
    }

    /// <inheritdoc />
    public ValueTask<HankoVerificationResult> VerifyTokenAsync(string token, string? bodyEvent = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        var span = HankoSpans.StartVerify(_project, out var previous);
        ValueTask<HankoVerificationResult> pending;
        try
        {
            pending = token.Length > MaxTokenBytes
                ? new(Refuse(HankoWebhookFailure.MalformedToken, $"The token is {token.Length} characters long; at most {MaxTokenBytes} are accepted."))
                : VerifyTokenAsync(System.Text.Encoding.UTF8.GetBytes(token), bodyEvent, cancellationToken);
        }
        catch (Exception ex) when (span is not null)
        {
            pending = ValueTask.FromException<HankoVerificationResult>(ex);
        }

        return span is null ? pending : VerifyTelemetry.End(span, previous, pending);
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
        if (lookup.Key is not { } key)
        {
            return Refuse(lookup.Failure, lookup.Refusal!);
        }

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

        // One precise instant for expiry, shared with the replay guard (which remembers a delivery until then).
        var now = _time.GetUtcNow();
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(exp);
        if (now > AcceptedUntil(expiresAt, _options.ClockSkew))
        {
            return Refuse(HankoWebhookFailure.Expired, $"The token expired at {expiresAt:O}.");
        }

        var latestStart = AcceptedUntil(now, _options.ClockSkew);
        if ((claims.IssuedAt is { } iat && DateTimeOffset.FromUnixTimeSeconds(iat) > latestStart)
            || (claims.NotBefore is { } nbf && DateTimeOffset.FromUnixTimeSeconds(nbf) > latestStart))
        {
            return Refuse(HankoWebhookFailure.NotYetValid, "The token is issued for a time in the future; check this host's clock.");
        }

        if (_options.Audience is { } audience && !claims.Audience.Contains(audience, StringComparer.Ordinal))
        {
            // The signature holds, so the token's audience is authentic (and not secret): name it, so that the fix is plain
            // (in the answer, and in the receiver's one record of the refusal, log 23).
            var tokenAudience = DescribeAudience(claims.Audience);
            return Refuse(HankoWebhookFailure.WrongAudience, $"The token is for {tokenAudience}, not {audience}; set {HankoWebhookOptions.SectionName}:Audience to one of those.");
        }

        if (!string.Equals(claims.Subject, WebhookSubject, StringComparison.Ordinal))
        {
            return Refuse(HankoWebhookFailure.NotWebhookToken, "The token's \"sub\" is not \"hanko webhooks\"; it is not a webhook token (a Hanko session token, perhaps).");
        }

        if (claims.HasSessionId)
        {
            return Refuse(HankoWebhookFailure.NotWebhookToken, "The token has a \"session_id\" claim, which Hanko's session tokens have and its webhook tokens never; it is not a webhook token.");
        }

        if (string.IsNullOrEmpty(claims.EventName))
        {
            return Refuse(HankoWebhookFailure.NotWebhookToken, claims.HasEventClaim ? "The token's \"evt\" is not a non-empty string." : "The token has no \"evt\" claim.");
        }

        if (claims.DataKind != JsonTokenType.StartObject)
        {
            return Refuse(HankoWebhookFailure.NotWebhookToken, "The token's \"data\" claim is missing or not an object.");
        }

        // Defense in depth: Hanko mints 5-minute tokens; a long-lived one is not a webhook token, whoever signed it.
        var lifetime = claims.IssuedAt is { } issuedAt ? expiresAt - DateTimeOffset.FromUnixTimeSeconds(issuedAt) : expiresAt - now;
        if (lifetime > _options.MaxTokenLifetime)
        {
            return Refuse(HankoWebhookFailure.NotWebhookToken, $"The token lives {lifetime} ({(claims.IssuedAt is null ? "from now to exp" : "from iat to exp")}); Hanko webhook tokens live 5 minutes, and at most {_options.MaxTokenLifetime} is accepted.");
        }

        if (bodyEvent is not null && !string.Equals(bodyEvent, claims.EventName, StringComparison.Ordinal))
        {
            return Refuse(HankoWebhookFailure.EventMismatch, $"The body says the event is {Describe(bodyEvent)}, but the signed token says {claims.EventName}.");
        }

        var parts = new HankoEventParts(claims.EventName, payload.AsMemory()[claims.Data])
        {
            IssuedAt = claims.IssuedAt is { } issued ? DateTimeOffset.FromUnixTimeSeconds(issued) : default,
            ExpiresAt = expiresAt,
            Audience = claims.Audience,
            DeliveryId = deliveryId,
            Project = _project,
        };
        // Complete when created: nothing sets anything on it afterwards.
        if (!HankoEventFactory.TryCreate(parts, out var @event, out var invalidPayload))
        {
            // Authentic, only not modelled: the parts go with the refusal, so that a durable store can keep the delivery.
            return Refuse(HankoWebhookFailure.InvalidPayload, invalidPayload, parts);
        }

        Log.DeliveryVerified(_logger, claims.EventName);
        return HankoVerificationResult.Success(@event);
    }

    /// <summary>
    /// The last instant a token that expires at <paramref name="expiresAt"/> is accepted: <c>exp</c> plus the clock skew,
    /// saturated at <see cref="DateTimeOffset.MaxValue"/>. The replay guard remembers a delivery until the same instant.
    /// </summary>
    internal static DateTimeOffset AcceptedUntil(DateTimeOffset expiresAt, TimeSpan skew) =>
        DateTimeOffset.MaxValue - expiresAt <= skew ? DateTimeOffset.MaxValue : expiresAt + skew;

    /// <summary>
    /// Checks the signature; when it holds, also returns the delivery id computed from the decoded signature bytes.
    /// Never throws for a bad key or signature: a cryptographic failure is a signature that does not match.
    /// </summary>
    internal static bool VerifySignature(ReadOnlyMemory<byte> token, CompactJws jws, VerificationKey key, out string deliveryId)
    {
        deliveryId = string.Empty;
        var signature = ArrayPool<byte>.Shared.Rent(MaxSignatureBytes);
        byte[]? input = null;
        try
        {
            var provider = key.GetProvider(jws.Algorithm);
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
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or NotSupportedException or InvalidOperationException or SecurityTokenException)
        {
            deliveryId = string.Empty;
            return false;
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

    /// <summary>Not logged here: the receiver logs each delivery's result once (see <c>DeliveryLog</c>).</summary>
    private static HankoVerificationResult Refuse(HankoWebhookFailure failure, string message, HankoEventParts? authentic = null) =>
        HankoVerificationResult.Fail(failure, message, authentic);

    /// <summary>The token's audience for a message: <c>[a, b]</c>, with values that are not short and plain replaced.</summary>
    private static string DescribeAudience(IReadOnlyList<string> audience) =>
        "[" + string.Join(", ", audience.Select(a => IsPlain(a) ? a : "(an unexpected value)")) + "]";

    // Values from the token are shown only when they are short and plain, so a refusal never echoes arbitrary input.
    internal static string Describe(string value) => IsPlain(value) ? $"\"{value}\"" : "an unexpected value";

    private static bool IsPlain(string value) => value.Length is > 0 and <= 128 && value.AsSpan().IndexOfAnyExcept(SafeChars) < 0;

    private static readonly SearchValues<char> SafeChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-:/"); // with : and / for KMS key ids
}
