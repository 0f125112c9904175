namespace Hanko.Webhooks;

/// <summary><c>session.delete.passive.limit</c>: the user's oldest session was evicted by the session limit.</summary>
public sealed class SessionDeletePassiveLimitEvent : SessionDeletePassiveEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.SessionDeletePassiveLimit"/>, for example to unit-test a handler.</summary>
    public SessionDeletePassiveLimitEvent()
        : this(HankoEventNames.SessionDeletePassiveLimit)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal SessionDeletePassiveLimitEvent(string name)
        : base(name)
    {
    }
}
