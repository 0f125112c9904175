using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hanko.Webhooks.Tests.Models;

/// <summary>
/// Compares a deserialized model with the fixture JSON it came from, key by key: every JSON key must map to a model
/// property (so no wire field is silently dropped) and every mapped property must equal its JSON value, or its
/// "absent" default when the key is missing. Reflection is fine here; the library itself uses none.
/// </summary>
internal static class FixtureJsonComparer
{
    public static List<string> Compare(object model, JsonElement json)
    {
        var problems = new List<string>();
        CompareObject(model, json, "data", problems);
        return problems;
    }

    private static void CompareObject(object model, JsonElement json, string path, List<string> problems)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{path}: expected a JSON object, found {json.ValueKind}");
            return;
        }

        var mapped = model.GetType()
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null) // the init-only wire properties, not the computed ones (PrimaryEmail, Passcode)
            .Select(p => (Property: p, Name: WireName(p)))
            .ToList();

        foreach (var (property, _) in mapped.Where(m => m.Name is null && m.Property.DeclaringType != typeof(UnknownEmailData)))
        {
            problems.Add($"{path}.{property.Name}: property has no [JsonPropertyName]");
        }

        foreach (var key in json.EnumerateObject())
        {
            if (!mapped.Any(m => m.Name == key.Name))
            {
                problems.Add($"{path}.{key.Name}: JSON key has no model property");
            }
        }

        foreach (var (property, name) in mapped.Where(m => m.Name is not null))
        {
            var value = property.GetValue(model);
            var memberPath = $"{path}.{name}";
            if (json.TryGetProperty(name!, out var element))
            {
                CompareValue(property.PropertyType, value, element, memberPath, problems);
            }
            else
            {
                CheckAbsent(property.PropertyType, value, memberPath, problems);
            }
        }
    }

    /// <summary>
    /// The wire name of a public model property: the <c>[JsonPropertyName]</c> of the internal field that
    /// System.Text.Json reads for it (<c>Emails</c> → <c>_emails</c>), or of the property itself (types with a converter).
    /// </summary>
    internal static string? WireName(PropertyInfo property)
    {
        var fieldName = "_" + char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
        var field = property.DeclaringType!.GetField(fieldName, BindingFlags.NonPublic | BindingFlags.Instance);
        return (field?.GetCustomAttribute<JsonPropertyNameAttribute>() ?? property.GetCustomAttribute<JsonPropertyNameAttribute>())?.Name;
    }

    private static void CheckAbsent(Type type, object? value, string path, List<string> problems)
    {
        var ok = value switch
        {
            null => true,
            IEnumerable and not string => !((IEnumerable)value).Cast<object>().Any(),
            bool b => !b,
            _ => false,
        };
        if (!ok && !(type.IsValueType && Nullable.GetUnderlyingType(type) is null && value!.Equals(Activator.CreateInstance(type))))
        {
            problems.Add($"{path}: key absent but model has {value}");
        }
    }

    private static void CompareValue(Type type, object? value, JsonElement json, string path, List<string> problems)
    {
        if (json.ValueKind == JsonValueKind.Null)
        {
            if (value is not null)
            {
                problems.Add($"{path}: JSON null but model has {value}");
            }

            return;
        }

        if (value is null)
        {
            problems.Add($"{path}: model is null but JSON has {json.GetRawText()}");
            return;
        }

        switch (value)
        {
            case string s:
                Expect(s == json.GetString(), path, s, json, problems);
                break;
            case bool b:
                Expect(json.ValueKind == (b ? JsonValueKind.True : JsonValueKind.False), path, b, json, problems);
                break;
            case Guid g:
                Expect(g == Guid.ParseExact(json.GetString()!, "D"), path, g, json, problems);
                break;
            case DateTimeOffset d when json.ValueKind == JsonValueKind.Number:
                Expect(d == DateTimeOffset.FromUnixTimeSeconds(json.GetInt64()), path, d, json, problems);
                break;
            case DateTimeOffset d:
                Expect(d == ParseRfc3339(json.GetString()!), path, d.ToString("O", CultureInfo.InvariantCulture), json, problems);
                break;
            case TimeSpan t:
                Expect(t == TimeSpan.FromSeconds(json.GetInt64()), path, t, json, problems);
                break;
            case JsonElement e:
                Expect(JsonElement.DeepEquals(e, json), path, e.GetRawText(), json, problems);
                break;
            case IReadOnlyDictionary<string, JsonElement> claims:
                if (json.ValueKind != JsonValueKind.Object || json.EnumerateObject().Count() != claims.Count)
                {
                    problems.Add($"{path}: model has {claims.Count} entries, JSON has {json.GetRawText()}");
                    return;
                }

                foreach (var entry in json.EnumerateObject())
                {
                    Expect(claims.TryGetValue(entry.Name, out var claim) && JsonElement.DeepEquals(claim, entry.Value), $"{path}.{entry.Name}", claims.GetValueOrDefault(entry.Name).ValueKind, entry.Value, problems);
                }

                break;
            case UnknownEmailData unknown:
                Expect(JsonElement.DeepEquals(unknown.Raw, json), path, unknown.Raw.GetRawText(), json, problems);
                break;
            case IEnumerable list:
                var items = list.Cast<object>().ToList();
                if (json.ValueKind != JsonValueKind.Array || json.GetArrayLength() != items.Count)
                {
                    problems.Add($"{path}: model has {items.Count} items, JSON has {json.GetRawText()}");
                    return;
                }

                var elementType = type.GetGenericArguments()[0];
                for (var i = 0; i < items.Count; i++)
                {
                    CompareValue(elementType, items[i], json[i], $"{path}[{i}]", problems);
                }

                break;
            default:
                CompareObject(value, json, path, problems);
                break;
        }
    }

    private static void Expect(bool condition, string path, object? actual, JsonElement json, List<string> problems)
    {
        if (!condition)
        {
            problems.Add($"{path}: model has {actual}, JSON has {json.GetRawText()}");
        }
    }

    /// <summary>An independent RFC 3339 reading: fraction truncated to 100 ns, as System.Text.Json does.</summary>
    internal static DateTimeOffset ParseRfc3339(string text)
    {
        var offsetStart = text.EndsWith('Z') ? text.Length - 1 : text.LastIndexOfAny(['+', '-']);
        var offset = text[offsetStart] == 'Z'
            ? TimeSpan.Zero
            : TimeSpan.ParseExact(text[(offsetStart + 1)..], @"hh\:mm", CultureInfo.InvariantCulture)
              * (text[offsetStart] == '-' ? -1 : 1);
        var local = text[..offsetStart];
        var dot = local.IndexOf('.', StringComparison.Ordinal);
        var fraction = dot < 0 ? "" : local[(dot + 1)..];
        var whole = dot < 0 ? local : local[..dot];
        var dateTime = DateTime.ParseExact(whole, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var ticks = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(7, '0')[..7], CultureInfo.InvariantCulture);
        return new DateTimeOffset(dateTime.AddTicks(ticks), offset);
    }
}
