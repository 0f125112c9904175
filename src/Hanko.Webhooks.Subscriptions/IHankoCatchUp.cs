namespace Hanko.Webhooks;

/// <summary>
/// Catches up what Hanko could not deliver in a window (the app was down, or Hanko had disabled the hook): reads Hanko's
/// audit log for the window (every page; only the entry types that change a user) and the users created in it
/// (<c>GET /users</c>, for a self-hosted Hanko that stores no audit log), and hands each of those users over once, as a
/// <see cref="UserCatchUpEvent"/> with the user as Hanko has it now (or deleted), through the same path as a webhook.
/// Registered by <c>AddSubscriptions()</c> (keyed by the project's name for a named project). See docs/catch-up.md.
/// </summary>
/// <remarks>
/// Admin API requests are paced to <see cref="HankoWebhookSubscriptionOptions.CatchUpRequestsPerSecond"/>. Running the same
/// window again (after a failure, or on another instance) hands nobody over twice while the claims last (seven days).
/// <c>email.send</c> and session events are not caught up: they are bound to their moment.
/// </remarks>
public interface IHankoCatchUp
{
    /// <summary>Catches up the window from <paramref name="windowStart"/> to <paramref name="windowEnd"/>, both exclusive (named as <see cref="HankoCatchUpResult"/> and <c>UserCatchUpEvent</c> report it).</summary>
    /// <param name="windowStart">The start of the window (exclusive).</param>
    /// <param name="windowEnd">The end of the window (exclusive); not in the future, at most 30 days after <paramref name="windowStart"/>.</param>
    /// <param name="cancellationToken">Stops the run between requests; users handed over so far stay handed over.</param>
    /// <returns>What was found and handed over.</returns>
    /// <exception cref="ArgumentException">The window is empty, ends in the future, or is longer than 30 days.</exception>
    /// <exception cref="HankoAdminApiException">The Admin API failed; the message says where in the window. Run the same window again.</exception>
    Task<HankoCatchUpResult> RunAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken = default);
}
