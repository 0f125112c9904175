using System.Collections.Concurrent;
using Hanko.Webhooks.Internal;
using Hanko.Webhooks.Verification;
using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.Receiving;

/// <summary>
/// Remembers which deliveries were received, by <see cref="HankoEvent.DeliveryId"/>, in an <see cref="IHankoReplayClaimStore"/>
/// until the token expires (plus the clock skew, after which the verifier refuses the token anyway).
/// </summary>
/// <remarks>
/// Within this process a concurrent set of in-flight ids makes a second copy wait for the first's outcome. Across instances
/// the store decides: the default <see cref="DistributedCacheReplayClaimStore"/> leaves a window of one cache round trip
/// in which two instances can both claim the same delivery; an atomic store (Redis <c>SET NX</c>) closes it. Claims are
/// taken and released as this guard's <see cref="Owner"/>.
/// </remarks>
internal sealed class ReplayGuard
{
    private static readonly TimeSpan MinimumLifetime = TimeSpan.FromSeconds(1);

    private readonly IHankoReplayClaimStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _skew;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> _inFlight = new(StringComparer.Ordinal);

    public ReplayGuard(IHankoReplayClaimStore store, HankoWebhookOptions options, TimeProvider time, ILogger logger)
    {
        _store = store;
        _time = time;
        _skew = options.ClockSkew;
        _timeout = options.ReplayCacheTimeout;
        _logger = logger;
    }

    /// <summary>How many deliveries are being claimed or processed in this process right now.</summary>
    internal int InFlightCount => _inFlight.Count;

    /// <summary>Who this process's claims belong to: only this guard releases them.</summary>
    internal string Owner { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Claims the delivery, or reports that it was already received, or that the cache failed.</summary>
    public async ValueTask<ReplayClaim> ClaimAsync(HankoEvent @event, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(@event.DeliveryId))
        {
            return ReplayClaim.Untracked; // not from the verifier: nothing to recognise it by
        }

        var key = @event.DeliveryId;
        while (true)
        {
            var mine = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var current = _inFlight.GetOrAdd(key, mine);
            if (!ReferenceEquals(current, mine))
            {
                // Another copy is being processed here: its outcome decides. Kept means done; released means try again.
                if (await current.Task.WaitAsync(cancellationToken).ConfigureAwait(false))
                {
                    Log.DuplicateDelivery(_logger, @event.Name, @event.DeliveryId);
                    return ReplayClaim.Duplicate;
                }

                continue;
            }

            var setAttempted = false;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_timeout);
                // Until the instant the verifier stops accepting the token (saturated, so an exp near 9999 cannot overflow).
                var lifetime = WebhookVerifier.AcceptedUntil(@event.ExpiresAt, _skew) - _time.GetUtcNow();
                setAttempted = true;
                if (!await _store.TryClaimAsync(key, Owner, lifetime < MinimumLifetime ? MinimumLifetime : lifetime, timeout.Token).ConfigureAwait(false))
                {
                    Finish(key, mine, kept: true);
                    Log.DuplicateDelivery(_logger, @event.Name, @event.DeliveryId);
                    return ReplayClaim.Duplicate;
                }

                return new ReplayClaim(ReplayClaimStatus.Claimed, key, mine);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                if (setAttempted)
                {
                    // The set may have reached the cache before the cancellation: forget it, the delivery was not processed.
                    await RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
                }

                Finish(key, mine, kept: false);
                throw;
            }
#pragma warning disable CA1031 // Any cache failure (connection, timeout, serialization) is handled by the failure mode.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ReplayCacheFailed(_logger, ex, @event.Name, ex is OperationCanceledException ? $"no answer within {_timeout}" : ex.GetType().Name);

                // The in-process check still holds while this copy is processed (fail open) or refused (fail closed).
                return new ReplayClaim(ReplayClaimStatus.CacheFailed, key, mine);
            }
        }
    }

    /// <summary>
    /// Ends a claim: <paramref name="keep"/> keeps the delivery remembered (processed, or handed off); otherwise it is
    /// forgotten so that another copy is processed. Copies waiting in this process are then let go.
    /// </summary>
    public async ValueTask SettleAsync(ReplayClaim claim, bool keep)
    {
        if (claim.Key is null || claim.InFlight is null)
        {
            return;
        }

        try
        {
            // CacheFailed too: a set that timed out here may still have been stored.
            if (!keep && claim.Status is ReplayClaimStatus.Claimed or ReplayClaimStatus.CacheFailed)
            {
                await RemoveAsync(claim.Key, CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            Finish(claim.Key, claim.InFlight, keep);
        }
    }

    /// <summary>Forgets a delivery claimed earlier (a handed-off event whose processing failed).</summary>
    public ValueTask ReleaseAsync(string deliveryId, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(deliveryId) ? ValueTask.CompletedTask : RemoveAsync(deliveryId, cancellationToken);

    private async ValueTask RemoveAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_timeout);
            await _store.ReleaseAsync(key, Owner, timeout.Token).ConfigureAwait(false);
            Log.ClaimReleased(_logger);
        }
#pragma warning disable CA1031 // A failed release only means a later copy is taken for a duplicate; it is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ReplayReleaseFailed(_logger, ex);
        }
    }

    private void Finish(string key, TaskCompletionSource<bool> inFlight, bool kept)
    {
        _inFlight.TryRemove(KeyValuePair.Create(key, inFlight));
        inFlight.TrySetResult(kept);
    }
}

internal enum ReplayClaimStatus
{
    /// <summary>The event has no <see cref="HankoEvent.DeliveryId"/>; it is processed unguarded.</summary>
    Untracked,
    Claimed,
    Duplicate,
    CacheFailed,
}

/// <summary>The outcome of <see cref="ReplayGuard.ClaimAsync"/>; settle it with <see cref="ReplayGuard.SettleAsync"/>.</summary>
internal readonly record struct ReplayClaim(ReplayClaimStatus Status, string? Key = null, TaskCompletionSource<bool>? InFlight = null)
{
    public static ReplayClaim Untracked => new(ReplayClaimStatus.Untracked);

    public static ReplayClaim Duplicate => new(ReplayClaimStatus.Duplicate);
}
