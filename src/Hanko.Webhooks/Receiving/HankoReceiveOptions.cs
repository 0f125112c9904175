namespace Hanko.Webhooks;

/// <summary>Per-call choices for <see cref="IHankoWebhookReceiver.ReceiveAsync(ReadOnlyMemory{byte}, HankoReceiveOptions, CancellationToken)"/>.</summary>
public sealed class HankoReceiveOptions
{
    /// <summary>
    /// Which verified events this call processes. An event it returns <see langword="false"/> for is
    /// <see cref="HankoReceiveStatus.Ignored"/>: acknowledged, neither claimed nor dispatched (so another endpoint that does
    /// accept it still processes the same token).
    /// </summary>
    /// <value>The default is <see langword="null"/>: every event.</value>
    public Func<HankoEvent, bool>? Accept { get; init; }

    /// <summary>
    /// Called with a verified, claimed event instead of the dispatcher. Return <see langword="true"/> when the event was
    /// taken (<see cref="HankoReceiveStatus.HandedOff"/>; the claim stays), <see langword="false"/> when it was not, for
    /// example a full queue (<see cref="HankoReceiveStatus.HandOffDeclined"/>; the claim is released).
    /// </summary>
    /// <value>The default is <see langword="null"/>: dispatch to the handlers inline.</value>
    public Func<HankoEvent, bool>? HandOff { get; init; }
}
