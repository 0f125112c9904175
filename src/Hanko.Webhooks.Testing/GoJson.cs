using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hanko.Webhooks.Testing;

/// <summary>
/// Writes compact JSON the way Go's <c>encoding/json</c> does (which Hanko uses through jwx): non-ASCII as raw UTF-8,
/// and <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, U+2028, U+2029 as <c>\u003c</c> and so on.
/// </summary>
internal static class GoJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,

        // Hanko's encoder accepts 10,000 levels, and an end user's metadata may use them; the fake goes deeper than the
        // verifier's limit, so that tests can mint what a verifier must refuse. JsonNode and the writer survive this on a
        // default stack.
        MaxDepth = HankoEventParts.MaxDataDepth * 4,
    };

    public static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return HtmlEscape(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    public static string Write(JsonNode? node) => Write(writer =>
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    });

    // In compact JSON these characters can only occur inside strings, so replacing them is always safe.
    private static string HtmlEscape(string json)
    {
        if (json.AsSpan().IndexOfAny("<>&\u2028\u2029") < 0)
        {
            return json;
        }

        var sb = new StringBuilder(json.Length + 64);
        foreach (var c in json)
        {
            _ = c switch
            {
                '<' => sb.Append("\\u003c"),
                '>' => sb.Append("\\u003e"),
                '&' => sb.Append("\\u0026"),
                '\u2028' => sb.Append("\\u2028"),
                '\u2029' => sb.Append("\\u2029"),
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
    }
}
