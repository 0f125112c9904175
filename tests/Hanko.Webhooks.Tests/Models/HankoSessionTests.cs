using FluentAssertions;
using Hanko.Webhooks.Serialization;
using Hanko.Webhooks.Tests.TestSupport;
using NUnit.Framework;
using static Hanko.Webhooks.Tests.Models.Expected;

namespace Hanko.Webhooks.Tests.Models;

/// <summary>The <c>session.*</c> fixtures against hand-written expected sessions (including the <c>null</c>s).</summary>
[TestFixture]
public sealed class HankoSessionTests
{
    private const string IPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1";
    private const string Firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:141.0) Gecko/20100101 Firefox/141.0";

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("session.create.flow.json", new HankoSession
        {
            Id = new Guid("a5aeda04-0583-40ab-a579-de6c505d37e0"),
            UserAgent = JaneUserAgent,
            IpAddress = JaneIp,
            CreatedAt = At(2026, 8, 14, 10, 16, 29, "482913507"),
            UpdatedAt = At(2026, 8, 14, 10, 16, 29, "482913507"),
            ExpiresAt = At(2026, 8, 14, 22, 16, 29, "482913507"),
            LastUsed = At(2026, 8, 14, 10, 16, 29, "482913507"),
        });
        yield return Case("session.create.admin.json", new HankoSession
        {
            Id = new Guid("39cfd1c4-dc84-4290-8770-d700e333f805"),
            UserAgent = IPhone,
            IpAddress = null,
            CreatedAt = At(2026, 8, 14, 10, 16, 31, "090017244"),
            UpdatedAt = At(2026, 8, 14, 10, 16, 31, "090017244"),
            ExpiresAt = At(2026, 8, 14, 22, 16, 31, "090017244"),
            LastUsed = At(2026, 8, 14, 10, 16, 31, "090017244"),
        });
        yield return Case("session.delete.explicit.logout.json", new HankoSession
        {
            Id = new Guid("9afb415a-588d-43e9-9c7c-2bf4f098c761"),
            UserAgent = JaneUserAgent,
            IpAddress = JaneIp,
            CreatedAt = At(2026, 8, 14, 7, 15, 30, "118502"),
            UpdatedAt = At(2026, 8, 14, 10, 16, 20, "331907"),
            ExpiresAt = At(2026, 8, 14, 19, 15, 30, "118502"),
            LastUsed = At(2026, 8, 14, 10, 16, 20, "331907"),
        });
        yield return Case("session.delete.explicit.revoke.json", new HankoSession
        {
            Id = new Guid("70bae08e-eb86-4a18-9c0d-f17caffec92d"),
            UserAgent = IPhone,
            IpAddress = "198.51.100.7",
            CreatedAt = At(2026, 8, 14, 4, 15, 30, "901233"),
            UpdatedAt = At(2026, 8, 14, 5, 15, 30, "0441"),
            ExpiresAt = At(2026, 8, 14, 16, 15, 30, "901233"),
            LastUsed = At(2026, 8, 14, 5, 15, 30, "0441"),
        });
        yield return Case("session.delete.admin.revoke.json", new HankoSession
        {
            Id = new Guid("7f689b49-b62a-462c-aaf1-c86cb18cc90f"),
            UserAgent = Firefox,
            IpAddress = "2001:db8:4f2a::1c",
            CreatedAt = At(2026, 8, 14, 1, 15, 30, "005521"),
            UpdatedAt = At(2026, 8, 14, 2, 15, 30, "70665"),
            ExpiresAt = At(2026, 8, 14, 13, 15, 30, "005521"),
            LastUsed = At(2026, 8, 14, 2, 15, 30, "70665"),
        });
        yield return Case("session.delete.passive.expire.json", new HankoSession
        {
            Id = new Guid("d07acfa6-1325-4067-90da-bdfb39994c33"),
            UserAgent = null,
            IpAddress = null,
            CreatedAt = At(2026, 8, 14, 6, 15, 30, "0612"),
            UpdatedAt = At(2026, 8, 14, 8, 15, 30, "310477"),
            ExpiresAt = At(2026, 8, 14, 18, 15, 30, "0612"),
            LastUsed = At(2026, 8, 14, 8, 15, 30, "310477"),
        });
        yield return Case("session.delete.passive.limit.json", new HankoSession
        {
            Id = new Guid("35cbf8c8-5a3c-43d5-ba09-98ca74d974c0"),
            UserAgent = IPhone,
            IpAddress = "198.51.100.7",
            CreatedAt = At(2026, 8, 13, 23, 15, 30, "250009"),
            UpdatedAt = At(2026, 8, 14, 0, 15, 30, "0008"),
            ExpiresAt = At(2026, 8, 14, 11, 15, 30, "250009"),
            LastUsed = At(2026, 8, 14, 0, 15, 30, "0008"),
        });

        static TestCaseData Case(string file, HankoSession expected) => new TestCaseData(file, expected).SetArgDisplayNames(file);
    }

    [TestCaseSource(nameof(Cases))]
    public void DeserializeSession_Fixture_EveryFieldMatches(string file, HankoSession expected)
    {
        var session = HankoPayloadSerializer.DeserializeSession(Fixtures.Data(file));

        session.Id.Should().Be(expected.Id);
        session.UserId.Should().Be(JaneId);
        session.UserAgent.Should().Be(expected.UserAgent);
        session.IpAddress.Should().Be(expected.IpAddress);
        session.CreatedAt.Should().Be(expected.CreatedAt);
        session.UpdatedAt.Should().Be(expected.UpdatedAt);
        session.ExpiresAt.Should().Be(expected.ExpiresAt);
        session.LastUsed.Should().Be(expected.LastUsed);
        session.CreatedAt.Offset.Should().Be(TimeSpan.Zero);
    }

    [Test]
    public void DeserializeSession_NineDigitFraction_TruncatesTo100Nanoseconds()
    {
        var session = HankoPayloadSerializer.DeserializeSession(Fixtures.Data("session.create.flow.json"));

        // "2026-08-14T10:16:29.482913507Z" -> .4829135 (ticks), the last two digits dropped.
        session.CreatedAt.Should().Be(new DateTimeOffset(2026, 8, 14, 10, 16, 29, TimeSpan.Zero).AddTicks(4_829_135));
    }

    [Test]
    public void DeserializeSession_NullExpiresAtAndOffsets_ParsesNullAndKeepsOffset()
    {
        var json = """
            {"id":"d07acfa6-1325-4067-90da-bdfb39994c33","user_id":"9a38d246-c5e4-48e6-9714-e7ffbb48e6e1",
             "user_agent":null,"ip_address":null,"created_at":"2026-08-14T12:15:30.123456789+02:00",
             "updated_at":"2026-08-14T10:15:30-03:30","expires_at":null,"last_used":"2026-08-14T10:15:30Z"}
            """u8;

        var session = HankoPayloadSerializer.DeserializeSession(json);

        session.ExpiresAt.Should().BeNull();
        session.CreatedAt.Offset.Should().Be(TimeSpan.FromHours(2));
        session.CreatedAt.UtcDateTime.Should().Be(new DateTime(2026, 8, 14, 10, 15, 30, DateTimeKind.Utc).AddTicks(1_234_567));
        session.UpdatedAt.Offset.Should().Be(new TimeSpan(-3, -30, 0));
        session.UpdatedAt.UtcDateTime.Should().Be(new DateTime(2026, 8, 14, 13, 45, 30, DateTimeKind.Utc));
        session.LastUsed.Should().Be(new DateTimeOffset(2026, 8, 14, 10, 15, 30, TimeSpan.Zero));
    }
}
