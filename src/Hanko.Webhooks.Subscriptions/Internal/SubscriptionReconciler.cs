using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanko.Webhooks.Subscriptions;

/// <summary>
/// Makes Hanko's hook for the callback match the plan: creates it when missing, adds what the handlers need, re-enables
/// it, and leaves it alone (no request that changes it) when it is already right.
/// </summary>
/// <remarks>
/// <para>
/// <b>Instances starting together.</b> Hanko's API has no conditional create, so two instances may both find no hook and
/// both create one. After creating, the hooks for the callback are listed again, and whenever there is more than one the
/// oldest (<c>created_at</c>, then the id's text) is kept: the others' subscriptions are merged into it and they are
/// deleted. Every instance picks the same hook, a delete of a hook another instance deleted first is not an error, and an
/// update of a hook that disappeared starts over; so instances converge on one hook whatever the interleaving. Two hooks
/// with one callback are never wanted (every event would be delivered twice), so a duplicate found any other time is
/// merged and deleted the same way.
/// </para>
/// <para>
/// <b>Check after update.</b> An update is read back with <c>GET</c>, because older Hanko versions answered a
/// <c>PUT</c> with the new events without storing them (teamhanko/hanko#2355).
/// </para>
/// </remarks>
internal sealed class SubscriptionReconciler
{
    private const int Attempts = 3;

    private readonly IHankoWebhookSubscriptions _api;
    private readonly HankoWebhookSubscriptionPlan _plan;
    private readonly HankoWebhookSubscriptionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SubscriptionReconciler(
        IHankoWebhookSubscriptions api,
        HankoWebhookSubscriptionPlan plan,
        IOptions<HankoWebhookSubscriptionOptions> options,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        _api = api;
        _plan = plan;
        _options = options.Value;
        _time = time;
        _logger = loggers.CreateLogger("Hanko.Webhooks.Subscriptions");
    }

    private string Callback => _options.CallbackUrl!;

    private string Shown => SubscriptionText.Redact(_options.CallbackUrl);

    /// <summary>Looks at Hanko's hooks for the callback without changing anything.</summary>
    public async Task<SubscriptionObservation> ObserveAsync(CancellationToken cancellationToken)
    {
        var list = await _api.ListAsync(cancellationToken).ConfigureAwait(false);
        var hooks = HooksFor(list);
        return Observation(hooks.FirstOrDefault(), hooks.Count == 0 ? ConfigHookFor(list) : null);
    }

    /// <summary>Creates, extends, re-enables or leaves alone the hook for the callback, and returns what Hanko then holds.</summary>
    /// <exception cref="HankoAdminApiException">A call to the Admin API failed.</exception>
    public async Task<SubscriptionObservation> EnsureAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await TryEnsureAsync(cancellationToken).ConfigureAwait(false);
            if (result is not null)
            {
                return result;
            }

