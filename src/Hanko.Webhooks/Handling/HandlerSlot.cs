using Microsoft.Extensions.DependencyInjection;

namespace Hanko.Webhooks.Handling;

/// <summary>
/// Resolves and calls the <see cref="IHankoEventHandler{TEvent}"/> services of one event type. One closed generic
/// per event type of the event table is built ahead of time, so dispatch needs no reflection (trimming and AOT safe).
/// </summary>
internal abstract class HandlerSlot
{
    // One slot per event type of the event table (HankoEventCatalog.EventTypes), built ahead of time.
    private static readonly Dictionary<Type, HandlerSlot> Slots =
        HankoEventCatalog.EventTypes.Select(t => t.Accept(SlotBuilder.Instance)).ToDictionary(s => s.EventType);

    public abstract Type EventType { get; }

    /// <summary>The handler contract, <c>IHankoEventHandler&lt;EventType&gt;</c>.</summary>
    public abstract Type ServiceType { get; }

    /// <summary>
    /// The slots of <paramref name="eventType"/> and its base types, most specific first. One of the SDK's own events
    /// (<see cref="UserCatchUpEvent"/>) is outside Hanko's tree: its chain is its own slot alone, so handlers of
    /// <see cref="HankoEvent"/> (every event Hanko sends) never receive it.
    /// </summary>
    public static HandlerSlot[] ChainFor(Type eventType)
    {
        if (HankoEventCatalog.IsSdkEvent(eventType))
        {
            return [Slots[eventType]];
        }

        var chain = new List<HandlerSlot>();
        for (var type = eventType; type is not null && type != typeof(object); type = type.BaseType)
        {
            if (Slots.TryGetValue(type, out var slot))
            {
                chain.Add(slot);
            }
        }

        return [.. chain];
    }

    /// <summary>
    /// The handlers for an event of <paramref name="project"/>: the shared ones (plain services) and, for a named project, its
    /// own (keyed services, key = the project name).
    /// </summary>
    public abstract IEnumerable<object> Resolve(IServiceProvider services, string? project);

    public abstract Task InvokeAsync(object handler, HankoEvent @event, CancellationToken cancellationToken);

    /// <summary>Builds the slot of one event type of the table, with the type as a generic argument (no reflection).</summary>
    private sealed class SlotBuilder : IHankoEventTypeVisitor<HandlerSlot>
    {
        public static readonly SlotBuilder Instance = new();

        public HandlerSlot Visit<TEvent>()
            where TEvent : HankoEvent => new Slot<TEvent>();
    }

    private sealed class Slot<TEvent> : HandlerSlot
        where TEvent : HankoEvent
    {
        public override Type EventType => typeof(TEvent);

        public override Type ServiceType => typeof(IHankoEventHandler<TEvent>);

        public override IEnumerable<object> Resolve(IServiceProvider services, string? project)
        {
            var shared = services.GetServices<IHankoEventHandler<TEvent>>()!;
            if (project is null)
            {
                return shared;
            }

            // A handler both shared and added to the project runs once, as the shared one.
            var all = new List<object>(shared);
            foreach (var own in services.GetKeyedServices<IHankoEventHandler<TEvent>>(project))
            {
                if (!all.Exists(h => h.GetType() == own!.GetType()))
                {
                    all.Add(own!);
                }
            }

            return all;
        }

        public override Task InvokeAsync(object handler, HankoEvent @event, CancellationToken cancellationToken) =>
            ((IHankoEventHandler<TEvent>)handler).HandleAsync((TEvent)@event, cancellationToken)
            ?? throw new InvalidOperationException($"{handler.GetType().Name}.HandleAsync returned null instead of a Task.");
    }
}
