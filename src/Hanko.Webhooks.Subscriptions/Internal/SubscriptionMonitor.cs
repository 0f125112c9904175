using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanko.Webhooks.Subscriptions;

/// <summary>
/// Holds the last observation of the hook, polls Hanko for a new one (one poll at a time), logs and counts the transitions,
/// and repairs a disabled or deleted hook when <see cref="HankoWebhookSubscriptionOptions.AutoReenable"/> is on.
/// </summary>
internal sealed class SubscriptionMonitor : IDisposable
{
    private readonly SubscriptionReconciler _reconciler;
    private readonly HankoWebhookSubscriptionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SubscriptionObservation? _latest;
    private DateTimeOffset? _lastRepairAt; // written under _gate
    private DateTimeOffset? _missedFrom; // written under _gate: the last accepted delivery before the hook got into trouble
    private CatchUpWindow? _dueWindow; // written under _gate
    private CatchUpRecord? _lastCatchUp;

    /// <summary>How much earlier than Hanko's last accepted delivery a window after refusals starts (clocks, the audit entry written before the delivery).</summary>
    internal static readonly TimeSpan CatchUpMargin = TimeSpan.FromMinutes(1);

    /// <summary>Hanko's <c>WebhookExpireDuration</c>: a successful delivery sets <c>expires_at</c> to its time plus this (<c>database_hook.go</c>).</summary>
    internal static readonly TimeSpan HookExpireDuration = TimeSpan.FromDays(30);

    /// <summary>The last window caught up (after refusals or across restarts) (for the health check); <see langword="null"/> before the first.</summary>
    public CatchUpRecord? LastCatchUp => Volatile.Read(ref _lastCatchUp);

    /// <summary>
    /// The window to catch up now that the hook delivers again (enabled, no failures) after the watch saw it disabled or
    /// failing: from Hanko's last accepted delivery before that (<c>expires_at</c> minus 30 days, less a margin) to this
    /// observation. Taken once; <see langword="null"/> when none is due.
    /// </summary>
    public CatchUpWindow? TakeDueCatchUp() => Interlocked.Exchange(ref _dueWindow, null);

    /// <summary>Puts a window back after its catch-up failed, so that the next poll runs it again (delivery ids keep it once).</summary>
    public void Retry(CatchUpWindow window, string error)
    {
        Interlocked.CompareExchange(ref _dueWindow, window, null);
        RecordCatchUpError(window, error);
    }

    /// <summary>Shows a failed catch-up in the health data (the catch-up across restarts keeps its own pending windows).</summary>
    public void RecordCatchUpError(CatchUpWindow window, string error) =>
        Volatile.Write(ref _lastCatchUp, new CatchUpRecord(window, _time.GetUtcNow(), null, error));

    public void RecordCatchUp(CatchUpWindow window, HankoCatchUpResult result) =>
        Volatile.Write(ref _lastCatchUp, new CatchUpRecord(window, _time.GetUtcNow(), result, null));

    public SubscriptionMonitor(SubscriptionReconciler reconciler, IOptions<HankoWebhookSubscriptionOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
        _reconciler = reconciler;
        _options = options.Value;
        _time = time;
        _logger = loggers.CreateLogger("Hanko.Webhooks.Subscriptions");
        _ensurePending = _options.EnsureOnStart;
    }

    private volatile bool _ensurePending;

    /// <summary>Whether the ensure at start has not finished yet (the health check then waits for it instead of polling).</summary>
    public bool EnsurePending => _ensurePending;

    /// <summary>Why the hook is neither ensured nor watched: no endpoint is mapped for the project; <see langword="null"/> otherwise.</summary>
    public string? NoEndpoint { get; private set; }

    public void MarkNoEndpoint(string reason)
    {
        NoEndpoint = reason;
        _ensurePending = false;
    }

    /// <summary>The last observation; <see langword="null"/> before the first.</summary>
    public SubscriptionObservation? Latest => Volatile.Read(ref _latest);

    private string Shown => SubscriptionText.Redact(_options.CallbackUrl);

