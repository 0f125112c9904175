using System.Text.Json;
using System.Text.Json.Nodes;
using Hanko.Webhooks.Testing;

namespace Hanko.Webhooks.TestSupport;

/// <summary>
/// Unsafe metadata an end user may legitimately write: 1,400 nested arrays in 2,806 characters (Hanko allows 3,000), far
/// deeper than System.Text.Json's default limit of 64.
/// </summary>
public static class DeepMetadata
{
    public const int Depth = 1_400;

    public static string Json { get; } = "{\"a\":" + new string('[', Depth) + new string(']', Depth) + "}";

    public static JsonNode Node() => JsonNode.Parse(Json, documentOptions: new JsonDocumentOptions { MaxDepth = HankoEventParts.MaxDataDepth })!;

    /// <summary>A genuine signed <c>user.update</c> whose <c>unsafe_metadata</c> is <see cref="Json"/>.</summary>
    public static HankoDelivery UserUpdate(FakeHanko hanko) =>
        hanko.CreateDelivery(HankoEventNames.UserUpdate, o => o.EditData = d => d["metadata"]!["unsafe_metadata"] = Node());

    /// <summary>The unsafe metadata as the handler sees it, checked against what was sent.</summary>
    public static string? UnsafeOf(HankoEvent @event) =>
        @event is UserEvent user ? user.User.Metadata?.Unsafe?.GetRawText() : null;
}
