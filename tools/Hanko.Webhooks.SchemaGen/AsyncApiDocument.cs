using System.Text.Json.Nodes;

namespace Hanko.Webhooks.SchemaGen;

/// <summary>
/// The AsyncAPI 3.0 document: the application receives, on the callback channel (the hook's callback URL, HTTP POST), one
/// message per delivered event; the message is the <c>{token, event}</c> body, and the token's decoded claims are the
/// event's claims schema.
/// </summary>
internal static class AsyncApiDocument
{
    private const string Channel = "callback";

    public static JsonObject Build()
    {
        var channelMessages = new JsonObject();
        var operations = new JsonObject();
        var messages = new JsonObject();
        var schemas = new JsonObject();
        foreach (var name in HankoEventNames.Delivered)
        {
            channelMessages[name] = new JsonObject { ["$ref"] = $"#/components/messages/{name}" };
            operations["receive." + name] = new JsonObject
            {
                ["action"] = "receive",
                ["channel"] = new JsonObject { ["$ref"] = $"#/channels/{Channel}" },
                ["summary"] = $"Hanko posts {name} to the hook's callback.",
                ["messages"] = new JsonArray(new JsonObject { ["$ref"] = $"#/channels/{Channel}/messages/{name}" }),
                ["bindings"] = new JsonObject { ["http"] = new JsonObject { ["method"] = "POST", ["bindingVersion"] = "0.3.0" } },
            };
            schemas[name] = new JsonObject
            {
                ["schemaFormat"] = "application/schema+json;version=draft-2020-12",
                ["schema"] = new JsonObject { ["$ref"] = "./" + SchemaDocuments.SchemaFileName(name) },
            };
            messages[name] = new JsonObject
            {
                ["name"] = name,
                ["title"] = name,
                ["summary"] = $"The body of a {name} delivery; the token's decoded claims are components/schemas/{name}.",
                ["contentType"] = "application/json",
                ["payload"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("token", "event"),
                    ["properties"] = new JsonObject
                    {
                        ["token"] = new JsonObject
                        {
                            ["type"] = "string",
                            ["description"] = "An RS256 JWS (compact serialization) signed with a key of the project's JWKS; its payload is the claims object.",
                            ["x-claims"] = new JsonObject { ["$ref"] = $"#/components/schemas/{name}" },
                        },
                        ["event"] = new JsonObject
                        {
                            ["description"] = "The same name as the token's evt claim, but not signed: use evt.",
                            ["const"] = name,
                        },
                    },
                },
            };
        }

        return new JsonObject
        {
            ["asyncapi"] = "3.0.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Hanko webhooks",
                ["version"] = "1.0.0",
                ["description"] = "The webhooks a Hanko server sends, as the Hanko.Webhooks SDK reads them. Generated from its models by tools/Hanko.Webhooks.SchemaGen; see docs/schemas.md.",
            },
            ["defaultContentType"] = "application/json",
            ["channels"] = new JsonObject
            {
                [Channel] = new JsonObject
                {
                    ["address"] = null,
                    ["description"] = "The hook's callback URL, registered with Hanko (configuration file or Admin API). Hanko posts each matching event once, with a 10 s timeout, and retries nothing.",
                    ["messages"] = channelMessages,
                },
            },
            ["operations"] = operations,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["messages"] = messages,
            },
        };
    }
}
