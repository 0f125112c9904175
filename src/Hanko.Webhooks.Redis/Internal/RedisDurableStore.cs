using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// The receipt: protect the verified parts, then claim and append in one script (one round trip, shared with the receipts
/// arriving at the same time: <see cref="ReceiptBatches"/>). A verified event goes to the stream; an unprocessable one
/// straight to the dead letters with its reason. Any failure, or no answer within the operation timeout, is declined as <c>StoreUnavailable</c> (503).
/// </summary>
internal sealed class RedisDurableStore : IHankoHandOff, IDisposable
{
    private static readonly TimeSpan MinimumClaim = TimeSpan.FromSeconds(1);

    /// <summary>Nothing was stored or claimed: the receiver answers 503, so that Hanko records a failure instead of losing the event.</summary>
    private static readonly HankoHandOffResult Unavailable = HankoHandOffResult.Declined("StoreUnavailable", "The delivery could not be stored.");


    private readonly RedisConnection _redis;
    private readonly StoredDelivery _stored;
    private readonly TimeSpan _skew;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ReceiptBatches _receipts;

    public RedisDurableStore(RedisConnection redis, StoredDelivery stored, HankoWebhookOptions options, TimeProvider time, ILogger logger)
    {
        _redis = redis;
        _stored = stored;
        _skew = options.ClockSkew;
        _time = time;
        _logger = logger;
        _receipts = new ReceiptBatches(redis, "receipt:" + Guid.NewGuid().ToString("N"), logger);
        ReceiptTimeout = redis.MinReplicas > 0 ? RedisConnection.OperationTimeout + (2 * RedisConnection.ReplicaWaitTimeout) : RedisConnection.OperationTimeout;
    }

    /// <summary>
    /// The receipt's bound: the script's 2 s; when replicas must confirm, also its batch's <c>WAIT</c> (1 s) and the
    /// <c>WAIT</c> of the batch in flight when it was queued (1 s: a <c>WAIT</c> holds the receipts' connection, so while a
    /// replica lags every batch takes its full second and a receipt queued behind one must outlast two) — inside Hanko's 10 s.
    /// </summary>
    private TimeSpan ReceiptTimeout { get; }

    /// <summary>Signalled after each entry stored here, so that this instance's idle workers start at once.</summary>
    public Wakeup Stored { get; } = new();

    /// <summary>The claim is taken in the script that stores the entry: a copy is a duplicate on every instance.</summary>
    public bool ClaimsDeliveries => true;

    public async ValueTask<HankoHandOffResult> HandOffAsync(HankoEventParts delivery, string? unprocessableReason, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var lifetime = delivery.ExpiresAt + _skew - now;
        if (lifetime < MinimumClaim)
        {
            lifetime = MinimumClaim;
        }

        byte[] protectedEntry;
        try
        {
            protectedEntry = _stored.Protect(delivery);
        }
        catch (Exception ex)
        {
            // Data Protection failed (its key ring unreadable or unwritable): nothing was stored or claimed.
            Log.StoreFailed(_logger, ex, delivery.Name, $"Data Protection could not protect it: {ex.GetType().Name}");
            return Unavailable;
        }

        string? entryId;
        try
        {
            entryId = await _receipts
                .StoreAsync(delivery.DeliveryId, (long)lifetime.TotalMilliseconds, delivery.Name, protectedEntry, unprocessableReason, now.ToUnixTimeMilliseconds(), ReceiptTimeout, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutException ex)
        {
            Log.StoreFailed(_logger, ex, delivery.Name, $"no answer within {ReceiptTimeout}");
            return Unavailable;
        }
        catch (Exception ex) when (ex is NotReplicatedException or ReceiptsQueueFullException)
        {
            Log.StoreFailed(_logger, null, delivery.Name, ex.Message);
            return Unavailable;
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            Log.StoreFailed(_logger, ex, delivery.Name, ex.GetType().Name);
            return Unavailable;
        }

        if (entryId is null)
        {
            return HankoHandOffResult.Duplicate;
        }

        if (unprocessableReason is null)
        {
            DurableTelemetry.RecordStored(delivery.Name, _redis.Project);
            Log.Stored(_logger, delivery.Name, delivery.DeliveryId, entryId);
            Stored.Signal();
        }
        else
        {
            DurableTelemetry.RecordDeadLettered(delivery.Name, _redis.Project);
            Log.UnprocessableStored(_logger, delivery.Name, delivery.DeliveryId, entryId, unprocessableReason);
        }

        return HankoHandOffResult.Accepted;
    }

    /// <summary>For the health check: Redis answers on the connection receipts are stored on (their own, when they have one).</summary>
    public Task CheckReceiptConnectionAsync() => _receipts.CheckConnectionAsync();

    /// <summary>Closes the receipts' own connection (<see cref="ReceiptConnection"/>), when they have one.</summary>
    public void Dispose() => _receipts.Dispose();
}
