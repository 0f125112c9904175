namespace Hanko.Webhooks;

/// <summary>
/// How a receiver processes the deliveries it is given: which events, and whether inline (the handlers run before the
/// answer) or handed off (to a queue or store, answered <c>202</c>). One instance can serve every request.
/// </summary>
public sealed class HankoReceiveOptions
{
    /// <summary>
    /// Which verified events this call processes. An event it returns <see langword="false"/> for is
    /// <see cref="HankoReceiveOutcome.Ignored"/>: acknowledged, neither claimed nor dispatched (so another endpoint that does
    /// accept it still processes the same token).
    /// </summary>
    /// <value>The default is <see langword="null"/>: every event.</value>
    public Func<HankoEvent, bool>? Accept { get; init; }

    /// <summary>
    /// Called with a verified, claimed event instead of the dispatcher (hand-off processing). Return
    /// <see cref="HankoHandOffResult.Accepted"/> when the event was taken (<see cref="HankoReceiveOutcome.HandedOff"/>, 202;
    /// the claim stays), <see cref="HankoHandOffResult.Declined"/> when it was not, for example a full queue
    /// (<see cref="HankoReceiveOutcome.HandOffDeclined"/>, 503; the claim is released). Process the event later with
    /// <see cref="IHankoWebhookReceiver.ProcessHandedOffAsync"/>.
    /// </summary>
    /// <value>The default is <see langword="null"/>: dispatch to the handlers inline.</value>
    public Func<HankoEvent, CancellationToken, ValueTask<HankoHandOffResult>>? HandOff { get; init; }
}
