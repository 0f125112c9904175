using Hanko.Webhooks.Diagnostics;
using Hanko.Webhooks.Internal;
using Hanko.Webhooks.Verification;
using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.Receiving;

/// <summary>
/// Read → verify → filter → claim → dispatch (or hand off) → settle the claim → answer; one delivery span and one count per
/// call. See <see cref="IHankoWebhookReceiver"/>.
/// </summary>
internal sealed class HankoWebhookReceiver : IHankoWebhookReceiver
{
    private static readonly HankoReceiveOptions Inline = new();

    private readonly IHankoWebhookVerifier _verifier;
    private readonly IHankoEventDispatcher _dispatcher;
    private readonly ReplayGuard? _guard;
    private readonly HankoReplayCacheFailureMode _failureMode;
    private readonly int _maxBodyBytes;
    private readonly ILogger _logger;
    private readonly string? _project;

    public HankoWebhookReceiver(IHankoWebhookVerifier verifier, IHankoEventDispatcher dispatcher, ReplayGuard? guard, HankoWebhookOptions options, ILogger logger, string? project = null)
    {
        _project = project;
        _verifier = verifier;
        _dispatcher = dispatcher;
        _guard = guard;
        _failureMode = options.ReplayCacheFailureMode;
        _maxBodyBytes = options.MaxBodyBytes;
        _logger = logger;
    }

    internal ReplayGuard? Guard => _guard;

    /// <summary>The project this receiver verifies for; <see langword="null"/> for the unnamed one.</summary>
    internal string? Project => _project;

    /// <summary>The project's hand-off, when one is registered: verified deliveries go there instead of to the dispatcher.</summary>
    internal IHankoHandOff? HandOff { get; init; }

    /// <summary>The clock of catch-up claims.</summary>
    internal TimeProvider Time { get; init; } = TimeProvider.System;

    public ValueTask<HankoReceiveResult> ReceiveAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
        ReceiveAsync(body, options: null, cancellationToken);

