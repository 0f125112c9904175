using System.Text;
using System.Text.Json;
using Hanko.Webhooks.Testing;

namespace Hanko.Webhooks.TestSupport;

/// <summary>
/// Seeded mutations of genuine deliveries (byte flips, truncations, insertions, field and segment swaps, huge and deeply
/// nested values, whitespace and escapes), and an independent oracle that says when a mutant is still the same delivery.
/// </summary>
public static class EnvelopeMutator
{
    private const string Base64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    public static (string Kind, byte[] Body) Mutate(Random rng, HankoDelivery original, IReadOnlyList<HankoDelivery> all)
    {
        var body = Encoding.UTF8.GetBytes(original.Body);
        var token = original.Token;
        var parts = token.Split('.');
        var other = all[rng.Next(all.Count)];
        switch (rng.Next(16))
        {
            case 0:
                {
                    var copy = (byte[])body.Clone();
                    var flips = 1 + rng.Next(3);
                    for (var i = 0; i < flips; i++)
                    {
                        copy[rng.Next(copy.Length)] ^= (byte)(1 + rng.Next(255));
                    }

                    return ("byte flip", copy);
                }

            case 1:
                return ("truncation", body[..rng.Next(body.Length)]);
            case 2:
                {
                    var at = rng.Next(body.Length + 1);
                    var junk = new byte[1 + rng.Next(8)];
                    rng.NextBytes(junk);
                    return ("insertion", [.. body[..at], .. junk, .. body[at..]]);
                }

            case 3:
                {
                    var at = rng.Next(body.Length);
                    return ("deletion", [.. body[..at], .. body[Math.Min(body.Length, at + 1 + rng.Next(16))..]]);
                }

            case 4:
                return ("token and event swapped", Json($"{{\"token\":\"{original.EventName}\",\"event\":\"{token}\"}}"));
            case 5:
                {
                    var swapped = rng.Next(3) switch
                    {
                        0 => $"{parts[1]}.{parts[0]}.{parts[2]}",
                        1 => $"{parts[0]}.{parts[1]}.{other.Token.Split('.')[2]}",
                        _ => $"{other.Token.Split('.')[0]}.{parts[1]}.{parts[2]}",
                    };
                    return ("segment swap", Json($"{{\"token\":\"{swapped}\",\"event\":\"{original.EventName}\"}}"));
                }

            case 6:
                return ("event of another delivery", Json($"{{\"token\":\"{token}\",\"event\":\"{other.EventName}\"}}"));
            case 7:
                {
                    var chars = token.ToCharArray();
                    var at = rng.Next(chars.Length);
                    if (chars[at] != '.')
                    {
                        chars[at] = Base64Url[rng.Next(Base64Url.Length)];
                    }

                    return ("base64url character replaced", Json($"{{\"token\":\"{new string(chars)}\",\"event\":\"{original.EventName}\"}}"));
                }

            case 8:
                return ("huge token", Json($"{{\"token\":\"{token}{new string('A', 300_000)}\",\"event\":\"{original.EventName}\"}}"));
            case 9:
                return (rng.Next(2) == 0 ? "huge extra member (over the body limit)" : "large extra member",
                    Json($"{{\"token\":\"{token}\",\"event\":\"{original.EventName}\",\"x\":\"{new string('x', rng.Next(2) == 0 ? 1_100_000 : 50_000)}\"}}"));
            case 10:
                {
                    var depth = rng.Next(2) == 0 ? 17 + rng.Next(20) : 5_000;
                    var nested = new string('[', depth) + new string(']', depth);
                    return rng.Next(2) == 0
                        ? ("deeply nested extra member", Json($"{{\"token\":\"{token}\",\"event\":\"{original.EventName}\",\"x\":{nested}}}"))
                        : ("deeply nested token", Json($"{{\"token\":{nested},\"event\":\"{original.EventName}\"}}"));
                }

            case 11:
                {
                    var text = original.Body;
                    var at = rng.Next(text.Length + 1);
                    var whitespace = new[] { " ", "\n", "\t", "\r\n  " }[rng.Next(4)];
                    return ("whitespace inserted", Json(text[..at] + whitespace + text[at..]));
                }

            case 12:
                {
                    var at = rng.Next(token.Length);
                    var escaped = token[..at] + $"\\u{(int)token[at]:x4}" + token[(at + 1)..];
                    return ("character of the token escaped", Json($"{{\"token\":\"{escaped}\",\"event\":\"{original.EventName}\"}}"));
                }

            case 13:
                {
                    var text = original.Body;
                    var start = text.IndexOf("\"event\":\"", StringComparison.Ordinal) + 9;
                    var at = start + rng.Next(original.EventName.Length);
                    var chars = text.ToCharArray();
                    chars[at] = rng.Next(2) == 0 ? text[at] : (char)('a' + rng.Next(26)); // sometimes back to the same value
                    return ("event byte rewritten", Json(new string(chars)));
                }

            case 14:
                return (rng.Next(2) == 0 ? "token only" : "event null",
                    Json(rng.Next(2) == 0 ? $"{{\"token\":\"{token}\"}}" : $"{{\"token\":\"{token}\",\"event\":null}}"));
            default:
                return ("repeated member", Json($"{{\"token\":\"{token}\",\"event\":\"{original.EventName}\",\"token\":\"{other.Token}\"}}"));
        }
    }

    /// <summary>
    /// The original a mutant still is, judged independently of the SDK's parser: a JSON object with exactly one string
    /// <c>token</c> equal to an original's token (after JSON unescaping), and at most one <c>event</c> that is null or that
    /// original's event name. Anything else is a different delivery and must be refused.
    /// </summary>
    public static HankoDelivery? SameDeliveryAs(byte[] body, IReadOnlyList<HankoDelivery> originals)
    {
        try
        {
            using var doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 10_000 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var tokens = doc.RootElement.EnumerateObject().Where(p => p.NameEquals("token")).ToList();
            var events = doc.RootElement.EnumerateObject().Where(p => p.NameEquals("event")).ToList();
            if (tokens.Count != 1 || tokens[0].Value.ValueKind != JsonValueKind.String || events.Count > 1)
            {
                return null;
            }

            var original = originals.FirstOrDefault(o => SameSignedToken(o.Token, tokens[0].Value.GetString()!));
            if (original is null)
            {
                return null;
            }

            return events.Count == 0 || events[0].Value.ValueKind == JsonValueKind.Null
                || (events[0].Value.ValueKind == JsonValueKind.String && events[0].Value.GetString() == original.EventName)
                ? original
                : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// The same token: a compact JWS has exactly one spelling (RFC 7515 §7.1 allows no whitespace or padding), so only a
    /// mutant whose JSON-decoded token equals the original is still the same delivery.
    /// </summary>
    private static bool SameSignedToken(string original, string candidate) => string.Equals(original, candidate, StringComparison.Ordinal);

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);
}
