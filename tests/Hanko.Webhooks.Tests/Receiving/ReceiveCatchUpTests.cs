using System.Collections.Concurrent;
using System.Text;
using FluentAssertions;
using Hanko.Webhooks.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Receiving;

/// <summary>
/// <see cref="IHankoWebhookReceiver.ReceiveCatchUpAsync"/>: a user rebuilt from the Admin API goes the one path of a
/// delivery (read with the core's reader, claimed by a delivery id of project, user and window, dispatched), and a user
/// that does not fit is refused, not handed over.
/// </summary>
public sealed class ReceiveCatchUpTests
{
    private static readonly DateTimeOffset From = VerifierHarness.Start.AddHours(-2);
    private static readonly DateTimeOffset To = VerifierHarness.Start.AddHours(-1);

    private static ReceiverHarness Harness(Caught caught) =>
        ReceiverHarness.Create(services: s => s.AddSingleton(caught), handlers: h => h.AddHandler<CatchUpHandler>());

    [Test]
    public async Task ReceiveCatchUpAsync_PresentUser_DispatchesItOnceReadWithTheCoresReader()
    {
        var caught = new Caught();
        await using var harness = Harness(caught);
        var user = Fixtures.Data(Fixtures.ForEvent(HankoEventNames.UserCreate));
        var id = Guid.Parse("e1a8f2c4-6b0e-4f4a-9a53-5a3c8d2b7e11");

        var first = await harness.Receiver.ReceiveCatchUpAsync(id, user, [HankoEventNames.UserCreate], ["user_created"], From, To);
        var second = await harness.Receiver.ReceiveCatchUpAsync(id, user, [HankoEventNames.UserCreate], ["user_created"], From, To);
        var otherWindow = await harness.Receiver.ReceiveCatchUpAsync(id, user, [HankoEventNames.UserCreate], ["user_created"], From, To.AddSeconds(1));

        first.Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        first.Dispatch!.Succeeded.Should().BeTrue();
        second.Outcome.Should().Be(HankoReceiveOutcome.Duplicate, "the delivery id is derived from project, user and window");
        otherWindow.Outcome.Should().Be(HankoReceiveOutcome.Dispatched, "another window is another delivery");
        var e = caught.Events.First();
        e.User.Should().NotBeNull();
        e.User!.Emails.Should().NotBeEmpty();
        e.IsDeleted.Should().BeFalse();
        e.UserId.Should().Be(id);
        e.EventNames.Should().Equal(HankoEventNames.UserCreate);
        e.AuditLogTypes.Should().Equal("user_created");
        (e.WindowStart, e.WindowEnd).Should().Be((From, To));
        e.DeliveryId.Should().MatchRegex("^[0-9a-f]{64}$").And.NotBe(caught.Events.Last().DeliveryId);
        e.ExpiresAt.Should().Be(harness.Time.GetUtcNow().AddDays(7));
        caught.Events.Should().HaveCount(2);
    }

    [Test]
    public async Task ReceiveCatchUpAsync_DeletedUser_DispatchesItAsDeleted()
    {
        var caught = new Caught();
        await using var harness = Harness(caught);

        var result = await harness.Receiver.ReceiveCatchUpAsync(Guid.NewGuid(), ReadOnlyMemory<byte>.Empty, [HankoEventNames.UserDelete], ["user_deleted"], From, To);

        result.Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        caught.Events.Should().ContainSingle().Which.IsDeleted.Should().BeTrue();
    }

    [TestCase("""{"id":"not-a-uuid"}""")]
    [TestCase("""{"id":"e1a8f2c4-6b0e-4f4a-9a53-5a3c8d2b7e11"}, "user_id": "x" """)]
    [TestCase("""[1,2]""")]
    [TestCase("""{"id":""")]
    public async Task ReceiveCatchUpAsync_UserThatDoesNotFit_IsRefusedAndReachesNoHandler(string user)
    {
        var caught = new Caught();
        await using var harness = Harness(caught);

        var result = await harness.Receiver.ReceiveCatchUpAsync(Guid.NewGuid(), Encoding.UTF8.GetBytes(user), [], [], From, To);

        result.Outcome.Should().Be(HankoReceiveOutcome.Refused);
        result.Failure.Should().Be(HankoWebhookFailure.InvalidPayload);
        caught.Events.Should().BeEmpty();
    }

    [Test]
    public async Task ReceiveCatchUpAsync_EmptyWindow_Throws()
    {
        await using var harness = Harness(new Caught());

        var act = async () => await harness.Receiver.ReceiveCatchUpAsync(Guid.NewGuid(), ReadOnlyMemory<byte>.Empty, [], [], To, From);

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*ends*before it starts*");
    }

    internal sealed class Caught
    {
        public ConcurrentQueue<UserCatchUpEvent> Events { get; } = new();
    }

    internal sealed class CatchUpHandler(Caught caught) : IHankoEventHandler<UserCatchUpEvent>
    {
        public Task HandleAsync(UserCatchUpEvent @event, CancellationToken cancellationToken)
        {
            caught.Events.Enqueue(@event);
            return Task.CompletedTask;
        }
    }
}