    public async ValueTask<HankoReceiveResult> ReceiveAsync(ReadOnlyMemory<byte> body, HankoReceiveOptions? options, CancellationToken cancellationToken = default)
    {
        options ??= Inline;
        using var scope = HankoProject.BeginScope(_logger, _project);
        var delivery = HankoSpans.StartDelivery(_project);
        try
        {
            return Complete(delivery, await ProcessAsync(body, verified: null, options, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            HankoSpans.Fail(delivery, ex);
            throw;
        }
    }

    public ValueTask<HankoReceiveResult> ReceiveAsync(Stream body, HankoRequestInfo? request = null, CancellationToken cancellationToken = default) =>
        ReceiveAsync(body, request, options: null, cancellationToken);

    public async ValueTask<HankoReceiveResult> ReceiveAsync(Stream body, HankoRequestInfo? request, HankoReceiveOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        options ??= Inline;
        using var scope = HankoProject.BeginScope(_logger, _project);
        var delivery = HankoSpans.StartDelivery(_project);
        try
        {
            if (request is { } info && !MediaTypes.IsJson(info.ContentType))
            {
                return Complete(delivery, Refuse(HankoWebhookFailure.UnsupportedMediaType, "Hanko webhooks are posted as application/json."));
            }

            if (request?.ContentLength > _maxBodyBytes)
            {
                return Complete(delivery, TooLarge());
            }

            using var read = await BodyReader.ReadAsync(body, _maxBodyBytes, request?.ContentLength, cancellationToken).ConfigureAwait(false);
            var result = read.Status switch
            {
                BodyReadStatus.TooLarge => TooLarge(),
                BodyReadStatus.Unreadable => Refuse(HankoWebhookFailure.BodyUnreadable, "The request body could not be read."),

                // The token is verified straight from the pooled buffer; the event keeps its own copy of the payload.
                _ => await ProcessAsync(read.Memory, verified: null, options, cancellationToken).ConfigureAwait(false),
            };
            return Complete(delivery, result);
        }
        catch (Exception ex)
        {
            HankoSpans.Fail(delivery, ex);
            throw;
        }
    }

    public async Task<HankoReceiveResult> ProcessHandedOffAsync(HankoEventParts delivery, int attempt, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        if (string.IsNullOrEmpty(delivery.Name))
        {
            throw new ArgumentException("The delivery has no event name; hand back the parts the hand-off was given.", nameof(delivery));
        }

        using var scope = HankoProject.BeginScope(_logger, _project);
        var run = ReceiveTelemetry.StartHandedOff(_project, delivery, attempt);
        HankoReceiveResult result;
        try
        {
            // This project's event, read with the core's own reader and limits, whoever stored the parts.
            if (!HankoEventFactory.TryCreate(delivery with { Project = _project }, out var @event, out var error, handedOff: true))
            {
                result = HankoReceiveResult.Refused(HankoVerificationResult.Fail(HankoWebhookFailure.InvalidPayload, error));
            }
            else
            {
                result = HankoReceiveResult.Dispatched(HankoVerificationResult.Success(@event), await _dispatcher.DispatchAsync(@event, attempt, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (Exception ex)
        {
            HankoSpans.FailHandedOff(run, ex);
            await ReleaseHandedOffAsync(delivery).ConfigureAwait(false);
            throw;
        }

        ReceiveTelemetry.CompleteHandedOff(run, delivery.Name, result, _project);
        if (result.Dispatch is not { Succeeded: true })
        {
            await ReleaseHandedOffAsync(delivery).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// Forgets the receiver's claim on a handed-off delivery whose processing failed, so that another copy is processed; a
    /// hand-off that claims deliveries itself settles its own.
    /// </summary>
    private ValueTask ReleaseHandedOffAsync(HankoEventParts delivery) =>
        _guard is null || HandOff is { ClaimsDeliveries: true } ? ValueTask.CompletedTask : _guard.ReleaseAsync(delivery.DeliveryId, CancellationToken.None);

    private HankoReceiveResult Complete(System.Diagnostics.Activity? delivery, HankoReceiveResult result)
    {
        DeliveryLog.Write(_logger, result);
        ReceiveTelemetry.Complete(delivery, result, _project);
        return result;
    }

    private HankoReceiveResult TooLarge() => Refuse(HankoWebhookFailure.BodyTooLarge, $"The body is larger than {_maxBodyBytes} bytes.");

    private static HankoReceiveResult Refuse(HankoWebhookFailure failure, string message) =>
        HankoReceiveResult.Refused(HankoVerificationResult.Fail(failure, message));

    /// <summary>
    /// The one path of a delivery: verify (unless <paramref name="verified"/>: a catch-up the SDK built itself) → filter →
    /// claim → dispatch or hand off → settle. One method, so that a webhook reaches its handler through as few frames as it can.
    /// </summary>
    private async ValueTask<HankoReceiveResult> ProcessAsync(ReadOnlyMemory<byte> body, HankoVerificationResult? verified, HankoReceiveOptions options, CancellationToken cancellationToken)
    {
        var verification = verified ?? await _verifier.VerifyAsync(body, cancellationToken).ConfigureAwait(false);
        if (!verification.IsValid)
        {
            // Authentic but not modelled: a hand-off that keeps deliveries (dead letters) takes it instead of losing it with a 422.
            return HandOff is { ClaimsDeliveries: true } keeper && verification is { Failure: HankoWebhookFailure.InvalidPayload, AuthenticParts: { } unprocessable }
                ? await HandOffAsync(keeper, verification, unprocessable, verification.FailureMessage, cancellationToken).ConfigureAwait(false)
                : HankoReceiveResult.Refused(verification);
        }

        if (options.Accept is { } accept && !accept(verification.Event))
        {
            return HankoReceiveResult.Acknowledged(HankoReceiveOutcome.Ignored, verification);
        }

        var @event = verification.Event;
        if (HandOff is { ClaimsDeliveries: true } claimsItself)
        {
            return await HandOffAsync(claimsItself, verification, @event.ToParts(), null, cancellationToken).ConfigureAwait(false);
        }

        var claim = ReplayClaim.Untracked;
        if (_guard is not null)
        {
            claim = await _guard.ClaimAsync(@event, cancellationToken).ConfigureAwait(false);
            if (claim.Status == ReplayClaimStatus.Duplicate)
            {
                return HankoReceiveResult.Acknowledged(HankoReceiveOutcome.Duplicate, verification);
            }

            if (claim.Status == ReplayClaimStatus.CacheFailed && _failureMode == HankoReplayCacheFailureMode.FailClosed)
            {
                await _guard.SettleAsync(claim, keep: false).ConfigureAwait(false);
                return HankoReceiveResult.ReplayCheckUnavailable(verification);
            }
        }

        HankoReceiveResult? result = null;
        try
        {
            result = HandOff is { } handOff
                ? await HandOffAsync(handOff, verification, @event.ToParts(), null, cancellationToken).ConfigureAwait(false)
                : HankoReceiveResult.Dispatched(verification, await _dispatcher.DispatchAsync(@event, attempt: 1, cancellationToken).ConfigureAwait(false));
            return result;
        }
        finally
        {
            if (_guard is not null)
            {
                // Kept when processed, taken or already taken; released when a handler failed or the hand-off declined.
                await _guard.SettleAsync(claim, keep: result is { StatusCode: < 300 }).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask<HankoReceiveResult> ReceiveCatchUpAsync(
        Guid userId,
        ReadOnlyMemory<byte> user,
        IReadOnlyList<string> eventNames,
        IReadOnlyList<string> auditLogTypes,
        DateTimeOffset windowStart,
        DateTimeOffset windowEnd,
        CancellationToken cancellationToken = default)
    {
        using var scope = HankoProject.BeginScope(_logger, _project);
        HankoReceiveResult result;
        if (!CatchUpParts.TryCreate(_project, userId, user.Span, eventNames, auditLogTypes, windowStart, windowEnd, Time.GetUtcNow(), out var parts, out var error))
        {
            result = Refuse(HankoWebhookFailure.InvalidPayload, error);
        }
        else
        {
            // Read with the core's own reader and limits, as a handed-off delivery is, before anyone takes it.
            result = HankoEventFactory.TryCreate(parts, out var @event, out error, handedOff: true)
                ? await ProcessAsync(default, HankoVerificationResult.Success(@event), Inline, cancellationToken).ConfigureAwait(false)
                : Refuse(HankoWebhookFailure.InvalidPayload, error);
        }

        DeliveryLog.Write(_logger, result);
        return result;
    }

    /// <summary>The hand-off's answer is the receiver's; a copy it recognised is logged like the replay guard's (event 40).</summary>
    private async ValueTask<HankoReceiveResult> HandOffAsync(IHankoHandOff handOff, HankoVerificationResult verification, HankoEventParts delivery, string? unprocessableReason, CancellationToken cancellationToken)
    {
        var handedOff = await handOff.HandOffAsync(delivery, unprocessableReason, cancellationToken).ConfigureAwait(false);
        if (handedOff.IsDuplicate)
        {
            Log.DuplicateDelivery(_logger, delivery.Name, delivery.DeliveryId);
            return HankoReceiveResult.Acknowledged(HankoReceiveOutcome.Duplicate, verification);
        }

        return handedOff.IsAccepted ? HankoReceiveResult.Acknowledged(HankoReceiveOutcome.Accepted, verification) : HankoReceiveResult.HandOffDeclined(verification, handedOff);
    }
}
