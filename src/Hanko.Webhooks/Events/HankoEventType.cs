namespace Hanko.Webhooks;

/// <summary>
/// An event type of the event table as a generic argument: a layer above the events (Handling's handler slots) builds one
/// closed generic per type through <see cref="Accept{TResult}"/>, without reflection (trimming and AOT safe) and without the
/// events knowing it.
/// </summary>
internal abstract class HankoEventType
{
    private protected HankoEventType()
    {
    }

    /// <summary>The event's .NET type.</summary>
    public abstract Type Type { get; }

    /// <summary>The type of <typeparamref name="TEvent"/>.</summary>
    public static HankoEventType Of<TEvent>()
        where TEvent : HankoEvent => Typed<TEvent>.Instance;

    /// <summary>Calls <paramref name="visitor"/> with this type as its generic argument.</summary>
    public abstract TResult Accept<TResult>(IHankoEventTypeVisitor<TResult> visitor);

    private sealed class Typed<TEvent> : HankoEventType
        where TEvent : HankoEvent
    {
        public static readonly Typed<TEvent> Instance = new();

        public override Type Type => typeof(TEvent);

        public override TResult Accept<TResult>(IHankoEventTypeVisitor<TResult> visitor) => visitor.Visit<TEvent>();
    }
}
