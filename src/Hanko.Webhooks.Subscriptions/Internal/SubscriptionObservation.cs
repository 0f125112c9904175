namespace Hanko.Webhooks.Subscriptions;

/// <summary>What was last seen of the hook for the callback: the basis of the health check and of the watch's transitions.</summary>
internal sealed record SubscriptionObservation
{
    /// <summary>When Hanko was last asked successfully (or, with <see cref="Error"/> set, when asking failed).</summary>
    public required DateTimeOffset CheckedAt { get; init; }

    /// <summary>Whether Hanko was ever asked successfully; <see langword="false"/> when every attempt failed so far.</summary>
    public bool Seen { get; init; } = true;

    /// <summary>The database hook, or <see langword="null"/> when there is none (or only a config-file hook).</summary>
    public HankoWebhookSubscription? Hook { get; init; }

    /// <summary>The config-file hook for the callback, when there is one and no database hook.</summary>
    public HankoConfigWebhookSubscription? ConfigHook { get; init; }

    /// <summary>The plan's names the hook does not deliver.</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>The names the server refused as unknown, each as <c>name → what is subscribed instead</c>.</summary>
    public IReadOnlyList<string> Refused { get; init; } = [];

    /// <summary>Why the last attempt to ask Hanko failed; the other fields then hold what was seen before.</summary>
    public string? Error { get; init; }

    /// <summary>When the hook was last repaired automatically.</summary>
    public DateTimeOffset? LastRepairAt { get; init; }

    public IReadOnlyList<string> Subscribed => Hook?.EventNames ?? ConfigHook?.Events ?? [];

    /// <summary>Nothing delivers to the callback (as far as was seen).</summary>
    public bool IsMissing => Hook is null && ConfigHook is null;

    public bool IsDisabled => Hook is { Enabled: false };
}
