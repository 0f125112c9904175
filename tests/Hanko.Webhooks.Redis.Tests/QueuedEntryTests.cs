using FluentAssertions;
using Hanko.Webhooks.Redis.Internal;
using NUnit.Framework;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>The labels of a stream entry, read in one pass (the read through a real Redis: UnreadableEntryTests), and its id as a key.</summary>
public sealed class QueuedEntryTests
{
    [Test]
    public void TryRead_TakesTheFirstOfEachField_IgnoresOthers_AddsEarlierRuns()
    {
        var entry = new StreamEntry("1-0", [
            new("ee", "not-a-label"),
            new("p", new byte[] { 1, 2, 3 }),
            new("n", "2"),
            new("d", "delivery-1"),
            new("e", HankoEventNames.UserLogin),
            new("e", "second-e"),
            new(new byte[] { (byte)'d' }, "second-d"),
        ]);

        QueuedEntry.TryRead(entry, earlierRuns: 1, out var queued, out var reason).Should().BeTrue(reason);

        queued.Should().BeEquivalentTo(new { Name = HankoEventNames.UserLogin, DeliveryId = "delivery-1", Attempts = 3 });
        queued.Protected.Should().Equal(1, 2, 3);
        QueuedEntry.Labels(entry).Should().Be((HankoEventNames.UserLogin, "delivery-1"));
    }

    [Test]
    public void TryRead_NamesTheMissingFields_AndKeepsTheLabelsItCouldRead()
    {
        var entry = new StreamEntry("1-0", [new("e", HankoEventNames.UserDelete), new(new byte[] { (byte)'n' }, "0")]);

        QueuedEntry.TryRead(entry, earlierRuns: 0, out var queued, out var reason).Should().BeFalse();

        reason.Should().Be("The stream entry cannot be read: it has no 'd', 'p' field (it was not written by this SDK).");
        (queued.Name, queued.DeliveryId, queued.Attempts).Should().Be((HankoEventNames.UserDelete, string.Empty, 0));
        QueuedEntry.Labels(new StreamEntry("2-0", null!)).Should().Be((string.Empty, string.Empty), "a deleted entry comes back without fields");
    }

    [Test]
    public void EntryIds_AreEqualByTheirBytes_WhetherReadFromAReplyOrMadeFromAString()
    {
        var fromReply = (RedisValue)System.Text.Encoding.UTF8.GetBytes("1733500000000-7");
        var fromString = (RedisValue)"1733500000000-7";

        EntryIdComparer.Instance.Equals(fromReply, fromString).Should().BeTrue();
        EntryIdComparer.Instance.GetHashCode(fromReply).Should().Be(EntryIdComparer.Instance.GetHashCode(fromString));
        EntryIdComparer.Instance.Equals(fromReply, "1733500000000-8").Should().BeFalse();
        EntryIdComparer.Instance.Equals(RedisValue.Null, RedisValue.EmptyString).Should().BeFalse();
        EntryIdComparer.Instance.Equals(RedisValue.Null, RedisValue.Null).Should().BeTrue();
    }
}