    /// <summary>Ensures the hook (at start); a failure is recorded and logged, never thrown.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var observation = await _reconciler.EnsureAsync(cancellationToken).ConfigureAwait(false);
            Record(observation);
        }
        catch (HankoAdminApiException ex)
        {
            Log.EnsureFailed(_logger, Shown, ex.Message);
            RecordError(ex.Message);
        }
        finally
        {
            _ensurePending = false;
            _gate.Release();
        }
    }

    /// <summary>Polls Hanko once, records what it sees and repairs when allowed; a failure is recorded and logged, never thrown.</summary>
    public async Task<SubscriptionObservation> CheckAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var observation = await _reconciler.ObserveAsync(cancellationToken).ConfigureAwait(false);
            Record(observation);
            if (_options.AutoReenable && (observation.IsDisabled || (observation.IsMissing && _options.EnsureOnStart)))
            {
                await RepairAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (HankoAdminApiException ex)
        {
            Log.WatchFailed(_logger, Shown, ex.Message);
            RecordError(ex.Message);
        }
        finally
        {
            _gate.Release();
        }

        return Latest!;
    }

    private async Task RepairAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_lastRepairAt is { } last && now - last < HankoWebhookSubscriptionOptions.ReenableMinimumInterval)
        {
            Log.AutoRepairSuppressed(_logger, Shown, last, last + HankoWebhookSubscriptionOptions.ReenableMinimumInterval);
            return;
        }

        Log.AutoRepair(_logger, Shown, now + HankoWebhookSubscriptionOptions.ReenableMinimumInterval);
        SubscriptionTelemetry.Repaired.Add(1);

        // Counted as a repair even when it fails, so that a failing Admin API is not asked again at every poll.
        _lastRepairAt = now;
        Record(await _reconciler.EnsureAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Stores <paramref name="observation"/> and logs what changed since the last one.</summary>
    private void Record(SubscriptionObservation observation)
    {
        observation = observation with { LastRepairAt = _lastRepairAt };
        var previous = Interlocked.Exchange(ref _latest, observation);
        if (observation.Hook is { } hook)
        {
            NoteRefusals(hook, observation.CheckedAt);
            var before = previous?.Hook;
            if (!hook.Enabled && (before is null || before.Enabled || before.Id != hook.Id))
            {
                Log.HookDisabled(_logger, hook.Id, Shown, hook.Failures, hook.ExpiresAt);
                SubscriptionTelemetry.Disabled.Add(1);
            }
            else if (hook.Enabled && before is { Enabled: false } && before.Id == hook.Id)
            {
                Log.HookRecovered(_logger, hook.Id, Shown);
            }

            if (hook.Enabled && hook.Failures > 0 && hook.Failures != before?.Failures)
            {
                Log.HookFailing(_logger, hook.Id, Shown, hook.Failures);
            }

            if (hook.Enabled && hook.ExpiresAt - observation.CheckedAt < HankoWebhookSubscriptionOptions.ExpiryWarning && !(before is { } b && b.ExpiresAt == hook.ExpiresAt))
            {
                Log.HookExpiring(_logger, hook.Id, Shown, hook.ExpiresAt);
            }

            if (observation.Missing.Count > 0 && !(previous is { } p && p.Missing.SequenceEqual(observation.Missing)))
            {
                Log.SubscriptionsMissing(_logger, hook.Id, Shown, SubscriptionReconciler.Join(observation.Missing));
            }
        }
        else if (observation.IsMissing && (previous is null || !previous.IsMissing || previous.Error is not null))
        {
            Log.HookMissing(_logger, Shown);
        }
    }

    /// <summary>Remembers the last accepted delivery while the hook is disabled or failing; makes the window due once it delivers again.</summary>
    private void NoteRefusals(HankoWebhookSubscription hook, DateTimeOffset checkedAt)
    {
        if (!hook.Enabled || hook.Failures > 0)
        {
            var lastAccepted = hook.ExpiresAt - HookExpireDuration;
            if (_missedFrom is null || lastAccepted < _missedFrom)
            {
                _missedFrom = lastAccepted;
            }
        }
        else if (_missedFrom is { } from)
        {
            _missedFrom = null;
            Volatile.Write(ref _dueWindow, new CatchUpWindow(from - CatchUpMargin, checkedAt));
        }
    }

    private void RecordError(string error)
    {
        var previous = Latest;
        Volatile.Write(ref _latest, previous is null
            ? new SubscriptionObservation { CheckedAt = _time.GetUtcNow(), Error = error, Seen = false, LastRepairAt = _lastRepairAt }
            : previous with { CheckedAt = _time.GetUtcNow(), Error = error, LastRepairAt = _lastRepairAt });
    }

    public void Dispose() => _gate.Dispose();
}

/// <summary>A window to catch up after refusals, both ends exclusive.</summary>
internal sealed record CatchUpWindow(DateTimeOffset From, DateTimeOffset To);

/// <summary>The last catch-up after refusals: its window, when it ran, and its result or why it failed.</summary>
internal sealed record CatchUpRecord(CatchUpWindow Window, DateTimeOffset At, HankoCatchUpResult? Result, string? Error);
