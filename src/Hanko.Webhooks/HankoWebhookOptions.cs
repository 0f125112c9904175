namespace Hanko.Webhooks;

/// <summary>
/// How Hanko webhooks are verified. Bound from the configuration section <c>Hanko:Webhooks</c> by
/// <c>services.AddHankoWebhooks()</c>; validated when the host starts.
/// </summary>
/// <remarks>
/// Set exactly one key source: <see cref="TenantId"/> (Hanko Cloud), <see cref="ApiUrl"/> (self-hosted) or
/// <see cref="JwksUrl"/>. Set <see cref="Audience"/> too: without it any token Hanko signed for any audience is accepted.
/// </remarks>
public sealed class HankoWebhookOptions
{
    /// <summary>The configuration section <c>AddHankoWebhooks()</c> binds: <c>Hanko:Webhooks</c>.</summary>
    public const string SectionName = "Hanko:Webhooks";

    /// <summary>
    /// The name of the <see cref="HttpClient"/> the unnamed project's JWKS is fetched with (configure it with
    /// <c>services.AddHttpClient(name)</c>). A named project has its own: <see cref="GetHttpClientName"/>.
    /// </summary>
    public const string HttpClientName = "Hanko.Webhooks.Jwks";

    /// <summary>
    /// The name of the <see cref="HttpClient"/> a project's JWKS is fetched with: <see cref="HttpClientName"/> for the unnamed
    /// project, <c>Hanko.Webhooks.Jwks:{project}</c> for a named one. Each project has its own client, so that what is
    /// configured for one project's keys (a proxy, a handler) never serves another project's.
    /// </summary>
    /// <param name="project">The project's name, as given to <c>AddHankoWebhooks(project)</c>; <see langword="null"/> for the unnamed project.</param>
    /// <returns>The name to pass to <c>services.AddHttpClient(name)</c>.</returns>
    public static string GetHttpClientName(string? project) =>
        string.IsNullOrEmpty(project) ? HttpClientName : HttpClientName + ":" + project;

    /// <summary>
    /// The Hanko Cloud tenant (project) id. The keys are then read from
    /// <c>https://{TenantId}.hanko.io/.well-known/jwks.json</c>.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? TenantId { get; set; }

    /// <summary>
    /// The base URL of a Hanko public API (self-hosted, or a Hanko Cloud custom domain), for example
    /// <c>https://auth.example.com</c> or, for a multi-tenant server, <c>https://auth.example.com/{tenant_id}</c>.
    /// The keys are then read from <c>{ApiUrl}/.well-known/jwks.json</c>.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? ApiUrl { get; set; }

    /// <summary>The full URL of the JWKS, when it is neither of the above.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? JwksUrl { get; set; }

    /// <summary>
    /// The audience the token's <c>aud</c> claim must contain: the Hanko project's <c>session.audience</c>, or when that
    /// is unset its WebAuthn relying-party id (for example <c>example.com</c>). Strongly recommended; a warning is
    /// logged at start when it is not set.
    /// </summary>
    /// <value>The default is <see langword="null"/> (the audience is not checked).</value>
    public string? Audience { get; set; }

    /// <summary>
    /// The signature algorithms accepted. Hanko signs with <c>RS256</c> only. Only RSA algorithms (<c>RS256</c>,
    /// <c>RS384</c>, <c>RS512</c>, <c>PS256</c>, <c>PS384</c>, <c>PS512</c>) may be listed; <c>none</c> and HMAC are never accepted.
    /// </summary>
    /// <value>The default is <see langword="null"/>, which means <c>RS256</c> only.</value>
    public IList<string>? AllowedAlgorithms { get; set; }

