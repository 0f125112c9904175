namespace Hanko.Webhooks;

/// <summary>How Hanko.Webhooks reaches Redis; set by <c>UseRedis()</c>.</summary>
public sealed class HankoRedisOptions
{
    /// <summary>
    /// A StackExchange.Redis configuration string, for example <c>redis:6379,password=…</c>. When <see langword="null"/>,
    /// the <c>IConnectionMultiplexer</c> registered in DI is used. Timeouts are set here too (<c>syncTimeout</c>,
    /// <c>asyncTimeout</c>); a receipt gets no more than 2 seconds in any case, 3 with <see cref="MinReplicasToAcknowledge"/>
    /// (then it is answered <c>503</c>, well inside Hanko's 10 seconds).
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? Configuration { get; set; }

    /// <summary>
    /// Prefixes every key, so that several apps can share one Redis. The keys are <c>{prefix}:claim:…</c>,
    /// <c>{prefix}:stream</c>, <c>{prefix}:retry</c> and <c>{prefix}:dead</c>; the braces are a Redis Cluster hash tag, which
    /// keeps one app's keys on one shard, as the atomic scripts need. For a named Hanko project
    /// (<c>AddHankoWebhooks("eu").UseRedis()</c>) the prefix is <c>{KeyPrefix}:eu</c>: each project has its own keys and hash
    /// tag. Letters, digits and <c>.-_:</c> only.
    /// </summary>
    /// <value>The default is <c>hanko-webhooks</c>.</value>
    public string KeyPrefix { get; set; } = "hanko-webhooks";

    /// <summary>
    /// How many replicas must hold a durable receipt before it is answered <c>202</c>: after storing a batch of receipts,
    /// one <c>WAIT</c> asks the primary for this many replica acknowledgments within 1 second. Fewer (a replica lags, is
    /// down, or a failover is under way) answer <c>503</c> (nothing was promised; Hanko records a failure), and each such
    /// receipt is taken back when no worker has read it yet (entry deleted, claim given back), so that a real copy is
    /// processed rather than refused as a duplicate. <c>0</c> answers as soon as the primary holds the receipt: a failover
    /// can then lose what the primary acknowledged but had not yet replicated. Recommended: 1 with a replica and Sentinel,
    /// or on Redis Cluster with replicas, and one replica more than this, because Hanko disables a hook after 6 failures in
    /// a row (watch and re-enable it with the Subscriptions package). Above 0, the receipts and their <c>WAIT</c> use a
    /// connection of their own (made from <see cref="Configuration"/>, or from the DI multiplexer's configuration string),
    /// so that a <c>WAIT</c> held by a lagging replica does not delay other commands.
    /// </summary>
    /// <value>The default is 0.</value>
    public int MinReplicasToAcknowledge { get; set; }
}
