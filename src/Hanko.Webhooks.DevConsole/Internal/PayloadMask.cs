using System.Text.Json.Nodes;

namespace Hanko.Webhooks.DevConsole.Internal;

/// <summary>
/// Masks what a payload holds that should not be on a screen by default: OTP codes (also where a mail's subject and body
/// repeat them), every kind of user metadata, IP addresses and user agents.
/// </summary>
internal static class PayloadMask
{
    public const string Masked = "••••••";

    private static readonly HashSet<string> MaskedKeys = new(StringComparer.Ordinal)
    {
        "otp_code", "metadata", "public_metadata", "private_metadata", "unsafe_metadata", "ip_address", "user_agent",
    };

    public static JsonNode? Mask(JsonNode? payload)
    {
        if (payload is null)
        {
            return null;
        }

        var codes = new List<string>();
        Collect(payload, codes);
        return Walk(payload, codes);
    }

    private static void Collect(JsonNode node, List<string> codes)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key == "otp_code" && value is JsonValue v && v.TryGetValue(out string? code) && code.Length > 0)
                    {
                        codes.Add(code);
                    }
                    else if (value is not null)
                    {
                        Collect(value, codes);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    if (item is not null)
                    {
                        Collect(item, codes);
                    }
                }

                break;
        }
    }

    /// <summary>A masked copy; the original is left as it is.</summary>
    private static JsonNode? Walk(JsonNode? node, List<string> codes) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(
            p.Key,
            MaskedKeys.Contains(p.Key) && p.Value is not null ? JsonValue.Create(Masked) : Walk(p.Value, codes)))),
        JsonArray a => new JsonArray([.. a.Select(item => Walk(item, codes))]),
        JsonValue v when codes.Count > 0 && v.TryGetValue(out string? text) =>
            JsonValue.Create(codes.Aggregate(text, (t, code) => t.Replace(code, Masked, StringComparison.Ordinal))),
        _ => node?.DeepClone(),
    };
}
