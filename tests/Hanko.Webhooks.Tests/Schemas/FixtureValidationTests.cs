using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Hanko.Webhooks.Tests.TestSupport;
using Json.Schema;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Schemas;

/// <summary>
/// Every claims fixture (current, legacy and upcoming) validates against its event's published schema with a real validator
/// (JsonSchema.Net, formats required), and broken payloads are refused.
/// </summary>
public sealed class FixtureValidationTests
{
    private static readonly EvaluationOptions Strict = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new(StringComparer.Ordinal);

    private static IEnumerable<TestCaseData> AllFixtures() => Fixtures.All.Select(f => new TestCaseData(f).SetArgDisplayNames(f));

    private static EvaluationResults Validate(string eventName, JsonNode claims)
    {
        // Built once per file: the validator registers each schema under its file's URI.
        var schema = Schemas.GetOrAdd(eventName, name => JsonSchema.FromFile(Path.Combine(SchemaFilesTests.Folder, name + ".schema.json")));
        using var document = JsonDocument.Parse(claims.ToJsonString());
        return schema.Evaluate(document.RootElement, Strict);
    }

    private static string Errors(EvaluationResults results) => string.Join("; ", (results.Details ?? [])
        .Where(d => d.Errors is { Count: > 0 })
        .Select(d => $"{d.InstanceLocation}: {string.Join(", ", d.Errors!.Values)}"));

    private static JsonNode Claims(string file) => JsonNode.Parse(Fixtures.ReadText(file))!;

    [TestCaseSource(nameof(AllFixtures))]
    public void Fixture_ValidatesAgainstItsEventsSchema(string file)
    {
        var claims = Claims(file);

        var results = Validate(claims["evt"]!.GetValue<string>(), claims);

        results.IsValid.Should().BeTrue(Errors(results));
    }

    [Test]
    public void Fixtures_CoverEveryDeliveredEvent()
        => Fixtures.All.Select(Fixtures.Event).Distinct().Should().BeEquivalentTo(HankoEventNames.Delivered);

    [TestCase("user.login.json", "a number where a time belongs", "data.created_at", "1786702535")]
    [TestCase("user.login.json", "a time that is not RFC 3339", "data.updated_at", "\"14.08.2026 10:15\"")]
    [TestCase("user.login.json", "an id that is not a UUID", "data.id", "\"jane\"")]
    [TestCase("user.login.json", "a missing required id", "data.id", null)]
    [TestCase("user.login.json", "an email without its id", "data.emails.0.id", null)]
    [TestCase("user.login.json", "null where Hanko leaves the key out", "data.given_name", "null")]
    [TestCase("user.login.json", "another event's name", "evt", "\"user.create\"")]
    [TestCase("user.login.json", "a single audience as a string", "aud", "\"example.com\"")]
    [TestCase("user.login.json", "a session token's subject", "sub", "\"9a38d246-c5e4-48e6-9714-e7ffbb48e6e1\"")]
    [TestCase("user.login.json", "iat as a time string", "iat", "\"2026-08-14T10:15:35Z\"")]
    [TestCase("upcoming/user.login.organizations.json", "roles: null", "data.organizations.0.roles", "null")]
    [TestCase("upcoming/user.login.organizations.json", "an organization without roles", "data.organizations.1.roles", null)]
    [TestCase("upcoming/user.login.organizations.json", "a role without its slug", "data.organizations.0.roles.0.slug", null)]
    [TestCase("user.update.custom_claims.json", "a claim that is an object", "data.custom_claims.department", "{\"name\":\"R&D\"}")]
    [TestCase("user.update.custom_claims.json", "a list claim with a number", "data.custom_claims.groups", "[\"eng\",1]")]
    [TestCase("session.create.flow.json", "a number where a time belongs", "data.last_used", "1786702535")]
    [TestCase("session.create.flow.json", "a missing nullable key", "data.expires_at", null)]
    [TestCase("email.send.passcode.json", "valid_until as a time string", "data.data.valid_until", "\"2026-08-14T10:20:35Z\"")]
    [TestCase("email.send.passcode.json", "a passcode as a number", "data.data.otp_code", "123456")]
    [TestCase("email.send.security_notification.json", "a notification without its template", "data.data.template", null)]
    public void BrokenPayload_IsRefused(string file, string what, string path, string? json)
    {
        var claims = Claims(file);
        Set(claims, path, json);

        var results = Validate(Fixtures.Event(file), claims);

        results.IsValid.Should().BeFalse(what);
    }

    [Test]
    public void FutureKeys_AreAccepted()
    {
        var claims = Claims("upcoming/user.update.custom_claims.organizations.json");
        Set(claims, "data.tenant", "{\"id\":\"2f8d3c4b-5a6e-4f7a-8b9c-0d1e2f3a4b5c\"}");
        Set(claims, "data.organizations.0.plan", "\"enterprise\"");
        Set(claims, "data.emails.0.source", "\"saml\"");
        Set(claims, "jti", "\"e1\"");

        var results = Validate("user.update.custom_claims", claims);

        results.IsValid.Should().BeTrue(Errors(results));
    }

    /// <summary>Sets (or, for <see langword="null"/>, removes) the value at a dotted path; digits index arrays.</summary>
    private static void Set(JsonNode root, string path, string? json)
    {
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            parent = int.TryParse(part, out var i) ? parent[i]! : parent[part]!;
        }

        var last = parts[^1];
        if (json is null)
        {
            parent.AsObject().Remove(last).Should().BeTrue($"{path} exists in the fixture");
        }
        else if (int.TryParse(last, out var index))
        {
            parent[index] = JsonNode.Parse(json);
        }
        else
        {
            parent[last] = JsonNode.Parse(json);
        }
    }
}
