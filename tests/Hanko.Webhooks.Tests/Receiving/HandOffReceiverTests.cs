using System.Collections.Concurrent;
using FluentAssertions;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Receiving;

/// <summary>
/// The receiver with a registered <see cref="IHankoHandOff"/> (what UseBackgroundProcessing and Hanko.Webhooks.Redis'
/// UseDurableProcessing add): the hand-off's answer becomes the receiver's outcome and status, from the one status table;
/// the handlers do not run inline; a handed-off delivery comes back in through <see cref="IHankoWebhookReceiver.ProcessHandedOffAsync"/>.
/// </summary>
public sealed class HandOffReceiverTests
{
    [Test]
    public async Task StoredDelivery_IsAccepted202_HandlersDoNotRunInline_AndThePartsRebuildTheSameEvent()
    {
        var store = new RecordingStore(HankoHandOffResult.Accepted);
        await using var h = Create(store);
        using var telemetry = new TelemetryCapture();
        var delivery = h.Hanko.CreateDelivery(HankoEventNames.UserLogin);

        var result = await h.Receiver.ReceiveAsync(delivery.BodyBytes);

        (result.Outcome, result.StatusCode, result.ProblemTitle).Should().Be((HankoReceiveOutcome.Accepted, 202, (string?)null));
        h.Counter.Total.Should().Be(0, "a stored delivery is processed by the store's workers, not in the request");
        var (parts, reason) = store.Received.Should().ContainSingle().Subject;
        reason.Should().BeNull();
        (parts.Name, parts.DeliveryId, parts.IssuedAt, parts.ExpiresAt).Should().Be((result.Event!.Name, result.Event.DeliveryId, result.Event.IssuedAt, result.Event.ExpiresAt));
        parts.Audience.Should().Equal(result.Event.Audience);

        HankoEventFactory.TryCreate(parts, out var rebuilt, out var error).Should().BeTrue(error);
        rebuilt.Should().BeOfType<UserLoginEvent>();
        (rebuilt!.DeliveryId, rebuilt.IssuedAt, rebuilt.ExpiresAt).Should().Be((result.Event.DeliveryId, result.Event.IssuedAt, result.Event.ExpiresAt));
        var (user, original) = (((UserLoginEvent)rebuilt).User, ((UserLoginEvent)result.Event).User);
        user.Should().BeEquivalentTo(original, o => o.Excluding(u => u.Metadata));
        user.Metadata!.Private!.Value.GetRawText().Should().Be(original.Metadata!.Private!.Value.GetRawText());
        rebuilt.RawData.GetRawText().Should().Be(result.Event.RawData.GetRawText());
        telemetry.Sum("hanko.webhooks.deliveries", ("hanko.webhook.outcome", "accepted")).Should().Be(1, "counted once, by the receiver, when it answers");
    }

    [Test]
    public async Task DuplicateFromTheStore_IsAcknowledged200AsADuplicate()
    {
        await using var h = Create(new RecordingStore(HankoHandOffResult.Duplicate));
        using var telemetry = new TelemetryCapture();

        var result = await h.Receiver.ReceiveAsync(h.Hanko.CreateDelivery(HankoEventNames.UserCreate).BodyBytes);

        (result.Outcome, result.StatusCode).Should().Be((HankoReceiveOutcome.Duplicate, 200));
        telemetry.Sum("hanko.webhooks.replays", ("hanko.webhook.event", "user.create")).Should().Be(1);
        h.Counter.Total.Should().Be(0);
    }

    [Test]
    public async Task StoreThatCannotWrite_Is503WithItsReason_NeverA2xx()
    {
        await using var h = Create(new RecordingStore(HankoHandOffResult.Declined("StoreUnavailable", "The delivery could not be stored.")));

        var result = await h.Receiver.ReceiveAsync(h.Hanko.CreateDelivery(HankoEventNames.EmailSend).BodyBytes);

        (result.Outcome, result.StatusCode, result.ProblemTitle, result.ProblemDetail)
            .Should().Be((HankoReceiveOutcome.HandOffDeclined, 503, "StoreUnavailable", "The delivery could not be stored."));
        h.Counter.Total.Should().Be(0);
    }

