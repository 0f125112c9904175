namespace Hanko.Webhooks;

/// <summary>A handler that threw while handling an event.</summary>
/// <param name="HandlerType">The handler's class.</param>
/// <param name="EventType">The event type it was registered for (the <c>T</c> of <see cref="IHankoEventHandler{TEvent}"/>).</param>
/// <param name="Exception">What it threw.</param>
public sealed record HankoHandlerFailure(Type HandlerType, Type EventType, Exception Exception);
