using Hanko.Webhooks.Verification;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hanko.Webhooks;

/// <summary>
/// Creates an <see cref="IHankoWebhookVerifier"/> without dependency injection (with it, resolve
/// <see cref="IHankoWebhookVerifier"/>: <c>AddHankoWebhooks()</c> registers one per project).
/// </summary>
public static class HankoWebhookVerifier
{
    /// <summary>
    /// Creates a verifier that fetches the JWKS with <paramref name="httpClient"/>. Keep it for the life of the application:
    /// it holds the key cache.
    /// </summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="httpClient">The client used for the JWKS; it is not disposed.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Where to log; nowhere when <see langword="null"/>.</param>
    /// <returns>The verifier.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message says what to set.</exception>
    public static IHankoWebhookVerifier Create(HankoWebhookOptions options, HttpClient httpClient, TimeProvider? timeProvider = null, ILogger? logger = null) =>
        new WebhookVerifier(options, httpClient, timeProvider ?? TimeProvider.System, logger ?? NullLogger.Instance);
}
