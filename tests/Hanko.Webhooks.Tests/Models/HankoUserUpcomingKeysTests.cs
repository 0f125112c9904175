using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Hanko.Webhooks.Serialization;
using Hanko.Webhooks.Tests.TestSupport;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Models;

/// <summary>
/// The keys open upstream pull requests add to <c>admin.User</c>: <c>custom_claims</c> (#2884, after <c>metadata</c>) and
/// <c>organizations</c> (#2893, last), read from fixtures with and without them; and keys nobody knows yet.
/// </summary>
[TestFixture]
public sealed class HankoUserUpcomingKeysTests
{
    private static HankoUser Read(string file) => HankoPayloadSerializer.DeserializeUser(Fixtures.Data(file));

    private static HankoUser Read(JsonNode data) => HankoPayloadSerializer.DeserializeUser(Encoding.UTF8.GetBytes(data.ToJsonString()));

    [Test]
    public void CustomClaims_FourValueKinds_AreReadAsTheirJsonElements()
    {
        var claims = Read("user.update.custom_claims.json").CustomClaims;

        claims.Keys.Should().Equal("department", "clearance", "cost_factor", "is_contractor", "groups");
        claims["department"].GetString().Should().Be("R&D");
        claims["clearance"].GetDouble().Should().Be(3);
        claims["cost_factor"].GetDouble().Should().Be(4.5);
        claims["is_contractor"].ValueKind.Should().Be(JsonValueKind.False);
        claims["groups"].EnumerateArray().Select(g => g.GetString()).Should().Equal("eng", "oncall");
        claims.ContainsKey("Department").Should().BeFalse("claim names compare ordinally");
    }

    [TestCase("user.update.custom_claims.cleared.json")]
    [TestCase("user.login.json")]
    [TestCase("legacy/user.create.v0.10.json")]
    public void CustomClaims_KeyAbsent_IsEmptyNeverNull(string file)
    {
        var user = Read(file);

        user.CustomClaims.Should().NotBeNull().And.BeEmpty();
        new HankoUser().CustomClaims.Should().NotBeNull().And.BeEmpty();
        new HankoUser { CustomClaims = null! }.CustomClaims.Should().BeEmpty();
    }

    [Test]
    public void Organizations_Fixture_ReadsEachMembershipWithItsRoles()
    {
        var user = Read("upcoming/user.login.organizations.json");

        user.Organizations.Should().HaveCount(2);
        var acme = user.Organizations[0];
        acme.Id.Should().Be(Guid.Parse("6f1d3c2a-8e4b-4f7a-9c1d-2b3e4f5a6b7c"));
        acme.Name.Should().Be("Acme Corp");
        acme.Roles.Select(r => (r.Id, r.Slug, r.Name)).Should().Equal(
            (Guid.Parse("0c9e8d7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f"), "admin", "Administrator"),
            (Guid.Parse("3b2a1908-7f6e-4d5c-9b4a-8f7e6d5c4b3a"), "billing", "Billing"));
        user.Organizations[1].Name.Should().Be("Acme Labs");
        user.Organizations[1].Roles.Should().NotBeNull().And.BeEmpty("roles is [] when the user has none in that organization");
        user.CustomClaims.Should().BeEmpty("this fixture has organizations only");
    }

    [Test]
    public void BothKeys_InGoOrder_AreBothRead()
    {
        var file = "upcoming/user.update.custom_claims.organizations.json";
        var keys = Fixtures.DataElement(file).EnumerateObject().Select(p => p.Name).ToList();
        keys.IndexOf("custom_claims").Should().Be(keys.IndexOf("metadata") + 1, "Go writes custom_claims right after metadata");
        keys[^1].Should().Be("organizations", "Go writes organizations last");

        var user = Read(file);

        user.CustomClaims.Should().HaveCount(5);
        user.Organizations.Should().HaveCount(2);
        user.Metadata.Should().NotBeNull();
        user.Picture.Should().NotBeNull("the keys after custom_claims are still read");
    }

    [TestCase("user.login.json")]
    [TestCase("user.update.custom_claims.json")]
    public void Organizations_KeyAbsent_IsEmpty(string file)
        => Read(file).Organizations.Should().NotBeNull().And.BeEmpty();

    [Test]
    public void Organizations_RolesNull_ReadsAsEmpty()
    {
        // Hanko never sends it (roles is made with make); the schema refuses it, the reader does not fail a delivery for it.
        var data = JsonNode.Parse(Fixtures.DataElement("upcoming/user.login.organizations.json").GetRawText())!;
        data["organizations"]![0]!["roles"] = null;

        Read(data).Organizations[0].Roles.Should().NotBeNull().And.BeEmpty();
    }

    [TestCase("""["department"]""")]
    [TestCase("\"department\"")]
    [TestCase("42")]
    public void CustomClaims_NotAnObject_IsRefused(string customClaims)
    {
        var data = JsonNode.Parse(Fixtures.DataElement("user.update.custom_claims.json").GetRawText())!;
        data["custom_claims"] = JsonNode.Parse(customClaims);

        FluentActions.Invoking(() => Read(data)).Should().Throw<JsonException>();
    }

    [Test]
    public void CustomClaims_Initializer_IsCopied_SoTheCallerCannotChangeItAfterwards()
    {
        var claims = new Dictionary<string, JsonElement> { ["department"] = JsonSerializer.SerializeToElement("R&D") };

        var user = new HankoUser { CustomClaims = claims };
        claims.Clear();

        user.CustomClaims.Should().ContainKey("department");
        user.CustomClaims.Should().NotBeAssignableTo<IDictionary<string, JsonElement>>();
    }

    [Test]
    public void FutureKeys_AreIgnored_AndKeptInRawData()
    {
        var data = JsonNode.Parse(Fixtures.DataElement("upcoming/user.update.custom_claims.organizations.json").GetRawText())!;
        data["organizations"]![0]!["plan"] = "enterprise";
        data["organizations"]![0]!["roles"]![0]!["permissions"] = new JsonArray("users:read", "users:write");
        data["tenant"] = new JsonObject { ["id"] = "2f8d3c4b-5a6e-4f7a-8b9c-0d1e2f3a4b5c" };

        var @event = HankoEventFactory.Create("user.update.custom_claims", Encoding.UTF8.GetBytes(data.ToJsonString()));

        var user = @event.Should().BeOfType<UserCustomClaimsEvent>().Which.User;
        user.Organizations[0].Roles[0].Slug.Should().Be("admin");
        user.CustomClaims.Should().HaveCount(5);
        @event.RawData.GetProperty("tenant").GetProperty("id").GetString().Should().Be("2f8d3c4b-5a6e-4f7a-8b9c-0d1e2f3a4b5c");
        @event.RawData.GetProperty("organizations")[0].GetProperty("plan").GetString().Should().Be("enterprise");
        @event.RawData.GetProperty("organizations")[0].GetProperty("roles")[0].GetProperty("permissions").GetArrayLength().Should().Be(2);
    }
}
