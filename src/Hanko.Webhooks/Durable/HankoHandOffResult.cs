namespace Hanko.Webhooks;

/// <summary>The outcome of <see cref="IHankoDurableHandOff.HandOffAsync"/>.</summary>
public enum HankoHandOffResult
{
    /// <summary>Claimed and stored: it will be processed (or, when unprocessable, kept in the dead letters).</summary>
    Stored = 0,

    /// <summary>The delivery was already claimed (received before, here or by another instance); nothing was stored.</summary>
    Duplicate,

    /// <summary>The store could not be reached or refused the write; nothing was stored or claimed (the endpoint answers <c>503</c>).</summary>
    Unavailable,
}
