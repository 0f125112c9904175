using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Hanko.Webhooks.SchemaGen;

/// <summary>
/// Writes a JSON tree as block-style YAML 1.2: mappings and sequences indented by two spaces, strings as JSON strings in double
/// quotes (valid YAML scalars), keys plain where YAML reads them back as the same string.
/// </summary>
internal static partial class YamlText
{
    public static string Write(JsonNode node)
    {
        var text = new StringBuilder();
        WriteMapping(text, node.AsObject(), 0);
        return text.ToString();
    }

    private static void WriteMapping(StringBuilder text, JsonObject mapping, int indent)
    {
        foreach (var (key, value) in mapping)
        {
            text.Append(' ', indent).Append(Key(key)).Append(':');
            WriteValue(text, value, indent);
        }
    }

    private static void WriteValue(StringBuilder text, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 } child:
                text.Append('\n');
                WriteMapping(text, child, indent + 2);
                break;
            case JsonArray { Count: > 0 } sequence:
                text.Append('\n');
                foreach (var item in sequence)
                {
                    text.Append(' ', indent).Append("- ");
                    if (item is JsonObject { Count: > 0 } itemMapping)
                    {
                        // The first key on the dash's line, the rest under it.
                        var first = true;
                        foreach (var (key, itemValue) in itemMapping)
                        {
                            text.Append(' ', first ? 0 : indent + 2).Append(Key(key)).Append(':');
                            WriteValue(text, itemValue, indent + 2);
                            first = false;
                        }
                    }
                    else
                    {
                        text.Append(Scalar(item)).Append('\n');
                    }
                }

                break;
            default:
                text.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static string Scalar(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        _ when value.GetValueKind() == JsonValueKind.String => JsonSerializer.Serialize(value.GetValue<string>(), Relaxed),
        _ => value.ToJsonString(),
    };

    private static string Key(string key) => PlainKey().IsMatch(key) && !Reserved.Contains(key.ToLowerInvariant()) ? key : JsonSerializer.Serialize(key);

    // Only what a double-quoted YAML scalar needs escaped: quotes, backslashes, control characters.
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly HashSet<string> Reserved = ["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"];

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainKey();
}
