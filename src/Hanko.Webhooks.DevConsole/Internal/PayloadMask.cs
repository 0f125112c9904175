using System.Text.Json.Nodes;

namespace Hanko.Webhooks.DevConsole.Internal;

/// <summary>
/// Masks what a payload holds that should not be on a screen by default: OTP codes (also where a mail's subject and body
/// repeat them), every kind of user metadata, IP addresses and user agents.
/// </summary>
/// <remarks>
/// Walks without recursion: a payload may nest as deep as the verifier accepts (<see cref="HankoEventParts.MaxDataDepth"/>),
/// and a recursive walk of that depth overflows a thread pool thread's stack, which ends the process.
/// </remarks>
internal static class PayloadMask
{
    public const string Masked = "••••••";

    private static readonly HashSet<string> MaskedKeys = new(StringComparer.Ordinal)
    {
        "otp_code", "metadata", "public_metadata", "private_metadata", "unsafe_metadata", "ip_address", "user_agent",
    };

    /// <summary>A masked copy; the original is left as it is.</summary>
    public static JsonNode? Mask(JsonNode? payload)
    {
        if (payload is null)
        {
            return null;
        }

        var codes = Codes(payload);
        var copy = payload.DeepClone();
        var pending = new Stack<JsonNode>();
        var replacedTop = Visit(copy, codes, pending);
        while (pending.TryPop(out var node))
        {
            if (node is JsonObject o)
            {
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (MaskedKeys.Contains(key) && o[key] is not null)
                    {
                        o[key] = JsonValue.Create(Masked);
                    }
                    else if (Visit(o[key], codes, pending) is { } replaced)
                    {
                        o[key] = replaced;
                    }
                }
            }
            else if (node is JsonArray a)
            {
                for (var i = 0; i < a.Count; i++)
                {
                    if (Visit(a[i], codes, pending) is { } replaced)
                    {
                        a[i] = replaced;
                    }
                }
            }
        }

        return replacedTop ?? copy;
    }

    /// <summary>The OTP codes the payload holds (outside the masked values, which are hidden whole).</summary>
    private static List<string> Codes(JsonNode payload)
    {
        var codes = new List<string>();
        var pending = new Stack<JsonNode>();
        pending.Push(payload);
        while (pending.TryPop(out var node))
        {
            if (node is JsonObject o)
            {
                foreach (var (key, value) in o)
                {
                    if (key == "otp_code" && value is JsonValue v && v.TryGetValue(out string? code) && code.Length > 0)
                    {
                        codes.Add(code);
                    }
                    else if (value is not null && !MaskedKeys.Contains(key))
                    {
                        pending.Push(value);
                    }
                }
            }
            else if (node is JsonArray a)
            {
                foreach (var item in a)
                {
                    if (item is not null)
                    {
                        pending.Push(item);
                    }
                }
            }
        }

        return codes;
    }

    /// <summary>What replaces a string that holds a code; null to keep the node (a container is queued to be walked).</summary>
    private static JsonValue? Visit(JsonNode? node, List<string> codes, Stack<JsonNode> pending)
    {
        switch (node)
        {
            case JsonObject or JsonArray:
                pending.Push(node);
                return null;
            case JsonValue v when codes.Count > 0 && v.TryGetValue(out string? text):
                return JsonValue.Create(codes.Aggregate(text, (t, code) => t.Replace(code, Masked, StringComparison.Ordinal)));
            default:
                return null;
        }
    }
}
