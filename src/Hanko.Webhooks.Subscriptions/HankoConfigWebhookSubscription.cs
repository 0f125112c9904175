namespace Hanko.Webhooks;

/// <summary>
/// A hook from Hanko's configuration file (<c>webhooks.hooks</c>; Go <c>config.Webhook</c>). Hanko never disables these,
/// and they cannot be changed through the Admin API.
/// </summary>
public sealed class HankoConfigWebhookSubscription
{
    /// <summary>The URL Hanko delivers to.</summary>
    public string Callback { get; init; } = string.Empty;

    /// <summary>The subscriptions, as strings.</summary>
    public IReadOnlyList<string> Events { get; init; } = [];
}
