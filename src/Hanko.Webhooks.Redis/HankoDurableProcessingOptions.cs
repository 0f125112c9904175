namespace Hanko.Webhooks;

/// <summary>How durable processing (<c>UseDurableProcessing()</c>) runs, retries and gives up.</summary>
public sealed class HankoDurableProcessingOptions
{
    /// <summary>
    /// How long to wait before each retry: the first entry before the second attempt, and so on. A delivery runs at most
    /// <c>RetryDelays.Count + 1</c> times (a run interrupted by the death of its instance counts), then goes to the dead
    /// letters; an empty list means one run and no retry.
    /// </summary>
    /// <value>The default is 1 s, 5 s, 30 s, 2 min, 10 min: six runs.</value>
    public IList<TimeSpan> RetryDelays { get; set; } =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10)];

    /// <summary>
    /// How long a delivery taken by an instance may go without a sign of life before another instance takes it over.
    /// A running handler keeps its delivery alive (renewed every third of this), so this bounds only how soon the work of an
    /// instance that died (crash, kill, lost network) is picked up again.
    /// </summary>
    /// <value>The default is 1 minute.</value>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many deliveries one instance processes at the same time. <c>0</c> makes this instance a receiver only: it stores
    /// deliveries (and answers 202) but runs no worker, no retry and no take-over; instances with a <c>Concurrency</c> of 1
    /// or more on the same Redis and key prefix process them (keep at least one, or stored deliveries wait).
    /// </summary>
    /// <value>The default is 8.</value>
    public int Concurrency { get; set; } = 8;

    /// <summary>
    /// How long processed entries stay in the stream (for inspection with <c>XRANGE</c>). Zero deletes each entry when it
    /// is acknowledged; otherwise the stream is trimmed to this age, never past an entry still pending or unread.
    /// </summary>
    /// <value>The default is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan Retention { get; set; } = TimeSpan.Zero;

    /// <summary>How many times a delivery's handlers run at most (the first run included): one more than the retry delays.</summary>
    internal int MaxAttempts => RetryDelays.Count + 1;

    /// <summary>How often an idle instance looks for deliveries received by other instances (its own are picked up at once).
    /// Internal cadence; tests shorten it.</summary>
    internal TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How often due retries are released, dead instances' deliveries taken over, and the stream trimmed: a tenth of
    /// <see cref="VisibilityTimeout"/>, between 50 ms and 1 s, unless a test sets it.
    /// </summary>
    internal TimeSpan MaintenanceInterval
    {
        get => _maintenanceInterval ?? TimeSpan.FromTicks(Math.Clamp(VisibilityTimeout.Ticks / 10, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(1).Ticks));
        set => _maintenanceInterval = value;
    }

    private TimeSpan? _maintenanceInterval;

    /// <summary>
    /// How often each instance reads its project's backlog (for the gauges) and, with
    /// <see cref="HankoRedisOptions.MinReplicasToAcknowledge"/>, the replicas connected to the primary: 5 s unless a test sets it.
    /// </summary>
    internal TimeSpan MonitorInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the oldest delivery of the backlog may wait before the health check is Degraded: twice
    /// <see cref="VisibilityTimeout"/> (a dead instance's deliveries wait one before they are taken over), at least 1 minute
    /// (a burst drains in seconds), unless a test sets it.
    /// </summary>
    internal TimeSpan BacklogAgeThreshold
    {
        get => _backlogAgeThreshold ?? TimeSpan.FromTicks(Math.Max(VisibilityTimeout.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
        set => _backlogAgeThreshold = value;
    }

    private TimeSpan? _backlogAgeThreshold;

    /// <summary>
    /// How long a consumer of the group with nothing pending must have been idle before an instance deletes it (its instance
    /// stopped without deleting it: killed, or Redis unreachable at shutdown): ten times <see cref="VisibilityTimeout"/>, at
    /// least 10 minutes, unless a test sets it. Always well past <see cref="VisibilityTimeout"/>, within which a consumer's idle
    /// time tells that its instance is alive (<c>KeyRingProbe</c>).
    /// </summary>
    internal TimeSpan IdleConsumerAge
    {
        get => _idleConsumerAge ?? (VisibilityTimeout.Ticks > long.MaxValue / 10 ? TimeSpan.MaxValue : TimeSpan.FromTicks(Math.Max(VisibilityTimeout.Ticks * 10, TimeSpan.FromMinutes(10).Ticks)));
        set => _idleConsumerAge = value;
    }

    private TimeSpan? _idleConsumerAge;

    /// <summary>How often each instance looks for idle consumers to delete (<see cref="IdleConsumerAge"/>): once a minute unless a test sets it.</summary>
    internal TimeSpan ConsumerPruneInterval { get; set; } = TimeSpan.FromMinutes(1);
}
