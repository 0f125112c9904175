using Hanko.Webhooks;

namespace Hanko.Webhooks.LoadReceiver;

/// <summary>
/// HANKO_RECEIVER_DURABLE=&lt;redis configuration&gt;: durable processing on that Redis (receipt = one claim+append script,
/// then the workers dispatch to the no-op handler and acknowledge). bench.sh posts one token over and over, which the
/// claim would answer as a duplicate after the first; so that every request is stored and processed like a distinct
/// delivery, each gets a unique delivery id (its id plus a counter) before the hand-off.
/// </summary>
internal static class DurableMode
{
    public static void ConfigureIfRequested(HankoWebhooksBuilder hanko)
    {
        if (Environment.GetEnvironmentVariable("HANKO_RECEIVER_DURABLE") is not { Length: > 0 } redis)
        {
            return;
        }

        hanko.UseRedis(o => (o.Configuration, o.KeyPrefix) = (redis, "bench-" + Environment.ProcessId)).UseDurableProcessing(o => o.Concurrency = 16);
        var store = hanko.Services.Last(d => d.ServiceType == typeof(IHankoDurableHandOff));
        hanko.Services.Remove(store);
        hanko.Services.AddSingleton<IHankoDurableHandOff>(sp => new EveryPostIsNew((IHankoDurableHandOff)store.ImplementationFactory!(sp)));
    }

    private sealed class EveryPostIsNew(IHankoDurableHandOff inner) : IHankoDurableHandOff
    {
        private long _count;

        public ValueTask<HankoHandOffResult> HandOffAsync(HankoEventParts delivery, string? unprocessableReason, CancellationToken cancellationToken) =>
            inner.HandOffAsync(
                delivery with { DeliveryId = delivery.DeliveryId + "-" + Interlocked.Increment(ref _count) },
                unprocessableReason,
                cancellationToken);
    }
}
