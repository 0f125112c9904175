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

    /// <summary>The durable store deliveries are handed to before the answer, when one is registered (it claims them itself).</summary>
    internal IHankoDurableHandOff? DurableHandOff { get; init; }

    public ValueTask<HankoReceiveResult> ReceiveAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
        ReceiveAsync(body, Inline, cancellationToken);

    public async ValueTask<HankoReceiveResult> ReceiveAsync(ReadOnlyMemory<byte> body, HankoReceiveOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var scope = HankoProject.BeginScope(_logger, _project);
        var delivery = HankoSpans.StartDelivery(_project);
        try
        {
            return Complete(delivery, await ProcessAsync(body, options, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            HankoSpans.Fail(delivery, ex);
            throw;
        }
    }

    public ValueTask<HankoReceiveResult> ReceiveAsync(Stream body, CancellationToken cancellationToken = default) =>
        ReceiveAsync(body, request: null, Inline, cancellationToken);

    public ValueTask<HankoReceiveResult> ReceiveAsync(Stream body, HankoRequestInfo request, CancellationToken cancellationToken = default) =>
        ReceiveAsync(body, request, Inline, cancellationToken);

    public ValueTask<HankoReceiveResult> ReceiveAsync(Stream body, HankoRequestInfo request, HankoReceiveOptions options, CancellationToken cancellationToken = default) =>
        ReceiveAsync(body, (HankoRequestInfo?)request, options, cancellationToken);

    private async ValueTask<HankoReceiveResult> ReceiveAsync(Stream body, HankoRequestInfo? request, HankoReceiveOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(options);
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
                _ => await ProcessAsync(read.Memory, options, cancellationToken).ConfigureAwait(false),
            };
            return Complete(delivery, result);
        }
        catch (Exception ex)
        {
            HankoSpans.Fail(delivery, ex);
            throw;
        }
    }

    public async Task<HankoDispatchResult> ProcessHandedOffAsync(HankoEvent @event, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        using var scope = HankoProject.BeginScope(_logger, _project);
        var dispatch = await _dispatcher.DispatchAsync(@event, cancellationToken).ConfigureAwait(false);
        ReceiveTelemetry.RecordHandedOffProcessed(dispatch);
        if (!dispatch.Succeeded)
        {
            await ReleaseAsync(@event, CancellationToken.None).ConfigureAwait(false);
        }

        return dispatch;
    }

    public ValueTask ReleaseAsync(HankoEvent @event, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return _guard?.ReleaseAsync(@event, cancellationToken) ?? ValueTask.CompletedTask;
    }

    private HankoReceiveResult Complete(System.Diagnostics.Activity? delivery, HankoReceiveResult result)
    {
        ReceiveTelemetry.Complete(delivery, result, _project);
        return result;
    }

    private HankoReceiveResult TooLarge() => Refuse(HankoWebhookFailure.BodyTooLarge, $"The body is larger than {_maxBodyBytes} bytes.");

    private HankoReceiveResult Refuse(HankoWebhookFailure failure, string message)
    {
        Log.DeliveryRefused(_logger, HankoWebhookFailureNames.Of(failure), message);
        return HankoReceiveResult.Refused(HankoVerificationResult.Fail(failure, message));
    }

    private async ValueTask<HankoReceiveResult> ProcessAsync(ReadOnlyMemory<byte> body, HankoReceiveOptions options, CancellationToken cancellationToken)
    {
        var verification = await _verifier.VerifyAsync(body, cancellationToken).ConfigureAwait(false);
        if (!verification.IsValid)
        {
            // Authentic but not modelled: a durable store keeps it (dead letters) instead of losing it with a 422.
            return DurableHandOff is { } store && verification is { Failure: HankoWebhookFailure.InvalidPayload, AuthenticParts: { } unprocessable }
                ? await HandOffDurablyAsync(store, verification, unprocessable, verification.FailureMessage, cancellationToken).ConfigureAwait(false)
                : HankoReceiveResult.Refused(verification);
        }

        var @event = verification.Event;
        if (options.Accept is { } accept && !accept(@event))
        {
            return HankoReceiveResult.Acknowledged(HankoReceiveOutcome.Ignored, verification);
        }

        if (DurableHandOff is { } durable)
        {
            return await HandOffDurablyAsync(durable, verification, @event.ToParts(), null, cancellationToken).ConfigureAwait(false);
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
                Log.ReplayCheckFailedClosed(_logger, @event.Name);
                await _guard.SettleAsync(claim, keep: false).ConfigureAwait(false);
                return HankoReceiveResult.ReplayCheckUnavailable(verification);
            }
        }

        var kept = false;
        try
        {
            if (options.HandOff is { } handOff)
            {
                var handedOff = await handOff(@event, cancellationToken).ConfigureAwait(false);
                kept = handedOff.IsAccepted || handedOff.IsDuplicate;
                return handedOff.IsAccepted ? HankoReceiveResult.Acknowledged(HankoReceiveOutcome.HandedOff, verification)
                    : handedOff.IsDuplicate ? HankoReceiveResult.Acknowledged(HankoReceiveOutcome.Duplicate, verification)
                    : HankoReceiveResult.HandOffDeclined(verification, handedOff);
            }

            var dispatch = await _dispatcher.DispatchAsync(@event, cancellationToken).ConfigureAwait(false);
            kept = dispatch.Succeeded;
            return HankoReceiveResult.Dispatched(verification, dispatch);
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
    private static async ValueTask<HankoReceiveResult> HandOffDurablyAsync(IHankoDurableHandOff store, HankoVerificationResult verification, HankoEventParts delivery, string? unprocessableReason, CancellationToken cancellationToken)
    {
        var handedOff = await store.HandOffAsync(delivery, unprocessableReason, cancellationToken).ConfigureAwait(false);
        return handedOff.IsAccepted ? HankoReceiveResult.Stored(verification, unprocessable: unprocessableReason is not null)
            : handedOff.IsDuplicate ? HankoReceiveResult.Acknowledged(HankoReceiveOutcome.Duplicate, verification)
            : HankoReceiveResult.HandOffDeclined(verification, handedOff);
    }
}
