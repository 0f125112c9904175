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

    /// <summary>
    /// Like <see cref="DispatchAsync(HankoEvent, CancellationToken)"/>, for the given attempt at the delivery (from 1), which the
    /// handlers read from <see cref="HankoDeliveryContext.Attempt"/>: the one way back in for a handed-off delivery
    /// (<see cref="IHankoWebhookReceiver.ProcessHandedOffAsync"/>) passes it. A dispatcher that does not override this ignores
    /// the attempt, so a decorator of the dispatcher must implement it and pass the attempt on.
    /// </summary>
    /// <param name="event">The verified event.</param>
    /// <param name="attempt">Which attempt this is, from 1.</param>
    /// <param name="cancellationToken">Passed to every handler.</param>
    /// <returns>What ran and what failed.</returns>
    Task<HankoDispatchResult> DispatchAsync(HankoEvent @event, int attempt, CancellationToken cancellationToken) => DispatchAsync(@event, cancellationToken);
}
