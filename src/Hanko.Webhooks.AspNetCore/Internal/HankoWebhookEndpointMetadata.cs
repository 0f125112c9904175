namespace Hanko.Webhooks.AspNetCore.Internal;

/// <summary>Marks an endpoint mapped by <c>MapHankoWebhooks</c>, so the redirect guard can tell it apart.</summary>
internal sealed class HankoWebhookEndpointMetadata(string pattern)
{
    public string Pattern { get; } = pattern;

    public override string ToString() => $"Hanko webhooks at {Pattern}";
}
