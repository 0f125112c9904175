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

    /// <summary>How far the clocks of Hanko and this host may differ when <c>exp</c> and <c>iat</c> are checked.</summary>
    /// <value>The default is 30 seconds (Hanko tokens live 5 minutes; IdentityModel's usual 5 minutes would double that).</value>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether the JWKS URL must use HTTPS. Plain <c>http</c> to a loopback host (<c>localhost</c>, <c>127.0.0.1</c>,
    /// <c>::1</c>) is always allowed, with a warning at start. Turn this off only for a trusted private network.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool RequireHttpsJwks { get; set; } = true;

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

    // Fixed in 1.0 (see docs/design.md): not configuration. Only the SDK's own tests and benchmarks change them.

    /// <summary>The signature algorithms accepted: <c>RS256</c> (what Hanko signs with); the key's own <c>alg</c> must match.</summary>
    internal IList<string>? AllowedAlgorithms { get; set; }

    /// <summary>The longest token lifetime accepted; Hanko's tokens live 5 minutes, a longer one is <see cref="HankoWebhookFailure.NotWebhookToken"/>.</summary>
    internal TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long fetched keys are used when the JWKS response has no <c>Cache-Control: max-age</c> (Hanko sends 600 s).</summary>
    internal TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The shortest refresh interval taken from <c>max-age</c>.</summary>
    internal TimeSpan JwksMinimumRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest refresh interval taken from <c>max-age</c>.</summary>
    internal TimeSpan JwksMaximumRefreshInterval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long one JWKS request may take: well inside the 10 seconds Hanko waits for an answer.</summary>
    internal TimeSpan JwksFetchTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one replay-cache operation may take before it counts as a cache failure.</summary>
    internal TimeSpan ReplayCacheTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Configuration paths of settings that 0.x read and 1.0 does not (logged as a warning at start).</summary>
    internal List<string> IgnoredKeys { get; } = [];

    internal const string DefaultAlgorithm = "RS256";

    /// <summary>The JWKS URL derived by <see cref="HankoWebhookOptionsPostConfigure"/>; <see langword="null"/> before it ran.</summary>
    internal JwksSource? JwksSource { get; set; }
}