    /// <summary>
    /// The longest token lifetime accepted: <c>exp − iat</c>, or <c>exp − now</c> when the token has no <c>iat</c>. Hanko
    /// mints webhook tokens that live 5 minutes; a longer-lived token is refused as <see cref="HankoWebhookFailure.NotWebhookToken"/>.
    /// </summary>
    /// <value>The default is 15 minutes; between 5 minutes and 1 day.</value>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How far the clocks of Hanko and this host may differ when <c>exp</c> and <c>iat</c> are checked.</summary>
    /// <value>The default is 30 seconds (Hanko tokens live 5 minutes; IdentityModel's usual 5 minutes would double that).</value>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether the JWKS URL must use HTTPS. Plain <c>http</c> to a loopback host (<c>localhost</c>, <c>127.0.0.1</c>,
    /// <c>::1</c>) is always allowed, with a warning at start. Turn this off only for a trusted private network.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool RequireHttpsJwks { get; set; } = true;

    /// <summary>How long fetched keys are used before they are fetched again, when the JWKS response has no <c>Cache-Control: max-age</c>.</summary>
    /// <value>The default is 10 minutes (Hanko sends <c>max-age=600</c>).</value>
    public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The shortest refresh interval taken from a <c>Cache-Control: max-age</c> header.</summary>
    /// <value>The default is 1 minute.</value>
    public TimeSpan JwksMinimumRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest refresh interval taken from a <c>Cache-Control: max-age</c> header.</summary>
    /// <value>The default is 24 hours.</value>
    public TimeSpan JwksMaximumRefreshInterval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// The least time between two JWKS fetches of any kind (start-up, scheduled refresh, unknown <c>kid</c>, retry).
    /// A delivery whose <c>kid</c> is unknown waits for the next allowed fetch (at most 5 seconds from its arrival, fetch
    /// included) and shares it with every other such delivery, so a key rotation at any moment loses nothing; a <c>kid</c>
    /// that a fetch made after it was first seen did not contain is then refused at once, without a fetch. A flood of
    /// forged key ids therefore causes at most one fetch per this interval.
    /// </summary>
    /// <value>
    /// The default is 2 seconds. Above 5 seconds, a delivery with a new <c>kid</c> that arrives just after a fetch is
    /// refused instead of waiting (it could not be answered in time).
    /// </value>
    public TimeSpan JwksRefetchCooldown { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one JWKS request may take (Hanko waits 10 seconds for your answer).</summary>
    /// <value>The default is 5 seconds.</value>
    public TimeSpan JwksFetchTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether the JWKS is fetched while the host starts, so that the first delivery does not wait for it.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool FetchKeysOnStart { get; set; } = true;

    /// <summary>The largest request body accepted, in bytes. Hanko bodies are a few kilobytes.</summary>
    /// <value>The default is 1 MiB.</value>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Whether a delivery whose token was already received (the same bytes posted twice: a callback URL registered twice,
    /// a forwarded copy) is acknowledged without being dispatched again. Deliveries are recognised by
    /// <see cref="HankoEvent.DeliveryId"/>, remembered until the token expires (plus <see cref="ClockSkew"/>) in the
    /// application's <c>IDistributedCache</c>: the in-memory one unless another (Redis, for several instances) is registered.
    /// Used by <see cref="IHankoWebhookReceiver"/> and the ASP.NET Core endpoint; <see cref="IHankoWebhookVerifier"/> alone never dedupes.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ReplayProtection { get; set; } = true;

    /// <summary>What happens to a verified delivery when the replay cache throws or times out.</summary>
    /// <value>The default is <see cref="HankoReplayCacheFailureMode.FailOpen"/>: dispatch, so that no event is lost.</value>
    public HankoReplayCacheFailureMode ReplayCacheFailureMode { get; set; } = HankoReplayCacheFailureMode.FailOpen;

    /// <summary>How long one replay-cache operation may take before it counts as a cache failure (Hanko waits 10 seconds for the answer).</summary>
    /// <value>The default is 2 seconds.</value>
    public TimeSpan ReplayCacheTimeout { get; set; } = TimeSpan.FromSeconds(2);

    internal const string DefaultAlgorithm = "RS256";

    /// <summary>The JWKS URL derived by <see cref="HankoWebhookOptionsPostConfigure"/>; <see langword="null"/> before it ran.</summary>
    internal JwksSource? JwksSource { get; set; }
}
