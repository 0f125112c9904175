using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;

namespace Hanko.Webhooks.LoadReceiver;

/// <summary>
/// HANKO_RECEIVER_DURABLE=&lt;redis configuration&gt;: durable processing on that Redis (receipt = one claim+append script,
/// then the workers dispatch to the no-op handler and acknowledge). bench.sh posts one token over and over, which the
/// claim would answer as a duplicate after the first; so that every request is stored and processed like a distinct
/// delivery, each gets a unique delivery id (its id plus a counter) before the hand-off.
/// HANKO_RECEIVER_CONCURRENCY sets the workers' Concurrency (default 16); HANKO_RECEIVER_MIN_REPLICAS=n sets
/// MinReplicasToAcknowledge (default 0; needs a replica of that Redis); HANKO_RECEIVER_RECEIPT_ONLY=1 sets Concurrency
/// 0 (no workers: a receive-only instance), to measure the receipt alone. HANKO_RECEIVER_DP=gcm configures Data Protection with AES-256-GCM instead of
/// its default AES-256-CBC + HMACSHA256 (the app's choice, not the library's: users own their Data Protection setup).
/// HANKO_RECEIVER_CLEAR_STORE=1 (only when HANKO_RECEIVER_DP is not set, so that the kit's sdk-durable run takes it and
/// its sdk-durable-gcm run stays on GCM) stores the entries in the clear, through a pass-through IDataProtectionProvider:
/// for measuring like for like against BullMQ, which stores its jobs in the clear. Never a production setting: the entries
/// hold OTP codes and private metadata (BENCHMARKS.md section 4, "Like for like").
/// </summary>
internal static class DurableMode
{
    public static void ConfigureIfRequested(HankoWebhooksBuilder hanko)
    {
        if (Environment.GetEnvironmentVariable("HANKO_RECEIVER_DURABLE") is not { Length: > 0 } redis)
        {
            return;
        }

        var concurrency = int.TryParse(Environment.GetEnvironmentVariable("HANKO_RECEIVER_CONCURRENCY"), out var c) ? c : 16;
        // HANKO_RECEIVER_RECEIPT_ONLY=1: the receipt alone (verify, protect, claim+append; Concurrency 0 runs no worker): entries pile up.
        var receiptOnly = Environment.GetEnvironmentVariable("HANKO_RECEIVER_RECEIPT_ONLY") == "1";
        // HANKO_RECEIVER_MIN_REPLICAS=n: HankoRedisOptions.MinReplicasToAcknowledge (a 202 only once n replicas hold the receipt: WAIT per batch).
        var minReplicas = int.TryParse(Environment.GetEnvironmentVariable("HANKO_RECEIVER_MIN_REPLICAS"), out var r) ? r : 0;
        hanko.UseRedis(o => (o.Configuration, o.KeyPrefix, o.MinReplicasToAcknowledge) = (redis, "bench-" + Environment.ProcessId, minReplicas))
            .UseDurableProcessing(o => o.Concurrency = receiptOnly ? 0 : concurrency);

        if (Environment.GetEnvironmentVariable("HANKO_RECEIVER_DP") == "gcm")
        {
            // A fresh key ring: the algorithms apply only to keys created afterwards, not to an existing default key.
            hanko.Services.AddDataProtection()
                .PersistKeysToFileSystem(Directory.CreateTempSubdirectory("hanko-loadreceiver-dp-gcm-"))
                .UseCryptographicAlgorithms(new AuthenticatedEncryptorConfiguration
                {
                    EncryptionAlgorithm = EncryptionAlgorithm.AES_256_GCM,
                    ValidationAlgorithm = ValidationAlgorithm.HMACSHA256,
                });
        }

        else if (Environment.GetEnvironmentVariable("HANKO_RECEIVER_CLEAR_STORE") == "1")
        {
            hanko.Services.AddSingleton<IDataProtectionProvider>(new ClearStore());
        }

        var store = hanko.Services.Last(d => d.ServiceType == typeof(IHankoHandOff));
        hanko.Services.Remove(store);
        hanko.Services.AddSingleton<IHankoHandOff>(sp => new EveryPostIsNew((IHankoHandOff)store.ImplementationFactory!(sp)));
    }

    private sealed class EveryPostIsNew(IHankoHandOff inner) : IHankoHandOff
    {
        private long _count;

        public bool ClaimsDeliveries => inner.ClaimsDeliveries;

        public ValueTask<HankoHandOffResult> HandOffAsync(HankoEventParts delivery, string? unprocessableReason, CancellationToken cancellationToken) =>
            inner.HandOffAsync(
                delivery with { DeliveryId = delivery.DeliveryId + "-" + Interlocked.Increment(ref _count) },
                unprocessableReason,
                cancellationToken);
    }

    /// <summary>Protect and Unprotect return a copy of their input (the store clears what it passes in and gets back).</summary>
    private sealed class ClearStore : IDataProtectionProvider, IDataProtector
    {
        public IDataProtector CreateProtector(string purpose) => this;

        public byte[] Protect(byte[] plaintext) => (byte[])plaintext.Clone();

        public byte[] Unprotect(byte[] protectedData) => (byte[])protectedData.Clone();
    }
}
