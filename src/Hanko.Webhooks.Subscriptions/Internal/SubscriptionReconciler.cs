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
/// <para>
/// <b>Names the server does not know.</b> A server older than an event (v3.0.4 has no <c>session.*</c>, servers without
/// teamhanko/hanko#2884 no <c>user.update.custom_claims</c>) answers 400 to a subscription that names it. Such a name is
/// replaced by its parent group (<c>user.update</c>; the server is asked again, and its parent tried in turn if refused too) or,
/// when no group is left, left out; each refusal is logged once and shown in the health check. Every refusal adds a name
/// the server refused before, from a finite set, so ensuring cannot loop.
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

    /// <summary>Names the server refused, each with the name subscribed instead (<see langword="null"/>: left out). Used under the monitor's gate only.</summary>
    private readonly Dictionary<string, string?> _refused = new(StringComparer.Ordinal);

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
            SubscriptionObservation? result;
            try
            {
                result = await TryEnsureAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (HankoAdminApiException ex) when (Refuse(ex.RefusedEventNames))
            {
                // A name this server does not know: plan again with its parent group (or without it). Not an attempt: each
                // refusal is a name not refused before, so this repeats at most once per name.
                attempt--;
                continue;
            }

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

            var planned = Planned();
            if (planned.Count == 0)
            {
                return Observation(null, null);
            }

            var created = await _api.CreateAsync(Callback, planned, cancellationToken).ConfigureAwait(false);
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
        var desired = new List<string>();
        foreach (var name in hooks.SelectMany(h => h.EventNames).Select(Instead))
        {
            if (name is not null && !desired.Contains(name, StringComparer.Ordinal))
            {
                desired.Add(name);
            }
        }

        if (_options.RemoveUnhandledEvents)
        {
            desired = [.. Planned()];
        }
        else
        {
            desired.AddRange(MissingFrom(desired));
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
        Missing = hook is not null ? MissingFrom(hook.EventNames) : config is not null ? MissingFrom(config.Events) : Planned(),
        Refused = [.. _refused.Select(r => $"{r.Key} → {r.Value ?? "(left out)"}")],
    };

    /// <summary>The plan's names as this server accepts them: each refused name replaced by what is subscribed instead, none covered by another.</summary>
    private List<string> Planned()
    {
        var names = _plan.Events.Select(Instead).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return [.. names.Where(n => !names.Any(o => o != n && HankoWebhookSubscriptionPlan.Covers(o, n))).Order(StringComparer.Ordinal)];
    }

    /// <summary>The names of <see cref="Planned"/> that <paramref name="subscriptions"/> do not deliver in full.</summary>
    private List<string> MissingFrom(IEnumerable<string> subscriptions)
    {
        var held = subscriptions.ToArray();
        return [.. Planned().Where(name => !held.Any(s => HankoWebhookSubscriptionPlan.Covers(s, name)))];
    }

    /// <summary>The name to subscribe for <paramref name="name"/>: itself, or for a refused name its fallback; <see langword="null"/> when it is left out.</summary>
    private string? Instead(string name)
    {
        string? current = name;
        while (current is not null && _refused.TryGetValue(current, out var fallback))
        {
            current = fallback;
        }

        return current;
    }

    /// <summary>Records the names a server refused, with their parent groups to try instead; <see langword="false"/> when none is new (then the error stands).</summary>
    private bool Refuse(IReadOnlyList<string> names)
    {
        var any = false;
        foreach (var name in names)
        {
            if (_refused.ContainsKey(name))
            {
                continue;
            }

            var parent = HankoEventNames.All.Where(n => name.StartsWith(n + ".", StringComparison.Ordinal)).MaxBy(n => n.Length);
            _refused[name] = parent;
            Log.SubscriptionRefused(_logger, name, Shown, parent ?? "nothing (left out)");
            any = true;
        }

        return any;
    }

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
