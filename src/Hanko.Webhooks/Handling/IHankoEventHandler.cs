namespace Hanko.Webhooks;

/// <summary>
/// Handles verified Hanko events of type <typeparamref name="TEvent"/> and of every type below it in Hanko's
/// subscription tree: a handler of <see cref="UserEvent"/> receives every <c>user.*</c> event, a handler of
/// <see cref="UserUpdateEvent"/> receives <c>user.update</c> and every <c>user.update.*</c> event.
/// </summary>
/// <typeparam name="TEvent">The event type, for example <see cref="EmailSendEvent"/> or <see cref="SessionEvent"/>.</typeparam>
/// <remarks>
/// Register with <c>services.AddHankoWebhooks().AddHandler&lt;THandler&gt;()</c> or directly in the service collection.
/// Each delivery runs in its own DI scope. Hanko does not retry and waits at most 10 seconds for the answer, so a
/// handler should be quick (or hand the work off durably). A handler that throws makes the delivery fail; the other
/// handlers still run.
/// </remarks>
public interface IHankoEventHandler<in TEvent>
    where TEvent : HankoEvent
{
    /// <summary>Handles one verified event.</summary>
    /// <param name="event">The event.</param>
    /// <param name="cancellationToken">Cancelled when the request is aborted or the host stops.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    Task HandleAsync(TEvent @event, CancellationToken cancellationToken);
}
