namespace Hanko.Webhooks;

/// <summary>
/// Which delivery, and which attempt at it, the handlers of the current DI scope are running for. Inject it into a handler
/// (it is a scoped service, filled by the dispatcher before any handler of the delivery is created) to make the handler
/// idempotent: key your own records by <see cref="DeliveryId"/>, and tell a first run from a retry by <see cref="Attempt"/>.
/// </summary>
/// <remarks>
/// Inline and in-memory background processing run each delivery once, so <see cref="Attempt"/> is 1. Durable processing
/// (Hanko.Webhooks.Redis) counts every run, including a run taken over from an instance that died mid-handler.
/// </remarks>
public sealed class HankoDeliveryContext
{
    internal HankoDeliveryContext()
    {
    }

    /// <summary>The delivery id (see <see cref="HankoEvent.DeliveryId"/>); empty outside a dispatch.</summary>
    public string DeliveryId { get; private set; } = string.Empty;

    /// <summary>Which attempt this is, from 1; 0 outside a dispatch.</summary>
    public int Attempt { get; private set; }

    /// <summary>Whether an earlier attempt at this delivery ran (and failed, or was interrupted).</summary>
    public bool IsRetry => Attempt > 1;

    internal void Set(HankoEvent @event, int attempt)
    {
        DeliveryId = @event.DeliveryId;
        Attempt = attempt;
    }
}
