using Hanko.Webhooks.Diagnostics;
using Hanko.Webhooks.Internal;
using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.Receiving;

/// <summary>Verify → filter → claim → dispatch (or hand off) → settle the claim. See <see cref="IHankoWebhookReceiver"/>.</summary>
internal sealed class HankoWebhookReceiver : IHankoWebhookReceiver
{
    private static readonly HankoReceiveOptions Inline = new();

    private readonly IHankoWebhookVerifier _verifier;
    private readonly IHankoEventDispatcher _dispatcher;
    private readonly ReplayGuard? _guard;
    private readonly HankoReplayCacheFailureMode _failureMode;
    private readonly ILogger _logger;

    public HankoWebhookReceiver(IHankoWebhookVerifier verifier, IHankoEventDispatcher dispatcher, ReplayGuard? guard, HankoReplayCacheFailureMode failureMode, ILogger logger)
    {
        _verifier = verifier;
        _dispatcher = dispatcher;
        _guard = guard;
        _failureMode = failureMode;
        _logger = logger;
    }

    internal ReplayGuard? Guard => _guard;

    /// <summary>The durable store deliveries are handed to before the answer, when one is registered.</summary>
    internal IHankoDurableHandOff? DurableHandOff { get; init; }

    public ValueTask<HankoReceiveResult> ReceiveAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
        ReceiveAsync(body, Inline, cancellationToken);

    public async ValueTask<HankoReceiveResult> ReceiveAsync(ReadOnlyMemory<byte> body, HankoReceiveOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var verification = await _verifier.VerifyAsync(body, cancellationToken).ConfigureAwait(false);
        if (!verification.IsValid)
        {
            return DurableHandOff is { } store && verification is { Failure: HankoWebhookFailure.InvalidPayload, AuthenticDelivery: { } unprocessable }
                ? await HandOffDurablyAsync(store, verification, unprocessable, verification.FailureMessage, cancellationToken).ConfigureAwait(false)
                : new(HankoReceiveStatus.Refused, verification);
        }

        var @event = verification.Event;
        if (options.Accept is { } accept && !accept(@event))
        {
            HankoTelemetry.RecordUndispatched(@event.Name, HankoTelemetry.Outcomes.Filtered);
            return new(HankoReceiveStatus.Ignored, verification);
        }

        if (DurableHandOff is { } durable)
        {
            return await HandOffDurablyAsync(durable, verification, HankoVerifiedDelivery.FromEvent(@event), null, cancellationToken).ConfigureAwait(false);
        }

        var claim = ReplayClaim.Untracked;
        if (_guard is not null)
        {
            claim = await _guard.ClaimAsync(@event, cancellationToken).ConfigureAwait(false);
            if (claim.Status == ReplayClaimStatus.Duplicate)
            {
                HankoTelemetry.RecordReplay(@event.Name);
                HankoTelemetry.RecordUndispatched(@event.Name, HankoTelemetry.Outcomes.Duplicate);
                return new(HankoReceiveStatus.Duplicate, verification);
            }

            if (claim.Status == ReplayClaimStatus.CacheFailed && _failureMode == HankoReplayCacheFailureMode.FailClosed)
            {
                Log.ReplayCheckFailedClosed(_logger, @event.Name);
                HankoTelemetry.RecordUndispatched(@event.Name, HankoTelemetry.Outcomes.Unavailable);
                await _guard.SettleAsync(claim, keep: false).ConfigureAwait(false);
                return new(HankoReceiveStatus.ReplayCheckUnavailable, verification);
            }
        }

        var kept = false;
        try
        {
            if (options.HandOff is { } handOff)
            {
                kept = handOff(@event);
                return new(kept ? HankoReceiveStatus.HandedOff : HankoReceiveStatus.HandOffDeclined, verification);
            }

            var dispatch = await _dispatcher.DispatchAsync(@event, cancellationToken).ConfigureAwait(false);
            kept = dispatch.Succeeded;
            return new(HankoReceiveStatus.Dispatched, verification, dispatch);
        }
        finally
        {
            if (_guard is not null)
            {
                await _guard.SettleAsync(claim, kept).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The durable store claims and stores in one step; its answer is the receiver's.</summary>
    private static async ValueTask<HankoReceiveResult> HandOffDurablyAsync(IHankoDurableHandOff store, HankoVerificationResult verification, HankoVerifiedDelivery delivery, string? unprocessableReason, CancellationToken cancellationToken)
    {
        var outcome = await store.HandOffAsync(delivery, unprocessableReason, cancellationToken).ConfigureAwait(false);
        if (outcome == HankoHandOffResult.Duplicate)
        {
            HankoTelemetry.RecordReplay(delivery.Name);
            HankoTelemetry.RecordUndispatched(delivery.Name, HankoTelemetry.Outcomes.Duplicate);
        }

        return outcome switch
        {
            HankoHandOffResult.Stored => new(unprocessableReason is null ? HankoReceiveStatus.HandedOff : HankoReceiveStatus.StoredUnprocessable, verification),
            HankoHandOffResult.Duplicate => new(HankoReceiveStatus.Duplicate, verification),
            _ => new(HankoReceiveStatus.HandOffDeclined, verification),
        };
    }

    public ValueTask ReleaseAsync(HankoEvent @event, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return _guard?.ReleaseAsync(@event, cancellationToken) ?? ValueTask.CompletedTask;
    }
}
