namespace Hanko.Webhooks;

/// <summary>The answer of <c>GET /webhooks</c> (Go <c>admin.WebhookListResponseDto</c>): every hook, disabled ones included.</summary>
public sealed class HankoWebhookSubscriptionList
{
    /// <summary>The hooks stored in the database (console and Admin API hooks).</summary>
    public IReadOnlyList<HankoWebhookSubscription> Database { get; init; } = [];

    /// <summary>The hooks of the configuration file; empty when there are none (Hanko sends <c>null</c> then).</summary>
    public IReadOnlyList<HankoConfigWebhookSubscription> Config { get; init; } = [];
}
