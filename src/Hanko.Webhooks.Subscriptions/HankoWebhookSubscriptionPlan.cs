namespace Hanko.Webhooks;

/// <summary>
/// The smallest set of Hanko subscription names that delivers every event the registered handlers handle, and nothing
/// a handler does not ask for beyond what Hanko's prefix rule brings along. Registered by <c>AddSubscriptions()</c>,
/// computed from the <see cref="IHankoEventHandler{TEvent}"/> services, and logged when the host starts.
/// </summary>
/// <remarks>
/// <para>
/// Hanko sends an event to a hook when one of its subscriptions is a string prefix of the event name
/// (<c>strings.HasPrefix(evt, subscription)</c>), and the SDK's event types mirror that tree. So a handler of
/// <see cref="UserEvent"/> needs <c>user</c>; a handler of <see cref="HankoEvent"/> needs every top-level name
/// (<c>user</c>, <c>email.send</c>, <c>session</c>); handlers of <see cref="SessionDeleteEvent"/> and
/// <see cref="SessionCreateFlowEvent"/> need exactly <c>session.delete</c> and <c>session.create.flow</c>. A name another
/// name of the plan already covers is left out. Leaves are never folded into their group: that would subscribe to
/// future events of the group that no handler asked for.
/// </para>
/// <para>
/// A handler of <see cref="UnknownHankoEvent"/> adds nothing: no subscription name can ask for families this SDK does
/// not know (it still receives them when another subscription brings them).
/// </para>
/// </remarks>
public sealed class HankoWebhookSubscriptionPlan
{
    private HankoWebhookSubscriptionPlan(Type[] eventTypes, string[] events)
    {
        EventTypes = Array.AsReadOnly(eventTypes);
        Events = Array.AsReadOnly(events);
    }

    /// <summary>The event types the handlers are registered for, each once.</summary>
    public IReadOnlyList<Type> EventTypes { get; }

    /// <summary>The subscription names to send to Hanko, in ordinal order; empty when no handler is registered.</summary>
    public IReadOnlyList<string> Events { get; }

    /// <summary>Computes the plan for handlers of <paramref name="handledEventTypes"/>.</summary>
    /// <param name="handledEventTypes">The <c>TEvent</c> of every registered <see cref="IHankoEventHandler{TEvent}"/>.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="ArgumentException">A type is not <see cref="HankoEvent"/> or one of its SDK subclasses.</exception>
    public static HankoWebhookSubscriptionPlan ForEventTypes(IEnumerable<Type> handledEventTypes)
    {
        ArgumentNullException.ThrowIfNull(handledEventTypes);
        var types = handledEventTypes.Distinct().ToArray();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            // The core's one table of events: the name a type mirrors, every top-level name for HankoEvent, none for UnknownHankoEvent.
            names.UnionWith(HankoEventNames.SubscriptionsFor(type));
        }

        var minimal = names.Where(n => !names.Any(o => o != n && Covers(o, n))).Order(StringComparer.Ordinal).ToArray();
        return new HankoWebhookSubscriptionPlan(types, minimal);
    }

    /// <summary>Hanko's rule: a subscription delivers every event whose name starts with it (<c>strings.HasPrefix</c>).</summary>
    /// <param name="subscription">A subscription of a hook.</param>
    /// <param name="eventName">An event name, or another subscription name.</param>
    /// <returns>Whether Hanko sends <paramref name="eventName"/> to a hook subscribed to <paramref name="subscription"/>.</returns>
    internal static bool Covers(string subscription, string eventName)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(eventName);
        return eventName.StartsWith(subscription, StringComparison.Ordinal);
    }

    /// <summary>The names of this plan that <paramref name="subscriptions"/> do not deliver in full.</summary>
    /// <param name="subscriptions">A hook's subscriptions.</param>
    /// <returns>The missing names, in ordinal order; empty when the hook covers every handler.</returns>
    public IReadOnlyList<string> MissingFrom(IEnumerable<string> subscriptions)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        var held = subscriptions.ToArray();
        return [.. Events.Where(name => !held.Any(s => Covers(s, name)))];
    }

    /// <summary>The subscription names, comma-separated, or <c>(none)</c>.</summary>
    /// <returns>The names.</returns>
    public override string ToString() => Events.Count == 0 ? "(none)" : string.Join(", ", Events);
}
