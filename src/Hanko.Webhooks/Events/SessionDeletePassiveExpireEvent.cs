namespace Hanko.Webhooks;

/// <summary><c>session.delete.passive.expire</c>: the session idled out (fired lazily, when it is next presented).</summary>
public sealed class SessionDeletePassiveExpireEvent : SessionDeletePassiveEvent
{
    /// <summary>Creates an event named <see cref="HankoEventNames.SessionDeletePassiveExpire"/>, for example to unit-test a handler.</summary>
    public SessionDeletePassiveExpireEvent()
        : this(HankoEventNames.SessionDeletePassiveExpire)
    {
    }

    /// <summary>Creates an event with a name under this type's name (an event this SDK does not know yet).</summary>
    /// <param name="name">The event name from the signed <c>evt</c> claim.</param>
    internal SessionDeletePassiveExpireEvent(string name)
        : base(name)
    {
    }
}
