namespace Hanko.Webhooks;

/// <summary>
/// The webhook routes of Hanko's Admin API (<c>/webhooks</c>). Registered by <c>AddSubscriptions()</c>; each call is one
/// HTTP request through the named client <see cref="HankoWebhookSubscriptionOptions.HttpClientName"/>.
/// </summary>
/// <remarks>
/// Every failure is a <see cref="HankoAdminApiException"/> carrying Hanko's <c>code</c> and <c>message</c> (or why the
/// server could not be reached); an exception message never holds the API key. Cancelling the token cancels the request.
/// </remarks>
public interface IHankoWebhookSubscriptions
{
    /// <summary><c>GET /webhooks</c>: every hook, including disabled ones and the configuration file's.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The hooks.</returns>
    Task<HankoWebhookSubscriptionList> ListAsync(CancellationToken cancellationToken = default);

    /// <summary><c>GET /webhooks/{id}</c>.</summary>
    /// <param name="id">The hook's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The hook, or <see langword="null"/> when Hanko answers 404.</returns>
    Task<HankoWebhookSubscription?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary><c>POST /webhooks</c>: a new hook, enabled, with <c>failures</c> 0 and <c>expires_at</c> 30 days ahead.</summary>
    /// <param name="callback">The URL Hanko delivers to.</param>
    /// <param name="events">At least one subscription (event name or group prefix) this Hanko version knows.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The hook Hanko created.</returns>
    Task<HankoWebhookSubscription> CreateAsync(string callback, IEnumerable<string> events, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>PUT /webhooks/{id}</c>: replaces the callback and the whole event set. Hanko also resets <c>failures</c> to 0 and
    /// <c>expires_at</c> to 30 days ahead. Hanko's validation requires <c>enabled</c> to be <see langword="true"/> (its
    /// <c>required</c> rule refuses <see langword="false"/>), so a hook cannot be disabled this way; delete it instead.
    /// </summary>
    /// <param name="id">The hook's id.</param>
    /// <param name="callback">The URL Hanko delivers to.</param>
    /// <param name="events">The complete new event set.</param>
    /// <param name="enabled">Whether the hook is enabled.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The hook as Hanko answered. Older Hanko versions answered with the new events without storing them; read it back with <see cref="GetAsync"/> to be sure.</returns>
    Task<HankoWebhookSubscription> UpdateAsync(Guid id, string callback, IEnumerable<string> events, bool enabled = true, CancellationToken cancellationToken = default);

    /// <summary><c>DELETE /webhooks/{id}</c>.</summary>
    /// <param name="id">The hook's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns><see langword="true"/> when deleted; <see langword="false"/> when Hanko answers 404 (already gone).</returns>
    Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken = default);
}
