namespace Hanko.Webhooks;

/// <summary>
/// A hook stored in Hanko's database (Go <c>models.Webhook</c>), as the Admin API returns it. Hooks made in the console or
/// through the Admin API are of this kind; Hanko disables them after the 6th failed delivery in a row.
/// </summary>
public sealed class HankoWebhookSubscription
{
    /// <summary>The hook's id (a UUIDv4).</summary>
    public Guid Id { get; init; }

    /// <summary>The URL Hanko delivers to.</summary>
    public string Callback { get; init; } = string.Empty;

    /// <summary>Whether Hanko delivers to it. <see langword="false"/> once Hanko disabled it: events are then not sent, and are not kept.</summary>
    public bool Enabled { get; init; }

    /// <summary>Failed deliveries in a row; Hanko disables the hook when this passes 5. Every success resets it to 0.</summary>
    public int Failures { get; init; }

    /// <summary>
    /// 30 days after the last successful delivery (or the last update). With <c>webhooks.allow_time_expiration</c>, Hanko
    /// disables the hook at the first event after this time.
    /// </summary>
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The subscriptions: event names or group prefixes (the request sends strings; the response has these objects).</summary>
    public IReadOnlyList<HankoWebhookSubscriptionEvent> Events { get; init; } = [];

    /// <summary>When the hook was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the hook was last changed (by an update, a delivery's failure count or reset).</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The subscription names of <see cref="Events"/>.</summary>
    public IReadOnlyList<string> EventNames => [.. Events.Select(e => e.Event)];
}
