using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hanko.Webhooks.Subscriptions;

/// <summary>
/// Catch-up across restarts (issue 24 stage 2), for a project that handles <see cref="UserCatchUpEvent"/> and has an endpoint:
/// while it runs, it records in the shared store until when the project was receiving (a heartbeat, every
/// <see cref="RestartCatchUpTimings.HeartbeatInterval"/>); at start it turns the time since the last heartbeat (less a margin)
/// into a pending window, and runs pending windows through <see cref="IHankoCatchUp"/> until each is done.
/// </summary>
/// <remarks>
/// <para>
/// Two leases in the claim store (<see cref="IHankoReplayClaimStore"/>: atomic with <c>UseRedis()</c>) keep instances apart:
/// the <em>pending</em> lease is held while the heartbeat and the pending windows are read and written, so that of two
/// instances starting together the first records the window and moves the heartbeat to its end, and the second finds
/// nothing missed; the <em>run</em> lease decides which instance runs the pending windows. A window leaves the pending
/// list only when its run completed with every user handed over; a run stopped by the shutdown or by an Admin API failure
/// stays pending and is run again, as the same window (so delivery ids hand nobody over twice), at the next tick or start.
/// </para>
/// <para>
/// The window's end is rounded up to a whole margin and run once it has passed, so that instances racing on a store
/// without atomic claims record the same window. The heartbeat never moves backwards.
/// </para>
/// </remarks>
internal sealed class RestartCatchUp : BackgroundService
{
    private static readonly TimeSpan HeartbeatLifetime = HankoCatchUp.MaxWindow + TimeSpan.FromDays(1);

    private readonly IHankoCatchUp _catchUp;
    private readonly HankoWebhookSubscriptionPlan _plan;
    private readonly SubscriptionMonitor _monitor;
    private readonly IDistributedCache? _store;
    private readonly IHankoReplayClaimStore _leases;
    private readonly HankoWebhookEndpoints _endpoints;
    private readonly HealthCheckService? _health;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly RestartCatchUpTimings _timings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string? _project;
    private readonly string _owner = Guid.NewGuid().ToString("N");
    private readonly string _keys;

    public RestartCatchUp(IServiceProvider services, string? project)
    {
        _project = project;
        _catchUp = SubscriptionProject.Resolve<IHankoCatchUp>(services, project);
        _plan = SubscriptionProject.Resolve<HankoWebhookSubscriptionPlan>(services, project);
        _monitor = SubscriptionProject.Resolve<SubscriptionMonitor>(services, project);
        _store = SharedStore(services, project);
        _leases = (project is null ? null : services.GetKeyedService<IHankoReplayClaimStore>(project)) ?? services.GetRequiredService<IHankoReplayClaimStore>();
        _endpoints = services.GetRequiredService<HankoWebhookEndpoints>();
        _health = services.GetService<HealthCheckService>();
        _lifetime = services.GetService<IHostApplicationLifetime>();
        _timings = services.GetService<RestartCatchUpTimings>() ?? new RestartCatchUpTimings();
        _time = services.GetRequiredService<TimeProvider>();
        _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Hanko.Webhooks.Subscriptions");
        _keys = project is null ? "Hanko.Webhooks:catch-up:" : $"Hanko.Webhooks:project:{project}:catch-up:";
    }

    private string HeartbeatKey => _keys + "heartbeat";

    private string PendingKey => _keys + "pending";

