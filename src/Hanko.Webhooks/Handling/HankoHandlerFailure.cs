namespace Hanko.Webhooks;

/// <summary>A handler that threw while handling an event (read from <see cref="HankoDispatchResult.Failures"/>).</summary>
public sealed class HankoHandlerFailure
{
    internal HankoHandlerFailure(Type handlerType, Type eventType, Exception exception)
    {
        HandlerType = handlerType;
        EventType = eventType;
        Exception = exception;
    }

    /// <summary>The handler's class.</summary>
    public Type HandlerType { get; }

    /// <summary>The event type it was registered for (the <c>T</c> of <see cref="IHankoEventHandler{TEvent}"/>).</summary>
    public Type EventType { get; }

    /// <summary>What it threw.</summary>
    public Exception Exception { get; }
}
