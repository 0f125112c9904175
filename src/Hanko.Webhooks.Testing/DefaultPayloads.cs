using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hanko.Webhooks.Testing;

/// <summary>The realistic <c>data</c> payloads embedded from <c>Payloads/*.json</c> (decoded claims of real-shaped Hanko tokens).</summary>
internal static class DefaultPayloads
{
    private const string Prefix = "Hanko.Webhooks.Testing.Payloads.";
    private const string Suffix = ".json";

    private static readonly ConcurrentDictionary<string, string> DataTextCache = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> Names { get; } = typeof(DefaultPayloads).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(Suffix, StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^Suffix.Length])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The payload name for an event and an optional variant, or <see langword="null"/> when there is none.</summary>
    public static string? Resolve(string eventName, string? variant)
    {
        if (variant is not null)
        {
            var full = variant.StartsWith(eventName + ".", StringComparison.Ordinal) || variant == eventName
                ? variant
                : eventName + "." + variant;
            return Names.Contains(full, StringComparer.Ordinal) ? full : null;
        }

        var name = eventName == "email.send" ? "email.send.passcode" : eventName;
        return Names.Contains(name, StringComparer.Ordinal) ? name : null;
    }

    /// <summary>A fresh, mutable copy of the <c>data</c> of a payload (key order as in the file).</summary>
    public static JsonObject Load(string payloadName)
    {
        var text = DataTextCache.GetOrAdd(payloadName, static name =>
        {
            using var stream = typeof(DefaultPayloads).Assembly.GetManifestResourceStream(Prefix + name + Suffix)
                ?? throw new InvalidOperationException($"The embedded payload '{name}' is missing.");
            using var document = JsonDocument.Parse(stream);
            return document.RootElement.GetProperty("data").GetRawText();
        });
        return JsonNode.Parse(text)!.AsObject();
    }
}