            if (attempt == Attempts)
            {
                throw new HankoAdminApiException($"The Hanko webhook for {Shown} kept disappearing while it was being ensured ({Attempts} attempts); is something else deleting it?");
            }
        }
    }

    /// <summary>One pass; <see langword="null"/> when the hook vanished under it (another instance deleted it) and the pass must be repeated.</summary>
    private async Task<SubscriptionObservation?> TryEnsureAsync(CancellationToken cancellationToken)
    {
        var list = await _api.ListAsync(cancellationToken).ConfigureAwait(false);
        var hooks = HooksFor(list);
        if (hooks.Count == 0)
        {
            if (ConfigHookFor(list) is { } config)
            {
                var observation = Observation(null, config);
                Log.ConfigHookFound(_logger, Shown);
                if (observation.Missing.Count > 0)
                {
                    Log.ConfigHookMissingSubscriptions(_logger, Shown, Join(observation.Missing));
                }

                return observation;
            }

            if (_plan.Events.Count == 0)
            {
                return Observation(null, null);
            }

            var created = await _api.CreateAsync(Callback, _plan.Events, cancellationToken).ConfigureAwait(false);
            Log.HookCreated(_logger, created.Id, Shown, Join(created.EventNames));

            // Another instance may have created one at the same time: look again, and keep one.
            hooks = HooksFor(await _api.ListAsync(cancellationToken).ConfigureAwait(false));
            if (hooks.Count == 0)
            {
                return null;
            }
        }

        var keeper = hooks[0];
        var subscribed = keeper.EventNames;
        var desired = new List<string>(subscribed.Distinct(StringComparer.Ordinal));
        foreach (var duplicate in hooks.Skip(1))
        {
            desired.AddRange(duplicate.EventNames.Where(e => !desired.Contains(e, StringComparer.Ordinal)));
        }

        if (_options.RemoveUnhandledEvents)
        {
            desired = [.. _plan.Events];
        }
        else
        {
            desired.AddRange(_plan.MissingFrom(desired));
        }

        var sameEvents = desired.Count == subscribed.Count && desired.ToHashSet(StringComparer.Ordinal).SetEquals(subscribed);
        var result = keeper;
        if (!keeper.Enabled || !sameEvents || hooks.Count > 1)
        {
            // Merge first, then delete: a delivery between the two still reaches one hook.
            if (!keeper.Enabled || !sameEvents)
            {
                try
                {
                    await _api.UpdateAsync(keeper.Id, keeper.Callback, desired, enabled: true, cancellationToken).ConfigureAwait(false);
                }
                catch (HankoAdminApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    return null;
                }

                var stored = await _api.GetAsync(keeper.Id, cancellationToken).ConfigureAwait(false);
                if (stored is null)
                {
                    return null;
                }

                if (!stored.EventNames.ToHashSet(StringComparer.Ordinal).SetEquals(desired))
                {
                    Log.SubscriptionsNotStored(_logger, keeper.Id, Join(stored.EventNames), Join(desired));
                }

                if (!sameEvents)
                {
                    Log.HookUpdated(_logger, keeper.Id, Shown, Join(desired.Except(subscribed, StringComparer.Ordinal)), Join(subscribed.Except(desired, StringComparer.Ordinal)));
                }

                if (!keeper.Enabled && stored.Enabled)
                {
                    Log.HookReenabled(_logger, keeper.Id, Shown, keeper.Failures);
                }

                result = stored;
            }

            foreach (var duplicate in hooks.Skip(1))
            {
                if (await _api.DeleteAsync(duplicate.Id, cancellationToken).ConfigureAwait(false))
                {
                    Log.DuplicateHookDeleted(_logger, duplicate.Id, Shown, keeper.Id);
                }
            }
        }
        else
        {
            Log.HookUnchanged(_logger, keeper.Id, Shown, Join(subscribed));
        }

        return Observation(result, null);
    }

    private SubscriptionObservation Observation(HankoWebhookSubscription? hook, HankoConfigWebhookSubscription? config) => new()
    {
        CheckedAt = _time.GetUtcNow(),
        Hook = hook,
        ConfigHook = config,
        Missing = hook is not null ? _plan.MissingFrom(hook.EventNames) : config is not null ? _plan.MissingFrom(config.Events) : _plan.Events,
    };

    /// <summary>The database hooks for the callback, the one to keep first (oldest, then lowest id).</summary>
    private List<HankoWebhookSubscription> HooksFor(HankoWebhookSubscriptionList list) =>
        [.. list.Database.Where(h => SameCallback(h.Callback))
            .OrderBy(h => h.CreatedAt)
            .ThenBy(h => h.Id.ToString("D"), StringComparer.Ordinal)];

    private HankoConfigWebhookSubscription? ConfigHookFor(HankoWebhookSubscriptionList list) =>
        list.Config.FirstOrDefault(h => SameCallback(h.Callback));

    private bool SameCallback(string callback) =>
        string.Equals(callback, Callback, StringComparison.Ordinal)
        || (Uri.TryCreate(callback, UriKind.Absolute, out var a) && Uri.TryCreate(Callback, UriKind.Absolute, out var b) && a == b);

    internal static string Join(IEnumerable<string> names)
    {
        var text = string.Join(", ", names);
        return text.Length == 0 ? "(none)" : text;
    }
}
