using FluentAssertions;
using Hanko.Webhooks.Serialization;
using Hanko.Webhooks.Tests.TestSupport;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Models;

/// <summary>Every fixture, current and legacy, through the facade, compared field by field with its JSON.</summary>
[TestFixture]
public sealed class HankoPayloadSerializerFixtureTests
{
    private static IEnumerable<string> UserFiles => Fixtures.UserFiles;

    private static IEnumerable<string> SessionFiles => Fixtures.SessionFiles;

    private static IEnumerable<string> EmailFiles => Fixtures.EmailFiles;

    [Test]
    public void Fixtures_AllFiles_AreFound()
    {
        // 29 current + 5 legacy + 4 upcoming (announced upstream) event fixtures; if a file goes missing the data-driven tests would silently shrink.
        Fixtures.All.Should().HaveCount(38);
        Fixtures.All.Count(f => f.StartsWith("legacy/", StringComparison.Ordinal)).Should().Be(5);
        Fixtures.All.Count(f => f.StartsWith("upcoming/", StringComparison.Ordinal)).Should().Be(4);
    }

    [TestCaseSource(nameof(UserFiles))]
    public void DeserializeUser_Fixture_EveryFieldMatchesJson(string file)
    {
        Fixtures.Event(file).Should().StartWith("user.");

        var user = HankoPayloadSerializer.DeserializeUser(Fixtures.Data(file));

        user.Should().BeOfType<HankoUser>();
        FixtureJsonComparer.Compare(user, Fixtures.DataElement(file)).Should().BeEmpty();
    }

    [TestCaseSource(nameof(SessionFiles))]
    public void DeserializeSession_Fixture_EveryFieldMatchesJson(string file)
    {
        Fixtures.Event(file).Should().StartWith("session.");

        var session = HankoPayloadSerializer.DeserializeSession(Fixtures.Data(file));

        session.Should().BeOfType<HankoSession>();
        FixtureJsonComparer.Compare(session, Fixtures.DataElement(file)).Should().BeEmpty();
    }

    [TestCaseSource(nameof(EmailFiles))]
    public void DeserializeEmailMessage_Fixture_EveryFieldMatchesJson(string file)
    {
        Fixtures.Event(file).Should().Be("email.send");

        var message = HankoPayloadSerializer.DeserializeEmailMessage(Fixtures.Data(file));

        message.Should().BeOfType<HankoEmailMessage>();
        message.Data.Should().NotBeOfType<UnknownEmailData>("every fixture uses a type the SDK knows");
        FixtureJsonComparer.Compare(message, Fixtures.DataElement(file)).Should().BeEmpty();
    }

    [Test]
    public void Compare_ModelDiffersFromJson_ReportsTheField()
    {
        // The comparer must be able to fail, or the tests above prove nothing.
        var user = HankoPayloadSerializer.DeserializeUser(Fixtures.Data("user.login.json"));
        var tampered = new HankoUser
        {
            Id = user.Id,
            WebAuthnCredentials = user.WebAuthnCredentials,
            Emails = user.Emails,
            Username = user.Username,
            CreatedAt = user.CreatedAt.AddTicks(1),
            UpdatedAt = user.UpdatedAt,
            Password = user.Password,
            Identities = [],
            Otp = user.Otp,
            IpAddress = user.IpAddress,
            UserAgent = user.UserAgent,
            Metadata = null,
            GivenName = user.GivenName,
            FamilyName = user.FamilyName,
            Name = user.Name,
            Picture = user.Picture,
        };

        FixtureJsonComparer.Compare(tampered, Fixtures.DataElement("user.login.json")).Should().HaveCount(3)
            .And.Contain(p => p.StartsWith("data.created_at", StringComparison.Ordinal))
            .And.Contain(p => p.StartsWith("data.identities", StringComparison.Ordinal))
            .And.Contain(p => p.StartsWith("data.metadata", StringComparison.Ordinal));
    }
}
