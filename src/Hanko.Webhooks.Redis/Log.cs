using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.Redis;

/// <summary>The log messages of Hanko.Webhooks.Redis (ids 300-399). Never a payload, an OTP code or metadata.</summary>
internal static partial class Log
{
    [LoggerMessage(300, LogLevel.Error, "Hanko webhook {EventName} could not be stored in Redis ({Reason}); answered 503, so Hanko records a failure.", EventName = "StoreFailed")]
    public static partial void StoreFailed(ILogger logger, Exception? exception, string eventName, string reason);

    [LoggerMessage(301, LogLevel.Debug, "Hanko webhook {EventName} {DeliveryId} stored as {EntryId}.", EventName = "Stored")]
    public static partial void Stored(ILogger logger, string eventName, string deliveryId, string entryId);

    [LoggerMessage(302, LogLevel.Warning, "Hanko webhook {EventName} {DeliveryId} attempt {Attempt} failed ({FailureCount} handler(s)); retrying in {Delay}.", EventName = "RetryScheduled")]
    public static partial void RetryScheduled(ILogger logger, string eventName, string deliveryId, int attempt, int failureCount, TimeSpan delay);

    [LoggerMessage(303, LogLevel.Error, "Hanko webhook {EventName} {DeliveryId} moved to the dead letters as {DeadLetterId} after {Attempts} attempt(s): {Reason}", EventName = "DeadLettered")]
    public static partial void DeadLettered(ILogger logger, string eventName, string deliveryId, string deadLetterId, int attempts, string reason);

    [LoggerMessage(304, LogLevel.Information, "Took over {Count} Hanko webhook deliveries idle for more than {VisibilityTimeout} (an instance died or stalled).", EventName = "TookOver")]
    public static partial void TookOver(ILogger logger, int count, TimeSpan visibilityTimeout);

    [LoggerMessage(305, LogLevel.Warning, "Redis failed while processing Hanko webhooks ({Operation}); trying again.", EventName = "WorkerRedisFailed")]
    public static partial void WorkerRedisFailed(ILogger logger, Exception exception, string operation);

    [LoggerMessage(306, LogLevel.Warning, "Hanko webhook {EventName} {DeliveryId} abandoned at shutdown, not acknowledged: another instance takes it over after the visibility timeout.", EventName = "Abandoned")]
    public static partial void Abandoned(ILogger logger, string eventName, string deliveryId);

    [LoggerMessage(307, LogLevel.Warning, "Hanko webhook {EventName} {DeliveryId} was taken over by another instance while this one held it: it is not started here any more, and if its handlers were already running here it may run twice.", EventName = "LostOwnership")]
    public static partial void LostOwnership(ILogger logger, string eventName, string deliveryId);

    [LoggerMessage(308, LogLevel.Information, "Durable Hanko webhook processing started: consumer {Consumer}, stream {Stream}, {Concurrency} at a time.", EventName = "WorkerStarted")]
    public static partial void WorkerStarted(ILogger logger, string consumer, string stream, int concurrency);

    [LoggerMessage(309, LogLevel.Information, "Durable Hanko webhook processing stopping: waiting for {Count} running deliveries.", EventName = "WorkerStopping")]
    public static partial void WorkerStopping(ILogger logger, int count);

    [LoggerMessage(310, LogLevel.Warning, "Hanko webhook {EventName} {DeliveryId} is authentic but its data does not fit the SDK's models; stored in the dead letters as {DeadLetterId}: {Reason}", EventName = "UnprocessableStored")]
    public static partial void UnprocessableStored(ILogger logger, string eventName, string deliveryId, string deadLetterId, string reason);

    [LoggerMessage(311, LogLevel.Information, "Dead letter {DeadLetterId} moved back for processing as {EntryId}.", EventName = "DeadLetterRetried")]
    public static partial void DeadLetterRetried(ILogger logger, string deadLetterId, string entryId);

    [LoggerMessage(312, LogLevel.Warning, "{Count} handled Hanko webhook deliveries could not be acknowledged before shutdown; they stay pending and run again (attempt + 1) after the visibility timeout.", EventName = "AcknowledgmentsLeft")]
    public static partial void AcknowledgmentsLeft(ILogger logger, int count);

    [LoggerMessage(313, LogLevel.Information, "Durable Hanko webhook processing: this instance receives only (Concurrency 0); deliveries it stores in {Stream} are processed by instances with a Concurrency of 1 or more.", EventName = "ReceiveOnly")]
    public static partial void ReceiveOnly(ILogger logger, string stream);

