using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Hanko.Webhooks.SchemaGen;
using NUnit.Framework;
using YamlDotNet.Serialization;

namespace Hanko.Webhooks.Tests.Schemas;

/// <summary>
/// <c>schemas/</c> is what tools/Hanko.Webhooks.SchemaGen makes from the models: regenerated here (the generator's own code)
/// and compared byte for byte, one claims schema per delivered event, and the AsyncAPI document read back as YAML.
/// </summary>
public sealed class SchemaFilesTests
{
    internal static string Folder => Path.Combine(SchemaDocuments.RepositoryRoot(TestContext.CurrentContext.TestDirectory), SchemaDocuments.Folder);

    [Test]
    public void SchemaFiles_AreExactlyWhatTheGeneratorMakesFromTheModels()
    {
        SchemaDocuments.Differences(Folder).Should().BeEmpty(
            "schemas/ is generated: run `dotnet run --project tools/Hanko.Webhooks.SchemaGen` and commit the result");
    }

    [Test]
    public void Differences_ChangedFile_IsReported()
    {
        // The comparison must be able to fail, or the test above proves nothing.
        var copy = Directory.CreateTempSubdirectory("hanko-schemas-");
        try
        {
            foreach (var document in SchemaDocuments.Generate())
            {
                File.WriteAllText(Path.Combine(copy.FullName, document.FileName), document.Text);
            }

            File.AppendAllText(Path.Combine(copy.FullName, "user.login.schema.json"), " ");
            File.Delete(Path.Combine(copy.FullName, "email.send.schema.json"));
            File.WriteAllText(Path.Combine(copy.FullName, "user.vanished.schema.json"), "{}");

            SchemaDocuments.Differences(copy.FullName).Should().BeEquivalentTo(
                "user.login.schema.json: differs from what the models generate",
                "email.send.schema.json: missing",
                "user.vanished.schema.json: not generated (left over)");
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    [Test]
    public void WireFacts_KeyWithoutARow_StopsTheGenerator()
    {
        FluentActions.Invoking(() => WireFacts.For(typeof(HankoUser), "nickname"))
            .Should().Throw<InvalidOperationException>().WithMessage("WireFacts has no row for HankoUser.nickname*");
        WireFacts.All.GroupBy(f => (f.Model, f.Key)).Should().OnlyContain(g => g.Count() == 1, "one row per key");
    }

    [Test]
    public void SchemaFiles_OnePerDeliveredEventAndTheAsyncApiDocument()
    {
        Directory.GetFiles(Folder).Select(Path.GetFileName).Should().BeEquivalentTo(
            HankoEventNames.Delivered.Select(n => n + ".schema.json").Append("hanko-webhooks.asyncapi.yaml"));
    }

    [Test]
    public void ClaimsSchema_PinsTheEventAndDescribesTheWholeClaimsObject()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "user.update.custom_claims.schema.json")))!;

        schema["$schema"]!.GetValue<string>().Should().Be("https://json-schema.org/draft/2020-12/schema");
        schema["properties"]!.AsObject().Select(p => p.Key).Should().Equal("aud", "data", "evt", "exp", "iat", "sub");
        schema["properties"]!["evt"]!["const"]!.GetValue<string>().Should().Be("user.update.custom_claims");
        var user = schema["$defs"]!["HankoUser"]!;
        user["required"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("id", "created_at", "updated_at");
        user["properties"]!["id"]!["format"]!.GetValue<string>().Should().Be("uuid");
        user["properties"]!["created_at"]!["format"]!.GetValue<string>().Should().Be("date-time");
        user["properties"]!["otp"]!["type"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal("object", "null");
        user["properties"]!["custom_claims"]!["maxProperties"]!.GetValue<int>().Should().Be(50);
        user["properties"]!["organizations"]!["items"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("id", "name", "roles");
        user.AsObject().ContainsKey("additionalProperties").Should().BeFalse("keys the schema does not name are allowed");
    }

    [Test]
    public void AsyncApi_ReadsBackAsYaml_WithOneReceiveOperationPerDeliveredEvent()
    {
        var yaml = File.ReadAllText(Path.Combine(Folder, SchemaDocuments.AsyncApiFileName));

        var parsed = ToJson(new DeserializerBuilder().Build().Deserialize<object>(yaml))!;

        // The YAML says exactly what the generator built.
        JsonNode.DeepEquals(parsed, Scalars(AsyncApiDocument.Build())).Should().BeTrue();
        parsed["asyncapi"]!.GetValue<string>().Should().Be("3.0.0");
        var operations = parsed["operations"]!.AsObject();
        operations.Select(o => o.Key).Should().Equal(HankoEventNames.Delivered.Select(n => "receive." + n));
        foreach (var name in HankoEventNames.Delivered)
        {
            operations["receive." + name]!["action"]!.GetValue<string>().Should().Be("receive");
            var message = parsed["components"]!["messages"]![name]!;
            message["payload"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("token", "event");
            var claims = parsed["components"]!["schemas"]![name]!["schema"]!["$ref"]!.GetValue<string>();
            File.Exists(Path.Combine(Folder, claims)).Should().BeTrue($"{name} references {claims}");
        }
    }

    /// <summary>A YamlDotNet object graph (every scalar a string, <c>null</c> kept) as JSON.</summary>
    private static JsonNode? ToJson(object? yaml) => yaml switch
    {
        null => null,
        Dictionary<object, object?> mapping => new JsonObject(mapping.Select(p => KeyValuePair.Create((string)p.Key, ToJson(p.Value)))),
        List<object?> sequence => new JsonArray([.. sequence.Select(ToJson)]),
        _ => JsonValue.Create(Convert.ToString(yaml, CultureInfo.InvariantCulture)),
    };

    /// <summary>The same tree with every scalar as its text, as YAML reads it.</summary>
    private static JsonNode? Scalars(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Scalars(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Scalars)]),
        _ => JsonValue.Create(node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString()),
    };
}
