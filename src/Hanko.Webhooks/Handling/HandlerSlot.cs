using Microsoft.Extensions.DependencyInjection;

namespace Hanko.Webhooks.Handling;

/// <summary>
/// Resolves and calls the <see cref="IHankoEventHandler{TEvent}"/> services of one event type. One closed generic
/// per event type of the event table is built ahead of time, so dispatch needs no reflection (trimming and AOT safe).
/// </summary>
internal abstract class HandlerSlot
{
    // One slot per event type of the event table (HankoEventCatalog), built ahead of time.
    // Lazily: the table's rows create slots with For<T>() while the table is initialized.
    private static Dictionary<Type, HandlerSlot>? _slots;

    private static Dictionary<Type, HandlerSlot> Slots => _slots ??= HankoEventCatalog.Slots.ToDictionary(s => s.EventType);

    /// <summary>The slot of <typeparamref name="TEvent"/>; the event table creates one per declared type.</summary>
    public static HandlerSlot For<TEvent>()
        where TEvent : HankoEvent => new Slot<TEvent>();

    public abstract Type EventType { get; }

    /// <summary>The handler contract, <c>IHankoEventHandler&lt;EventType&gt;</c>.</summary>
    public abstract Type ServiceType { get; }

    /// <summary>The slots of <paramref name="eventType"/> and its base types, most specific first.</summary>
    public static HandlerSlot[] ChainFor(Type eventType)
    {
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

    public abstract IEnumerable<object> Resolve(IServiceProvider services);

    public abstract Task InvokeAsync(object handler, HankoEvent @event, CancellationToken cancellationToken);

    private sealed class Slot<TEvent> : HandlerSlot
        where TEvent : HankoEvent
    {
        public override Type EventType => typeof(TEvent);

        public override Type ServiceType => typeof(IHankoEventHandler<TEvent>);

        public override IEnumerable<object> Resolve(IServiceProvider services) =>
            services.GetServices<IHankoEventHandler<TEvent>>()!;

        public override Task InvokeAsync(object handler, HankoEvent @event, CancellationToken cancellationToken) =>
            ((IHankoEventHandler<TEvent>)handler).HandleAsync((TEvent)@event, cancellationToken)
            ?? throw new InvalidOperationException($"{handler.GetType().Name}.HandleAsync returned null instead of a Task.");
    }
}
