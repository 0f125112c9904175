namespace Hanko.Webhooks;

/// <summary>What happened when the handlers of one event ran.</summary>
public sealed class HankoDispatchResult
{
    internal HankoDispatchResult(HankoEvent @event, int handlerCount, IReadOnlyList<HankoHandlerFailure> failures)
    {
        Event = @event;
        HandlerCount = handlerCount;
        Failures = failures;
    }

    /// <summary>The event that was dispatched.</summary>
    public HankoEvent Event { get; }

    /// <summary>How many handlers ran (including those that failed). Zero means no handler is registered for the event.</summary>
    public int HandlerCount { get; }

    /// <summary>The handlers that threw, in the order they ran.</summary>
    public IReadOnlyList<HankoHandlerFailure> Failures { get; }

    /// <summary>Whether every handler succeeded (also true when there was none).</summary>
    public bool Succeeded => Failures.Count == 0;

    /// <summary>Throws an <see cref="AggregateException"/> with every handler's exception when any failed.</summary>
    /// <exception cref="AggregateException">At least one handler failed.</exception>
    public void ThrowIfFailed()
    {
        if (!Succeeded)
        {
            throw new AggregateException(
                $"{Failures.Count} handler(s) failed for Hanko event {Event.Name}.",
                Failures.Select(f => f.Exception));
        }
    }
}
