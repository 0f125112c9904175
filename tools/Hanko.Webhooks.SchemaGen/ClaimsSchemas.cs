using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Hanko.Webhooks.SchemaGen;

/// <summary>
/// The JSON Schema (2020-12) of the whole decoded claims object of each delivered event: <c>aud</c>, <c>data</c>, <c>evt</c>,
/// <c>exp</c>, <c>iat</c>, <c>sub</c>. <c>data</c> comes from the SDK's payload model through System.Text.Json's
/// <see cref="JsonSchemaExporter"/> (the keys, types, UUID and date-time formats the models read), completed by
/// <see cref="WireFacts"/> (required, nullable, and the values converters hide). Objects allow keys they do not name, so new
/// upstream keys do not break consumers.
/// </summary>
internal static class ClaimsSchemas
{
    public const string Dialect = "https://json-schema.org/draft/2020-12/schema";

    // Reflection reads the same [JsonInclude]/[JsonPropertyName] fields the source-generated context does.
    private static readonly JsonSerializerOptions ModelOptions = new() { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    /// <summary>The payload model of each delivered event name, from the event types' own payload property (<c>UserEvent.User</c>, …).</summary>
    public static Type PayloadOf(string eventName)
    {
        var eventType = typeof(HankoEvent).Assembly.GetExportedTypes()
            .Where(t => t.IsSubclassOf(typeof(HankoEvent)) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
            .SingleOrDefault(t => ((HankoEvent)Activator.CreateInstance(t)!).Name == eventName)
            ?? throw new InvalidOperationException($"No event type is named {eventName}.");
        var payload = eventType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Single(p => p.DeclaringType != typeof(HankoEvent) && p.PropertyType.Assembly == typeof(HankoEvent).Assembly && p.PropertyType.IsClass);
        return payload.PropertyType;
    }

    /// <summary>The claims schema of <paramref name="eventName"/>.</summary>
    public static JsonObject For(string eventName)
    {
        var payload = PayloadOf(eventName);
        var defs = new JsonObject();
        if (payload == typeof(HankoEmailMessage))
        {
            defs[nameof(HankoEmailMessage)] = EmailMessage();
            defs[nameof(PasscodeEmailData)] = Model(typeof(PasscodeEmailData));
            defs[nameof(SecurityNotificationEmailData)] = Model(typeof(SecurityNotificationEmailData));
        }
        else
        {
            defs[payload.Name] = Model(payload);
        }

        return new JsonObject
        {
            ["$schema"] = Dialect,
            ["title"] = $"Hanko webhook {eventName}",
            ["description"] = $"The decoded claims of the token Hanko sends for {eventName} (the body is {{\"token\", \"event\"}}; verify the RS256 signature before trusting them). Generated from the Hanko.Webhooks models by tools/Hanko.Webhooks.SchemaGen; keys this schema does not name are allowed.",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["aud"] = new JsonObject { ["description"] = "Always an array, even with one audience.", ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" }, ["minItems"] = 1 },
                ["data"] = new JsonObject { ["$ref"] = $"#/$defs/{payload.Name}" },
                ["evt"] = new JsonObject { ["description"] = "The event name; the body's event is not signed, this is.", ["const"] = eventName },
                ["exp"] = new JsonObject { ["description"] = "Unix seconds: iat + 5 minutes.", ["type"] = "integer" },
                ["iat"] = new JsonObject { ["description"] = "Unix seconds.", ["type"] = "integer" },
                ["sub"] = new JsonObject { ["description"] = "Tells a webhook token from a session token signed with the same key.", ["const"] = "hanko webhooks" },
            },
            ["required"] = new JsonArray("aud", "data", "evt", "exp", "iat", "sub"),
            ["$defs"] = defs,
        };
    }

    /// <summary>A model's schema from the exporter, with the facts applied.</summary>
    private static JsonObject Model(Type model)
    {
        var schema = JsonSchemaExporter.GetJsonSchemaAsNode(ModelOptions, model, new JsonSchemaExporterOptions { TransformSchemaNode = ApplyFacts });
        return schema.AsObject();
    }

    /// <summary>
    /// The <c>email.send</c> message. Its converter (which picks the class of <c>data</c> by <c>type</c>) hides it from the
    /// exporter, so its keys come from its <see cref="JsonPropertyNameAttribute"/>s and the <c>data</c> class from
    /// <see cref="WireFacts.EmailDataByType"/>, for every <see cref="HankoEmailTypes"/> name.
    /// </summary>
    private static JsonObject EmailMessage()
    {
        var properties = new JsonObject();
        foreach (var property in typeof(HankoEmailMessage).GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            if (property.GetCustomAttribute<JsonPropertyNameAttribute>() is not { } name)
            {
                continue;
            }

            var fact = WireFacts.For(typeof(HankoEmailMessage), name.Name);
            var node = fact.Schema is { } schema ? JsonNode.Parse(schema)! : JsonSchemaExporter.GetJsonSchemaAsNode(ModelOptions, property.PropertyType);
            properties[name.Name] = Described(Nullability(node, fact.Nullable), fact);
        }

        var unread = WireFacts.All.Where(f => f.Model == typeof(HankoEmailMessage)).Select(f => f.Key).Except(properties.Select(p => p.Key)).ToList();
        if (unread.Count > 0)
        {
            throw new InvalidOperationException($"WireFacts has rows for HankoEmailMessage keys the model does not read: {string.Join(", ", unread)}.");
        }

        var types = typeof(HankoEmailTypes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetValue(null)!).ToArray();
        var cases = new JsonArray();
        foreach (var data in types.GroupBy(WireFacts.EmailDataByType))
        {
            cases.Add(new JsonObject
            {
                ["if"] = new JsonObject
                {
                    ["properties"] = new JsonObject { ["type"] = new JsonObject { ["enum"] = new JsonArray([.. data.Select(t => (JsonNode)t)]) } },
                    ["required"] = new JsonArray("type"),
                },
                ["then"] = new JsonObject { ["properties"] = new JsonObject { ["data"] = new JsonObject { ["$ref"] = $"#/$defs/{data.Key.Name}" } } },
            });
        }

        return new JsonObject
        {
            ["title"] = nameof(HankoEmailMessage),
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = Required(typeof(HankoEmailMessage), properties),
            ["allOf"] = cases,
        };
    }

    private static JsonNode ApplyFacts(JsonSchemaExporterContext context, JsonNode node)
    {
        if (context.PropertyInfo is { } property)
        {
            var fact = WireFacts.For(property.DeclaringType, property.Name);
            node = Described(fact.Schema is { } schema ? JsonNode.Parse(schema)! : Nullability(node, fact.Nullable), fact);
        }
        else
        {
            // The root and the items of a list: Hanko never sends null there.
            node = Nullability(node, nullable: false);
        }

        if (node is JsonObject obj && context.TypeInfo.Kind == JsonTypeInfoKind.Object && obj["properties"] is JsonObject properties
            && context.TypeInfo.Type.Assembly == typeof(HankoEvent).Assembly)
        {
            var type = context.TypeInfo.Type;
            var known = WireFacts.All.Where(f => f.Model == type).Select(f => f.Key).ToList();
            var missing = known.Except(properties.Select(p => p.Key)).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidOperationException($"WireFacts has rows for {type.Name} keys the model does not read: {string.Join(", ", missing)}.");
            }

            var ordered = new JsonObject { ["title"] = type.Name };
            foreach (var (key, value) in obj.ToList())
            {
                obj.Remove(key);
                ordered[key] = value;
            }

            if (Required(type, properties) is { Count: > 0 } required)
            {
                ordered["required"] = required;
            }

            return ordered;
        }

        return node;
    }

    private static JsonArray Required(Type model, JsonObject properties) =>
        [.. properties.Select(p => p.Key).Where(k => WireFacts.For(model, k).Required).Select(k => (JsonNode)k)];

    /// <summary>The fact's reason as the key's description, first.</summary>
    private static JsonNode Described(JsonNode node, WireFacts.Fact fact)
    {
        if (fact.Why is null || node is not JsonObject obj)
        {
            return node;
        }

        var described = new JsonObject { ["description"] = fact.Why };
        foreach (var (key, value) in obj.ToList())
        {
            obj.Remove(key);
            described[key] = value;
        }

        return described;
    }

    /// <summary>Keeps <c>"null"</c> in <c>type</c> only where Hanko sends <c>null</c>.</summary>
    private static JsonNode Nullability(JsonNode node, bool nullable)
    {
        if (node is not JsonObject obj || obj["type"] is not { } type)
        {
            return node;
        }

        var kinds = type is JsonArray array ? array.Select(t => t!.GetValue<string>()).ToList() : [type.GetValue<string>()];
        kinds.Remove("null");
        if (nullable)
        {
            kinds.Add("null");
        }

        obj["type"] = kinds.Count == 1 ? kinds[0] : new JsonArray([.. kinds.Select(k => (JsonNode)k)]);
        return obj;
    }
}
