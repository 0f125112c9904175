namespace Hanko.Webhooks.AspNetCore.Internal;

/// <summary>The event filter of one endpoint, checked once at mapping time from <see cref="HankoWebhookEndpointOptions"/>.</summary>
internal sealed class HankoEventFilter
{
    private readonly string[] _names;
    private readonly Type[] _types;

    private HankoEventFilter(string[] names, Type[] types)
    {
        _names = names;
        _types = types;
    }

    /// <summary>Whether every event passes (no filter was set).</summary>
    public bool IsEmpty => _names.Length == 0 && _types.Length == 0;

    /// <summary>Checks the options of the endpoint mapped at <paramref name="pattern"/> and builds its filter.</summary>
    /// <exception cref="ArgumentException">A name is not a Hanko event or group (the message lists the nearest known names).</exception>
    public static HankoEventFilter Create(HankoWebhookEndpointOptions options, string pattern)
    {
        foreach (var name in options.Events)
        {
            if (string.IsNullOrWhiteSpace(name) || name.StartsWith('.') || name.EndsWith('.'))
            {
                throw new ArgumentException($"AcceptEvents was given \"{name}\"; give event or group names such as \"user\" or \"session.create.flow\".", nameof(options));
            }
        }

        // A name Hanko never sends would make the endpoint answer every delivery 200 and dispatch none: refuse it here.
        var unknown = options.Events.Where(n => !EventNameCheck.IsKnown(n)).Distinct(StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException(
                $"The event filter of the Hanko webhook endpoint {pattern} names {(unknown.Length == 1 ? "an event" : "events")} Hanko does not have: "
                + string.Join("; ", unknown.Select(EventNameCheck.Describe))
                + ". An event outside the filter is answered 200 and never dispatched, so the endpoint would lose every event it should take. "
                + "Give names from HankoEventNames (an event or a group of events, such as \"user\", \"user.update\" or \"session.delete\"), "
                + "or types with AcceptEvent<TEvent>().",
                nameof(options));
        }

        // Types need no check: AcceptEvent<TEvent> only takes HankoEvent types.
        return new HankoEventFilter([.. options.Events.Distinct(StringComparer.Ordinal)], [.. options.EventTypes.Distinct()]);
    }

    public bool Accepts(HankoEvent @event)
    {
        if (IsEmpty)
        {
            return true;
        }

        var name = @event.Name;
        foreach (var filter in _names)
        {
            if (name.StartsWith(filter, StringComparison.Ordinal) && (name.Length == filter.Length || name[filter.Length] == '.'))
            {
                return true;
            }
        }

        foreach (var type in _types)
        {
            if (type.IsInstanceOfType(@event))
            {
                return true;
            }
        }

        return false;
    }
}
