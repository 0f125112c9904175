namespace Hanko.Webhooks;

/// <summary>
/// How the webhook's own subscription on Hanko's side is managed and watched through Hanko's Admin API. Bound from the
/// configuration section <c>Hanko:Webhooks:Subscriptions</c> by <c>AddSubscriptions()</c>; validated when the host starts.
/// </summary>
/// <remarks>
/// <para>
/// The Admin API is found at <see cref="AdminApiUrl"/> (self-hosted: the admin server, default port 8001, with the
/// <c>/{tenant_id}</c> prefix in multi-tenant mode), or for Hanko Cloud at <c>https://{TenantId}.hanko.io/admin</c>,
/// where <see cref="TenantId"/> falls back to <see cref="HankoWebhookOptions.TenantId"/>.
/// </para>
/// <para>
/// Nothing happens on Hanko's side unless asked: <see cref="EnsureOnStart"/>, <see cref="Watch"/> and
/// <see cref="AutoReenable"/> are all off by default. The client (<see cref="IHankoWebhookSubscriptions"/>) and the
/// plan (<see cref="HankoWebhookSubscriptionPlan"/>) are always available once <c>AddSubscriptions()</c> is called.
/// </para>
/// </remarks>
public sealed class HankoWebhookSubscriptionOptions
{
    /// <summary>The configuration section <c>AddSubscriptions()</c> binds: <c>Hanko:Webhooks:Subscriptions</c>.</summary>
    public const string SectionName = "Hanko:Webhooks:Subscriptions";

    /// <summary>
    /// The name of the <see cref="HttpClient"/> the Admin API is called with. Configure it with
    /// <c>services.AddHttpClient(HankoWebhookSubscriptionOptions.HttpClientName)</c>, for example to add the header or
    /// the message handler of the proxy that protects a self-hosted admin server.
    /// </summary>
    public const string HttpClientName = "Hanko.Webhooks.AdminApi";

    /// <summary>
    /// The base URL of the Admin API, for example <c>http://hanko-admin:8001</c> (self-hosted) or
    /// <c>http://hanko-admin:8001/{tenant_id}</c> (multi-tenant). Takes precedence over <see cref="TenantId"/>.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? AdminApiUrl { get; set; }

    /// <summary>
    /// The Hanko Cloud tenant (project) id; the Admin API is then <c>https://{TenantId}.hanko.io/admin</c>. When unset,
    /// <see cref="HankoWebhookOptions.TenantId"/> is used.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? TenantId { get; set; }

    /// <summary>
    /// The Hanko Cloud API key (project <c>Settings &gt; API Keys</c>), sent as <c>Authorization: Bearer</c>. A self-hosted
    /// admin server has no authentication of its own; leave this unset there. It is never logged and never part of an
    /// exception message. Over plain HTTP it is only sent to a loopback address.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The public URL Hanko delivers this application's webhooks to (the hook's <c>callback</c>), for example
    /// <c>https://app.example.com/webhooks/hanko</c>. Required for <see cref="EnsureOnStart"/> and <see cref="Watch"/>.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? CallbackUrl { get; set; }

    /// <summary>
    /// Whether the hook for <see cref="CallbackUrl"/> is ensured when the host starts: created when missing, its events
    /// extended when they do not cover the registered handlers, re-enabled when Hanko disabled it. Runs in the
    /// background; a failure is logged and reported by the health check, and never stops the host.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool EnsureOnStart { get; set; }

    /// <summary>
    /// Whether ensuring may remove subscriptions that no registered handler needs (the hook's events become exactly
    /// <see cref="HankoWebhookSubscriptionPlan.Events"/>). Otherwise events someone subscribed to by hand are kept.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool RemoveUnhandledEvents { get; set; }

    /// <summary>Whether the hook is polled every <see cref="WatchInterval"/> and its state reported by the health check.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool Watch { get; set; }

    /// <summary>How often the hook is polled; each wait is jittered by ±10 % so that instances do not poll together.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How close the hook's <c>expires_at</c> may come before the health check reports Degraded. Hanko moves
    /// <c>expires_at</c> to 30 days after every successful delivery; with <c>webhooks.allow_time_expiration</c> it
    /// disables the hook at the first event after that date.
    /// </summary>
    /// <value>The default is 7 days.</value>
    public TimeSpan ExpiryWarning { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Whether the watch repairs the hook when Hanko has disabled it (or it was deleted): it runs the same steps as
    /// <see cref="EnsureOnStart"/>, at most once per <see cref="ReenableMinimumInterval"/>, and logs a warning each time.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool AutoReenable { get; set; }

    /// <summary>
    /// The least time between two automatic re-enables, so that an endpoint that keeps failing is not re-enabled (and
    /// disabled again by Hanko after six more failures) over and over.
    /// </summary>
    /// <value>The default is 1 hour.</value>
    public TimeSpan ReenableMinimumInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one Admin API request may take.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The Admin API base address, derived from the settings above when the options are built.</summary>
    internal Uri? AdminApiBaseAddress { get; set; }
}
