using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// The receipt: protect the verified parts, then claim and append in one script (one round trip). A verified event goes
/// to the stream; an unprocessable one straight to the dead letters with its reason. Any failure is <c>Unavailable</c>.
/// </summary>
internal sealed class RedisDurableStore : IHankoDurableHandOff
{
    private static readonly TimeSpan MinimumClaim = TimeSpan.FromSeconds(1);

    /// <summary>Nothing was stored or claimed: the receiver answers 503, so that Hanko records a failure instead of losing the event.</summary>
    private static readonly HankoHandOffResult Unavailable = HankoHandOffResult.Declined("StoreUnavailable", "The delivery could not be stored.");
    private readonly RedisConnection _redis;
    private readonly StoredDelivery _stored;
    private readonly TimeSpan _skew;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _owner = "receipt:" + Guid.NewGuid().ToString("N");

    public RedisDurableStore(RedisConnection redis, StoredDelivery stored, HankoWebhookOptions options, TimeProvider time, ILogger logger)
    {
        _redis = redis;
        _stored = stored;
        _skew = options.ClockSkew;
        _time = time;
        _logger = logger;
    }

    /// <summary>Signalled after each entry stored here, so that this instance's idle workers start at once.</summary>
    public Wakeup Stored { get; } = new();

    public async ValueTask<HankoHandOffResult> HandOffAsync(HankoEventParts delivery, string? unprocessableReason, CancellationToken cancellationToken)
    {
                var now = _time.GetUtcNow();
        var lifetime = delivery.ExpiresAt + _skew - now;
        if (lifetime < MinimumClaim)
        {
            lifetime = MinimumClaim;
        }

        var keys = _redis.Keys;
        RedisValue[] args = unprocessableReason is null
            ? [_owner, (long)lifetime.TotalMilliseconds, delivery.Name, delivery.DeliveryId, _stored.Protect(delivery)]
            : [_owner, (long)lifetime.TotalMilliseconds, delivery.Name, delivery.DeliveryId, _stored.Protect(delivery), unprocessableReason, now.ToUnixTimeMilliseconds()];
        RedisResult result;
        try
        {
            result = await _redis.Database
                .ScriptEvaluateAsync(Scripts.Receive, [keys.Claim(delivery.DeliveryId), unprocessableReason is null ? keys.Stream : keys.Dead], args)
                .WaitAsync(_redis.OperationTimeout, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutException ex)
        {
            Log.StoreFailed(_logger, ex, delivery.Name, $"no answer within {_redis.OperationTimeout}");
            return Unavailable;
        }
        catch (RedisException ex)
        {
            Log.StoreFailed(_logger, ex, delivery.Name, ex.GetType().Name);
            return Unavailable;
        }

        if (result.IsNull)
        {
            return HankoHandOffResult.Duplicate;
        }

        var entryId = (string)result!;
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
}
