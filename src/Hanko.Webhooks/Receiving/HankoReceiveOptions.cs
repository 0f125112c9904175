namespace Hanko.Webhooks;

/// <summary>
/// Which deliveries one call of a receiver processes (an endpoint's event filter). Whether they are processed inline or
/// handed off is the project's: see <see cref="IHankoHandOff"/>. One instance can serve every request.
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
}
