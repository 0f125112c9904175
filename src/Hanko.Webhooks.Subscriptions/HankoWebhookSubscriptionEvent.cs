namespace Hanko.Webhooks;

/// <summary>One subscription of a database hook (Go <c>models.WebhookEvent</c>).</summary>
public sealed class HankoWebhookSubscriptionEvent
{
    /// <summary>The row's id; a new one is made whenever the hook is updated (the event set is replaced).</summary>
    public Guid Id { get; init; }

    /// <summary>The subscription: an event name or a group prefix such as <c>user</c>.</summary>
    public string Event { get; init; } = string.Empty;
}