    [Test]
    public async Task AuthenticDeliveryWithUnmodelledData_IsAcceptedAsUnprocessable202_WithItsReason_ByAHandOffThatClaimsItself()
    {
        var store = new RecordingStore(HankoHandOffResult.Accepted);
        await using var h = Create(store);
        using var telemetry = new TelemetryCapture();
        var delivery = h.Hanko.CreateDelivery(HankoEventNames.UserCreate, o => o.EditData = data => data["id"] = "not-a-uuid");

        var result = await h.Receiver.ReceiveAsync(delivery.BodyBytes);

        (result.Outcome, result.StatusCode, result.Failure).Should().Be((HankoReceiveOutcome.Accepted, 202, HankoWebhookFailure.InvalidPayload));
        result.Event.Should().BeNull();
        var (parts, reason) = store.Received.Should().ContainSingle().Subject;
        parts.Name.Should().Be("user.create");
        parts.DeliveryId.Should().HaveLength(64);
        reason.Should().Be(result.Verification.FailureMessage).And.Contain("user.create");
        HankoEventFactory.TryCreate(parts, out _, out var error).Should().BeFalse("the data still does not fit the model");
        error.Should().Be(reason, "a worker that retries it after an upgrade reports the same reason");
        telemetry.Sum("hanko.webhooks.deliveries", ("hanko.webhook.outcome", "accepted"), ("hanko.webhook.event", "user.create")).Should().Be(1);
    }

    [Test]
    public async Task WithoutADurableStore_UnmodelledData_StaysA422Refusal_AlsoWithAnInMemoryHandOff()
    {
        await using var inline = ReceiverHarness.Create();
        var queue = new RecordingStore(HankoHandOffResult.Accepted, claimsDeliveries: false);
        await using var queued = Create(queue);

        foreach (var h in new[] { inline, queued })
        {
            var result = await h.Receiver.ReceiveAsync(h.Hanko.CreateDelivery(HankoEventNames.UserCreate, o => o.EditData = data => data["id"] = "not-a-uuid").BodyBytes);

            (result.Outcome, result.StatusCode, result.ProblemTitle).Should().Be((HankoReceiveOutcome.Refused, 422, "InvalidPayload"));
            result.Verification.AuthenticParts.Should().NotBeNull("the token was genuine: its parts go with the refusal");
        }

        queue.Received.Should().BeEmpty("a queue in memory keeps no dead letters");
    }

    [Test]
    public async Task ForgedDelivery_NeverReachesTheStore()
    {
        var store = new RecordingStore(HankoHandOffResult.Accepted);
        await using var h = Create(store);
        using var other = new Hanko.Webhooks.Testing.FakeHanko();

        var result = await h.Receiver.ReceiveAsync(other.CreateDelivery(HankoEventNames.UserCreate).BodyBytes);

        result.Outcome.Should().Be(HankoReceiveOutcome.Refused);
        result.StatusCode.Should().Be(401);
        result.Verification.AuthenticParts.Should().BeNull();
        store.Received.Should().BeEmpty();
    }

    [Test]
    public async Task InMemoryHandOff_CanReportADuplicate_AcknowledgedAndClaimKept()
    {
        var queue = new RecordingStore(HankoHandOffResult.Duplicate, claimsDeliveries: false);
        await using var h = Create(queue);
        var delivery = h.Hanko.CreateDelivery(HankoEventNames.UserLogin);

        var first = await h.Receiver.ReceiveAsync(delivery.BodyBytes);
        var again = await h.Receiver.ReceiveAsync(delivery.BodyBytes);

        (first.Outcome, first.StatusCode).Should().Be((HankoReceiveOutcome.Duplicate, 200));
        again.Outcome.Should().Be(HankoReceiveOutcome.Duplicate, "the claim the receiver took was kept, not released");
        queue.Received.Should().ContainSingle("the second copy was a duplicate of the receiver's own claim");
        h.Counter.Total.Should().Be(0);
    }

    private static ReceiverHarness Create(RecordingStore store) =>
        ReceiverHarness.Create(services: s => s.AddSingleton<IHankoHandOff>(store));

    /// <summary>A hand-off that records what it is given: a durable store (claims itself) or, with <c>claimsDeliveries: false</c>, a queue.</summary>
    private sealed class RecordingStore(HankoHandOffResult answer, bool claimsDeliveries = true) : IHankoHandOff
    {
        public ConcurrentQueue<(HankoEventParts Parts, string? Reason)> Received { get; } = new();

        public bool ClaimsDeliveries => claimsDeliveries;

        public ValueTask<HankoHandOffResult> HandOffAsync(HankoEventParts delivery, string? unprocessableReason, CancellationToken cancellationToken)
        {
            Received.Enqueue((delivery, unprocessableReason)); // the data is the event's own (decoded) copy, not the request's buffer
            return ValueTask.FromResult(answer);
        }
    }
}