    [LoggerMessage(314, LogLevel.Warning, "Hanko webhook {EventName} {DeliveryId} could not be opened here (attempt {Attempt}; its Data Protection key is not in this instance's key ring, or it was tampered with); retrying in {Delay}, where an instance that holds the key may take it. Share one key ring between all instances.", EventName = "EntryNotOpened")]
    public static partial void EntryNotOpened(ILogger logger, string eventName, string deliveryId, int attempt, TimeSpan delay);

    [LoggerMessage(339, LogLevel.Warning, "The newest key-ring probe of another instance ({Instance}, last seen {LastSeen} ago) does not open here, but that instance is gone (longer than the visibility timeout): starting. Deliveries it stored that are still waiting will not open here; they are retried, then dead-lettered. Share one Data Protection key ring between all instances ({ProbeKey}).", EventName = "KeyRingOfAGoneInstance")]
    public static partial void KeyRingOfAGoneInstance(ILogger logger, string instance, TimeSpan lastSeen, string probeKey);

    [LoggerMessage(315, LogLevel.Warning, "Could not check at start that this instance shares the Data Protection key ring with the others ({ProbeKey}): Redis did not answer.", EventName = "KeyRingProbeSkipped")]
    public static partial void KeyRingProbeSkipped(ILogger logger, Exception exception, string probeKey);

    // 316-319 left for the worker's messages; this one is about the app's Data Protection setup.
    [LoggerMessage(320, LogLevel.Warning, "Hanko webhook project {Project}: durable processing stores deliveries (OTP codes, metadata) protected by a Data Protection key ring that has no XML encryptor, so its keys lie unencrypted in their repository (with PersistKeysToStackExchangeRedis, in the same Redis as the deliveries): whoever can read it can open them. Protect the key ring, e.g. AddDataProtection().ProtectKeysWithCertificate(...) or a key vault.", EventName = "KeyRingNotEncrypted")]
    public static partial void KeyRingNotEncrypted(ILogger logger, string project);

    [LoggerMessage(321, LogLevel.Warning, "Hanko webhook project {Project}: MinReplicasToAcknowledge is {MinReplicas} but the Redis primary of its keys ({Primary}) has {ReplicasOnline} replica(s) online: every delivery is answered 503 until enough replicas connect (attach a replica, or lower MinReplicasToAcknowledge).", EventName = "TooFewReplicas")]
    public static partial void TooFewReplicas(ILogger logger, string project, int minReplicas, string primary, int replicasOnline);

    [LoggerMessage(322, LogLevel.Information, "Hanko webhook project {Project}: the Redis primary of its keys ({Primary}) has {ReplicasOnline} replica(s) online again, enough for MinReplicasToAcknowledge {MinReplicas}: deliveries are accepted again.", EventName = "EnoughReplicas")]
    public static partial void EnoughReplicas(ILogger logger, string project, string primary, int replicasOnline, int minReplicas);

    [LoggerMessage(350, LogLevel.Information, "Removed {Count} consumer(s) from the consumer group of {Stream}: nothing pending and idle for more than {IdleAge} (instances gone without removing theirs; before Redis 7.2 also live ones that read nothing meanwhile, added back by their next read): {Consumers}.", EventName = "IdleConsumersRemoved")]
    public static partial void IdleConsumersRemoved(ILogger logger, int count, string stream, TimeSpan idleAge, string consumers);

    [LoggerMessage(351, LogLevel.Debug, "Consumer {Consumer} removed from the consumer group of {Stream} at shutdown.", EventName = "ConsumerRemoved")]
    public static partial void ConsumerRemoved(ILogger logger, string consumer, string stream);

    [LoggerMessage(352, LogLevel.Debug, "Consumer {Consumer} kept in the consumer group of {Stream} at shutdown ({Reason}); an instance removes it once it has nothing pending and has been idle for {IdleAge}.", EventName = "ConsumerKept")]
    public static partial void ConsumerKept(ILogger logger, string consumer, string stream, string reason, TimeSpan idleAge);

    [LoggerMessage(353, LogLevel.Information, "Gave back {Count} delivery(ies) read ahead but not started to {Stream} at shutdown: the other instances take them at once.", EventName = "ReadAheadGivenBack")]
    public static partial void GaveBack(ILogger logger, long count, string stream);

    [LoggerMessage(340, LogLevel.Error, "A batch of {Count} Hanko webhook receipt(s) failed unexpectedly; each is answered 503 (Hanko records a failure), and the next batches go on.", EventName = "ReceiptBatchFailed")]
    public static partial void ReceiptBatchFailed(ILogger logger, Exception exception, int count);
}