    /// <summary>
    /// The shared store: the SDK's own cache that <c>UseRedis()</c> registers (keyed <c>Hanko.Webhooks</c>, or
    /// <c>Hanko.Webhooks:{project}</c>), else the app's <see cref="IDistributedCache"/>; none when that is the in-memory one.
    /// </summary>
    internal static IDistributedCache? SharedStore(IServiceProvider services, string? project)
    {
        var store = (project is null ? null : services.GetKeyedService<IDistributedCache>("Hanko.Webhooks:" + project))
            ?? services.GetKeyedService<IDistributedCache>("Hanko.Webhooks")
            ?? services.GetService<IDistributedCache>();
        return store is null or MemoryDistributedCache ? null : store;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var scope = SubscriptionProject.BeginScope(_logger, _project);
        try
        {
            await SubscriptionService.WaitUntilStartedAsync(_lifetime, stoppingToken).ConfigureAwait(false);
            if (!_plan.EventTypes.Contains(typeof(UserCatchUpEvent)) || _endpoints.IsMissing(_project))
            {
                return; // the app wants no catch-up, or receives nothing (the subscription service says so)
            }

            if (_store is null)
            {
                Log.RestartCatchUpOff(_logger, SubscriptionProject.Describe(_project), "there is no shared store (UseRedis(), or an IDistributedCache other than the in-memory one), so a start cannot know when the application last received.");
                return;
            }

            var started = false;
            var keysHeld = true;
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    // Without keys deliveries are refused (503 KeysUnavailable): no heartbeat, so that time counts as missed,
                    // and once keys are held again it is recorded as a start is.
                    keysHeld = await KeysHeldAsync(keysHeld, stoppingToken).ConfigureAwait(false);
                    if (!keysHeld)
                    {
                        started = false;
                    }
                    else if (!started)
                    {
                        await RecordStartAsync(stoppingToken).ConfigureAwait(false);
                        started = true;
                    }
                    else
                    {
                        await WithPendingLeaseAsync(() => BeatAsync(_time.GetUtcNow(), stoppingToken), stoppingToken).ConfigureAwait(false);
                    }

                    await RunPendingAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    Log.RestartCatchUpStoreFailed(_logger, $"{ex.GetType().Name}: {ex.Message}", _timings.HeartbeatInterval);
                }

                await Task.Delay(_timings.HeartbeatInterval, _time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    /// <summary>
    /// Whether the project holds signing keys, as the core's health check (<c>AddHealthCheck()</c> under its default name)
    /// reports them in its <c>keyCount</c> data; without that check, keys are taken as held. Says so when they are lost.
    /// </summary>
    private async Task<bool> KeysHeldAsync(bool heldBefore, CancellationToken cancellationToken)
    {
        var name = _project is null ? HankoWebhooksHealthCheckBuilderExtensions.DefaultHealthCheckName : $"{HankoWebhooksHealthCheckBuilderExtensions.DefaultHealthCheckName}-{_project}";
        if (_health is null)
        {
            return true;
        }

        var report = await _health.CheckHealthAsync(r => r.Name == name, cancellationToken).ConfigureAwait(false);
        if (!report.Entries.TryGetValue(name, out var entry))
        {
            return true;
        }

        var keyCount = entry.Data.TryGetValue("keyCount", out var count) && count is int n ? n : 0;
        if (keyCount == 0 && heldBefore)
        {
            Log.RestartCatchUpNoKeys(_logger, name, keyCount);
        }

        return keyCount > 0;
    }

    /// <summary>The time since the last heartbeat becomes a pending window; the heartbeat moves to that window's end.</summary>
    private Task RecordStartAsync(CancellationToken cancellationToken) => WithPendingLeaseAsync(
        async () =>
        {
            var now = _time.GetUtcNow();
            var last = await ReadHeartbeatAsync(cancellationToken).ConfigureAwait(false);
            if (last is null)
            {
                Log.RestartCatchUpFirstStart(_logger, _timings.HeartbeatInterval);
                await BeatAsync(now, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (last >= now)
            {
                return; // another instance recorded this start's window (or is receiving)
            }

            var to = RoundUp(now + _timings.Margin, _timings.Margin);
            var from = last.Value - _timings.Margin;
            if (to - from > HankoCatchUp.MaxWindow)
            {
                from = to - HankoCatchUp.MaxWindow;
            }

            Log.RestartCatchUpDue(_logger, last.Value, from, to);
            var pending = await ReadPendingAsync(cancellationToken).ConfigureAwait(false);
            var window = new CatchUpWindow(from, to);
            if (!pending.Contains(window))
            {
                pending.Add(window);
                await WritePendingAsync(pending, cancellationToken).ConfigureAwait(false);
            }

            await BeatAsync(to, cancellationToken).ConfigureAwait(false);
        },
        cancellationToken);

    /// <summary>Runs the pending windows that have ended, under the run lease; each leaves the list once every user was handed over.</summary>
    private async Task RunPendingAsync(CancellationToken stoppingToken)
    {
        var now = _time.GetUtcNow();
        var due = (await ReadPendingAsync(stoppingToken).ConfigureAwait(false)).Where(w => w.To <= now).OrderBy(w => w.From).ToList();
        if (due.Count == 0 || !await TryLeaseAsync(_keys + "run", _timings.RunLease, stoppingToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            foreach (var window in due)
            {
                HankoCatchUpResult result;
                try
                {
                    result = await _catchUp.RunAsync(window.From, window.To, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    Log.RestartCatchUpStopped(_logger, window.From, window.To);
                    throw;
                }
                catch (HankoAdminApiException ex)
                {
                    _monitor.RecordCatchUpError(window, ex.Message); // logged by the catch-up (74); the window stays pending
                    return;
                }

                _monitor.RecordCatchUp(window, result);
                if (result.Failed > 0)
                {
                    return; // logged per user (76); the window stays pending and its next run hands over the rest
                }

                await WithPendingLeaseAsync(
                    async () =>
                    {
                        var pending = await ReadPendingAsync(CancellationToken.None).ConfigureAwait(false);
                        pending.Remove(window);
                        await WritePendingAsync(pending, CancellationToken.None).ConfigureAwait(false);
                    },
                    CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            await _leases.ReleaseAsync(_keys + "run", _owner, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Takes a lease. A take cancelled in flight (the app stopping) may still have reached the store, so it is given back
    /// (only this instance's own lease is released): otherwise the other instances would wait for it to expire, up to the
    /// run lease's ten minutes.
    /// </summary>
    private async Task<bool> TryLeaseAsync(string lease, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        try
        {
            return await _leases.TryClaimAsync(lease, _owner, lifetime, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                await _leases.ReleaseAsync(lease, _owner, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Best effort while stopping: the lease then expires as a dead instance's would.
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> holding the pending lease (waiting for another instance's short hold to end).</summary>
    private async Task WithPendingLeaseAsync(Func<Task> work, CancellationToken cancellationToken)
    {
        var lease = _keys + "pending-lease";
        while (!await TryLeaseAsync(lease, _timings.PendingLease, cancellationToken).ConfigureAwait(false))
        {
            await Task.Delay(_timings.PendingLeaseRetry, _time, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await work().ConfigureAwait(false);
        }
        finally
        {
            await _leases.ReleaseAsync(lease, _owner, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Moves the heartbeat to <paramref name="at"/>, never backwards.</summary>
    private async Task BeatAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await ReadHeartbeatAsync(cancellationToken).ConfigureAwait(false) is { } last && last >= at)
        {
            return;
        }

        var value = Encoding.UTF8.GetBytes(at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        await _store!.SetAsync(HeartbeatKey, value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = HeartbeatLifetime }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DateTimeOffset?> ReadHeartbeatAsync(CancellationToken cancellationToken) =>
        await _store!.GetAsync(HeartbeatKey, cancellationToken).ConfigureAwait(false) is { } bytes
        && DateTimeOffset.TryParse(Encoding.UTF8.GetString(bytes), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at
            : null;

    private async Task<List<CatchUpWindow>> ReadPendingAsync(CancellationToken cancellationToken)
    {
        var windows = new List<CatchUpWindow>();
        if (await _store!.GetAsync(PendingKey, cancellationToken).ConfigureAwait(false) is not { Length: > 0 } bytes)
        {
            return windows;
        }

        using var json = JsonDocument.Parse(bytes);
        foreach (var window in json.RootElement.EnumerateArray())
        {
            windows.Add(new CatchUpWindow(window.GetProperty("from").GetDateTimeOffset(), window.GetProperty("to").GetDateTimeOffset()));
        }

        return windows;
    }

    private async Task WritePendingAsync(List<CatchUpWindow> windows, CancellationToken cancellationToken)
    {
        if (windows.Count == 0)
        {
            await _store!.RemoveAsync(PendingKey, cancellationToken).ConfigureAwait(false);
            return;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var window in windows)
            {
                json.WriteStartObject();
                json.WriteString("from", window.From.ToUniversalTime());
                json.WriteString("to", window.To.ToUniversalTime());
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        await _store!.SetAsync(PendingKey, buffer.WrittenSpan.ToArray(), new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = HeartbeatLifetime }, cancellationToken).ConfigureAwait(false);
    }

    private static DateTimeOffset RoundUp(DateTimeOffset at, TimeSpan step) =>
        new(((at.UtcTicks + step.Ticks - 1) / step.Ticks) * step.Ticks, TimeSpan.Zero);
}

/// <summary>The timings of <see cref="RestartCatchUp"/> (a singleton; tests shorten them).</summary>
internal sealed class RestartCatchUpTimings
{
    /// <summary>How often a running instance records its heartbeat and looks for pending windows.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Taken off the window's start and added to its end (clocks and the moment receiving began), and the end's rounding.</summary>
    public TimeSpan Margin { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the run lease lasts when its instance dies mid-run (a graceful stop releases it).</summary>
    public TimeSpan RunLease { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long the pending lease lasts when its instance dies while holding it.</summary>
    public TimeSpan PendingLease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How soon an instance asks again for the pending lease another holds.</summary>
    public TimeSpan PendingLeaseRetry { get; init; } = TimeSpan.FromMilliseconds(200);
}
