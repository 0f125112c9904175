namespace Hanko.Webhooks;

/// <summary>Builds something for one event type, given as a generic argument (see <see cref="HankoEventType.Accept{TResult}"/>).</summary>
/// <typeparam name="TResult">What is built.</typeparam>
internal interface IHankoEventTypeVisitor<out TResult>
{
    /// <summary>Builds the result for <typeparamref name="TEvent"/>.</summary>
    TResult Visit<TEvent>()
        where TEvent : HankoEvent;
}
