namespace Hanko.Webhooks;

/// <summary>
/// Endpoint metadata on every endpoint mapped by <c>MapHankoWebhooks</c>, so that middleware and tools can tell a Hanko
/// webhook endpoint apart: <c>context.GetEndpoint()?.Metadata.GetMetadata&lt;HankoWebhookEndpointMetadata&gt;()</c>, or
/// the endpoints of an <c>EndpointDataSource</c> (the development console lists them this way).
/// </summary>
public sealed class HankoWebhookEndpointMetadata
{
    internal HankoWebhookEndpointMetadata(string pattern) => Pattern = pattern;

    /// <summary>The route pattern the endpoint was mapped with, for example <c>/webhooks/hanko</c>.</summary>
    public string Pattern { get; }

    /// <inheritdoc />
    public override string ToString() => $"Hanko webhooks at {Pattern}";
}
