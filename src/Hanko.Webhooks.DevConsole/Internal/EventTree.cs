using System.Text.Json.Nodes;
using Hanko.Webhooks.Testing;

namespace Hanko.Webhooks.DevConsole.Internal;

/// <summary>
/// Hanko's subscription tree, derived from <see cref="FakeHanko.EventNames"/>: every dot-separated prefix of a delivered event
/// is a node (Hanko matches subscriptions by prefix), and the fake's payload variants hang under the event they belong to.
/// </summary>
internal static class EventTree
{
    public static JsonArray Build()
    {
        var names = FakeHanko.EventNames;
        var nodes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var parts = name.Split('.');
            for (var i = 1; i <= parts.Length; i++)
            {
                nodes.Add(string.Join('.', parts[..i]));
            }
        }

        var result = new JsonArray();
        foreach (var node in nodes)
        {
            var delivered = names.Contains(node, StringComparer.Ordinal);
            var variants = delivered ? VariantsOf(node) : [];
            result.Add((JsonNode)new JsonObject
            {
                ["name"] = node,
                ["depth"] = node.Count(c => c == '.'),
                ["delivered"] = delivered,
                ["group"] = nodes.Any(n => n.StartsWith(node + ".", StringComparison.Ordinal)),
                ["variants"] = new JsonArray([.. variants.Select(v => (JsonNode?)JsonValue.Create(v))]),
            });
        }

        return result;
    }

    /// <summary>The payload names of an event: those whose most specific delivered event is <paramref name="eventName"/>.</summary>
    public static IReadOnlyList<string> VariantsOf(string eventName) =>
        FakeHanko.PayloadNames.Where(p => OwnerOf(p) == eventName).ToArray();

    private static string? OwnerOf(string payloadName) =>
        FakeHanko.EventNames
            .Where(e => payloadName == e || payloadName.StartsWith(e + ".", StringComparison.Ordinal))
            .OrderByDescending(e => e.Length)
            .FirstOrDefault();
}
