namespace Hanko.Webhooks;

/// <summary>
/// Settings of one endpoint mapped with <c>app.MapHankoWebhooks(pattern, configure)</c>: which events it dispatches, so that
/// one application can take each Hanko subscription on its own path. Add names with <see cref="AcceptEvents"/> and types with
/// <see cref="AcceptEvent{TEvent}"/>; an event passes when it matches any of them.
/// </summary>
/// <remarks>
/// A verified event that passes no filter is acknowledged with <c>200 OK</c> and not dispatched: Hanko would otherwise count a
/// failure and, after six in a row, disable the hook. The first such delivery of each event name is logged as a warning
/// (event id 117), later ones at Debug (106). With no filter at all, every event is dispatched.
/// </remarks>
public sealed class HankoWebhookEndpointOptions
{
    /// <summary>The names given to <see cref="AcceptEvents"/>, checked by <c>MapHankoWebhooks</c>.</summary>
    internal List<string> Events { get; } = [];

    /// <summary>The types given to <see cref="AcceptEvent{TEvent}"/>.</summary>
    internal List<Type> EventTypes { get; } = [];

    /// <summary>
    /// Lets event names or group names through, such as <c>user</c>, <c>user.update.email</c> or <c>session.create.flow</c>
    /// (see <see cref="HankoEventNames"/>). As with a Hanko subscription, a group name matches itself and every name below it;
    /// unlike Hanko's plain string prefix, the match stops at dots (<c>user</c> does not match a hypothetical <c>username.x</c>).
    /// A name that is neither a Hanko event nor a group of events (<see cref="HankoEventNames.All"/>) makes
    /// <c>MapHankoWebhooks</c> throw, naming the nearest known names.
    /// </summary>
    /// <param name="eventNames">Names such as <see cref="HankoEventNames.User"/> or <see cref="HankoEventNames.EmailSend"/>.</param>
    /// <returns>These options.</returns>
    public HankoWebhookEndpointOptions AcceptEvents(params string[] eventNames)
    {
        ArgumentNullException.ThrowIfNull(eventNames);
        foreach (var name in eventNames)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name, nameof(eventNames));
            Events.Add(name);
        }

        return this;
    }

    /// <summary>
    /// Lets events of <typeparamref name="TEvent"/> or a type below it through (<see cref="UserEvent"/> passes every
    /// <c>user.*</c> event, including a name newer than this SDK).
    /// </summary>
    /// <typeparam name="TEvent">An event type such as <see cref="SessionEvent"/> or <see cref="EmailSendEvent"/>.</typeparam>
    /// <returns>These options.</returns>
    public HankoWebhookEndpointOptions AcceptEvent<TEvent>()
        where TEvent : HankoEvent
    {
        EventTypes.Add(typeof(TEvent));
        return this;
    }
}
