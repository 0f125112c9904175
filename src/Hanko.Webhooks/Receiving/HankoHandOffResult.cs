namespace Hanko.Webhooks;

/// <summary>
/// What the project's <see cref="IHankoHandOff"/> (an in-memory queue, a durable store, your own) did with a verified
/// delivery: took it, found it already taken, or declined it with a reason.
/// </summary>
public sealed class HankoHandOffResult
{
    private static readonly HankoHandOffResult AcceptedResult = new(1, null, null);
    private static readonly HankoHandOffResult DuplicateResult = new(2, null, null);

    private readonly byte _kind; // 1 accepted, 2 duplicate, 3 declined

    private HankoHandOffResult(byte kind, string? title, string? detail)
    {
        _kind = kind;
        DeclinedTitle = title;
        DeclinedDetail = detail;
    }

    /// <summary>The event was taken (stored, queued): answered <c>202</c> (<see cref="HankoReceiveOutcome.Accepted"/>), the replay claim stays.</summary>
    public static HankoHandOffResult Accepted => AcceptedResult;

    /// <summary>
    /// The event was already taken, here or by another instance (a durable store that claims atomically with storing):
    /// acknowledged with <c>200</c> as a duplicate, nothing is stored again.
    /// </summary>
    public static HankoHandOffResult Duplicate => DuplicateResult;

    /// <summary>Whether the event was taken.</summary>
    public bool IsAccepted => _kind == 1;

    /// <summary>Whether the event had already been taken.</summary>
    public bool IsDuplicate => _kind == 2;

    /// <summary>The problem title of a declined hand-off (for example <c>QueueFull</c>); <see langword="null"/> otherwise.</summary>
    public string? DeclinedTitle { get; }

    /// <summary>The problem detail of a declined hand-off; <see langword="null"/> otherwise.</summary>
    public string? DeclinedDetail { get; }

    /// <summary>
    /// The event was not taken: answered <c>503</c> (Hanko records a failure rather than the event vanishing), and the
    /// receiver's claim, if it took one, is released.
    /// </summary>
    /// <param name="title">A short name for the reason, such as <c>QueueFull</c> or <c>StoreUnavailable</c>; it becomes the problem title.</param>
    /// <param name="detail">A sentence for the problem detail; never the payload.</param>
    /// <returns>The result.</returns>
    public static HankoHandOffResult Declined(string title, string detail)
    {
        ArgumentException.ThrowIfNullOrEmpty(title);
        ArgumentException.ThrowIfNullOrEmpty(detail);
        return new(3, title, detail);
    }
}
