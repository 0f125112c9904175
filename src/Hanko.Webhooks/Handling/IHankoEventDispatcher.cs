namespace Hanko.Webhooks;

/// <summary>Runs the registered <see cref="IHankoEventHandler{TEvent}"/> handlers for a verified event.</summary>
public interface IHankoEventDispatcher
{
    /// <summary>
    /// Runs, in a new DI scope, every handler whose event type is the event's type or a base of it: the most specific
    /// type first, then in registration order. A handler that throws does not stop the others.
    /// </summary>
    /// <param name="event">The verified event.</param>
    /// <param name="cancellationToken">Passed to every handler.</param>
    /// <returns>What ran and what failed. No handler at all is not a failure.</returns>
    Task<HankoDispatchResult> DispatchAsync(HankoEvent @event, CancellationToken cancellationToken = default);
}
