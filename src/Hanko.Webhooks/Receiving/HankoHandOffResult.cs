namespace Hanko.Webhooks;

/// <summary>What a <see cref="HankoReceiveOptions.HandOff"/> did with a verified event: took it, or declined it with a reason.</summary>
public readonly struct HankoHandOffResult
{
    private HankoHandOffResult(bool accepted, string? title, string? detail)
    {
        IsAccepted = accepted;
        DeclinedTitle = title;
        DeclinedDetail = detail;
    }

    /// <summary>The event was taken (stored, queued): answered <c>202</c>, the replay claim stays.</summary>
    public static HankoHandOffResult Accepted => new(true, null, null);

    /// <summary>Whether the event was taken.</summary>
    public bool IsAccepted { get; }

    /// <summary>The problem title of a declined hand-off (for example <c>QueueFull</c>); <see langword="null"/> when accepted.</summary>
    public string? DeclinedTitle { get; }

    /// <summary>The problem detail of a declined hand-off; <see langword="null"/> when accepted.</summary>
    public string? DeclinedDetail { get; }

    /// <summary>The event was not taken: answered <c>503</c> (Hanko records a failure rather than the event vanishing), the claim is released.</summary>
    /// <param name="title">A short name for the reason, such as <c>QueueFull</c>; it becomes the problem title.</param>
    /// <param name="detail">A sentence for the problem detail; never the payload.</param>
    /// <returns>The result.</returns>
    public static HankoHandOffResult Declined(string title, string detail)
    {
        ArgumentException.ThrowIfNullOrEmpty(title);
        ArgumentException.ThrowIfNullOrEmpty(detail);
        return new(false, title, detail);
    }
}
