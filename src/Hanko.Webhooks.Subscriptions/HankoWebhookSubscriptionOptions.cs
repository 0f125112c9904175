namespace Hanko.Webhooks;

/// <summary>
/// How the webhook's own subscription on Hanko's side is managed and watched through Hanko's Admin API. Bound from the
/// configuration section <c>Hanko:Webhooks:Subscriptions</c> by <c>AddSubscriptions()</c>; validated when the host starts.
/// </summary>
/// <remarks>
/// <para>
/// The Admin API is found at <see cref="AdminApiUrl"/> (self-hosted: the admin server, default port 8001, with the
/// <c>/{tenant_id}</c> prefix in multi-tenant mode), or for Hanko Cloud at <c>https://{TenantId}.hanko.io/admin</c> from the
/// project's own <see cref="HankoWebhookOptions.TenantId"/>. Requests time out after 30 seconds; change that, like any other
/// HTTP setting, on the named client <see cref="HttpClientName"/>.
/// </para>
/// <para>
/// Nothing happens on Hanko's side unless asked: <see cref="EnsureOnStart"/>, <see cref="WatchInterval"/> and
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
    /// the message handler of the proxy that protects a self-hosted admin server, or to change its <see cref="HttpClient.Timeout"/>
    /// (30 seconds unless set there), which bounds each Admin API request including reading its answer.
    /// </summary>
    public const string HttpClientName = "Hanko.Webhooks.AdminApi";

    /// <summary>
    /// The base URL of the Admin API, for example <c>http://hanko-admin:8001</c> (self-hosted) or
    /// <c>http://hanko-admin:8001/{tenant_id}</c> (multi-tenant). When unset, the Admin API of the project's Hanko Cloud
    /// tenant is used: <c>https://{TenantId}.hanko.io/admin</c> from <see cref="HankoWebhookOptions.TenantId"/>.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? AdminApiUrl { get; set; }

    /// <summary>
    /// The Hanko Cloud API key (project <c>Settings &gt; API Keys</c>), sent as <c>Authorization: Bearer</c>. A self-hosted
    /// admin server has no authentication of its own; leave this unset there. It is never logged and never part of an
    /// exception message. Over plain HTTP it is only sent to a loopback address.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The public URL Hanko delivers this application's webhooks to (the hook's <c>callback</c>), for example
    /// <c>https://app.example.com/webhooks/hanko</c>. Required for <see cref="EnsureOnStart"/>, <see cref="WatchInterval"/> and <see cref="AutoReenable"/>.
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

    /// <summary>
    /// How often the hook is polled and its state reported by the health check (the watch); <see langword="null"/> for no
    /// watch. Each wait is jittered by ±10 % so that instances do not poll together. Between 100 ms and 1 day.
    /// </summary>
    /// <value>The default is <see langword="null"/> (not watched). Five minutes is a good interval.</value>
    public TimeSpan? WatchInterval { get; set; }

    /// <summary>
    /// Whether the watch repairs the hook when Hanko has disabled it (or it was deleted): it runs the same steps as
    /// <see cref="EnsureOnStart"/>, at most once an hour (so that an endpoint that keeps failing is not re-enabled, and
    /// disabled again by Hanko after six more failures, over and over), and logs a warning each time. Needs <see cref="WatchInterval"/>.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool AutoReenable { get; set; }

    /// <summary>
    /// How many Admin API requests a catch-up (<see cref="IHankoCatchUp"/>) makes per second at most: audit log and user
    /// pages, and one request per user found. Between 1 and 1000.
    /// </summary>
    /// <value>The default is 10.</value>
    public int CatchUpRequestsPerSecond { get; set; } = 10;

    /// <summary>How close the hook's <c>expires_at</c> may come before the health check reports Degraded.</summary>
    /// <remarks>
    /// Hanko moves <c>expires_at</c> to 30 days after every successful delivery; with <c>webhooks.allow_time_expiration</c>
    /// it disables the hook at the first event after that date. A week leaves time to act.
    /// </remarks>
    internal static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(7);

    /// <summary>The least time between two automatic repairs (<see cref="AutoReenable"/>).</summary>
    internal static readonly TimeSpan ReenableMinimumInterval = TimeSpan.FromHours(1);

    /// <summary>How long one Admin API request may take unless the named client's <see cref="HttpClient.Timeout"/> is set.</summary>
    internal static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How often the health check asks Hanko itself when the hook is not watched.</summary>
    internal static readonly TimeSpan UnwatchedCheckInterval = TimeSpan.FromMinutes(5);

    /// <summary>The Admin API base address, derived from the settings above when the options are built.</summary>
    internal Uri? AdminApiBaseAddress { get; set; }
}
