using System.Collections.Concurrent;
using FluentAssertions;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Receiving;

/// <summary>
/// The one way back in, <see cref="IHankoWebhookReceiver.ProcessHandedOffAsync"/>: both workers (the in-memory queue's and
/// the durable store's) hand a delivery back through it; it rebuilds the event with the core's reader, dispatches with the
/// attempt, settles the receiver's claim, and counts the run.
/// </summary>
public sealed class HandedOffProcessingTests
{
    [Test]
    public async Task InMemoryHandOff_ClaimsAtHandOff_DeclinedReleases_AFailedRunBackInReleases_ASucceededOneKeeps()
    {
        var queue = new Queue();
        await using var h = Create(queue);
        var delivery = h.Hanko.CreateDelivery(HankoEventNames.UserCreate);

        queue.Take = false;
        var declined = await h.Receiver.ReceiveAsync(delivery.BodyBytes);
        queue.Take = true;
        var handedOff = await h.Receiver.ReceiveAsync(delivery.BodyBytes);
        var repeat = await h.Receiver.ReceiveAsync(delivery.BodyBytes);
        h.Counter.FailNext = 1;
        var failed = await h.Receiver.ProcessHandedOffAsync(queue.Parts.Single(), attempt: 1);
        var afterRelease = await h.Receiver.ReceiveAsync(delivery.BodyBytes);
        var succeeded = await h.Receiver.ProcessHandedOffAsync(queue.Parts.Last(), attempt: 1);
        var afterSuccess = await h.Receiver.ReceiveAsync(delivery.BodyBytes);

        (declined.Outcome, declined.StatusCode, declined.ProblemTitle, declined.ProblemDetail)
            .Should().Be((HankoReceiveOutcome.HandOffDeclined, 503, "QueueFull", "The queue is full."));
        (handedOff.Outcome, handedOff.StatusCode).Should().Be((HankoReceiveOutcome.Accepted, 202));
        repeat.Outcome.Should().Be(HankoReceiveOutcome.Duplicate, "the claim was taken when the delivery was handed off");
        (failed.Outcome, failed.Dispatch!.Succeeded, failed.Dispatch.Failures.Count).Should().Be((HankoReceiveOutcome.Dispatched, false, 1));
        afterRelease.Outcome.Should().Be(HankoReceiveOutcome.Accepted, "the failed run released the claim, so a genuine copy is taken again");
        succeeded.Dispatch!.Succeeded.Should().BeTrue();
        afterSuccess.Outcome.Should().Be(HankoReceiveOutcome.Duplicate, "a run that succeeded keeps the claim");
        h.Counter.Total.Should().Be(2, "handlers run only when a delivery comes back in");
    }

    [Test]
    public async Task HandedOffDelivery_IsCountedOnceAsAccepted_AndItsRunOnce_WithTheAttemptOnItsSpan()
    {
        var queue = new Queue();
        await using var h = Create(queue);
        using var telemetry = new TelemetryCapture();

        var received = await h.Receiver.ReceiveAsync(h.Hanko.CreateDelivery(HankoEventNames.UserLogin).BodyBytes);
        var run = await h.Receiver.ProcessHandedOffAsync(queue.Parts.Single(), attempt: 1);

        (received.Outcome, run.Outcome, run.Dispatch!.Succeeded).Should().Be((HankoReceiveOutcome.Accepted, HankoReceiveOutcome.Dispatched, true));
        telemetry.Sum("hanko.webhooks.deliveries").Should().Be(1, "one delivery, one count");
        telemetry.Sum("hanko.webhooks.deliveries", ("hanko.webhook.event", "user.login"), ("hanko.webhook.outcome", "accepted")).Should().Be(1);
        telemetry.Sum("hanko.webhooks.handed_off.runs", ("hanko.webhook.event", "user.login"), ("hanko.webhook.outcome", "handled")).Should().Be(1);
        telemetry.SpansNamed("hanko.webhooks.delivery").Should().ContainSingle().Which.GetTagItem("hanko.webhook.outcome").Should().Be("accepted");
        var span = telemetry.SpansNamed("hanko.webhooks.handed_off").Should().ContainSingle().Subject;
        (span.GetTagItem("hanko.webhook.attempt"), span.GetTagItem("hanko.webhook.outcome"), span.GetTagItem("hanko.webhook.delivery_id"))
            .Should().Be((1, "handled", received.Event!.DeliveryId));
        telemetry.SpansNamed("hanko.webhooks.handler").Should().ContainSingle().Which.ParentSpanId.Should().Be(span.SpanId, "the handler ran under the run's span");
    }

    [Test]
    public async Task HandOffThatClaimsItself_AFailedRun_ReleasesNothing_AndTheHandlerSeesTheAttempt()
    {
        var store = new Queue { ClaimsDeliveries = true };
        await using var h = Create(store, handlers: b => b.AddHandler<CountingHandler>().AddHandler<AttemptHandler>());
        await h.Receiver.ReceiveAsync(h.Hanko.CreateDelivery(HankoEventNames.UserCreate).BodyBytes);
        h.Counter.FailNext = 1;

        var run = await h.Receiver.ProcessHandedOffAsync(store.Parts.Single(), attempt: 3);

        run.Dispatch!.Succeeded.Should().BeFalse();
        h.Logged(44).Should().BeFalse("the store settles its own claim (it retries); the receiver took none");
        h.Provider.GetRequiredService<Attempts>().Seen.Should().Equal(3);
    }

    [Test]
    public async Task PartsThatDoNotFitTheModel_AreRefusedWithTheReason_NoHandlerRuns_AndTheClaimIsReleased()
    {
        var queue = new Queue();
        await using var h = Create(queue);
        using var telemetry = new TelemetryCapture();
        await h.Receiver.ReceiveAsync(h.Hanko.CreateDelivery(HankoEventNames.UserCreate).BodyBytes);
        var parts = queue.Parts.Single();
        var broken = new HankoEventParts(parts.Name, """{"id":"not-a-uuid"}"""u8.ToArray()) { DeliveryId = parts.DeliveryId, ExpiresAt = parts.ExpiresAt };

        var run = await h.Receiver.ProcessHandedOffAsync(broken, attempt: 1);

        (run.Outcome, run.Failure, run.Dispatch).Should().Be((HankoReceiveOutcome.Refused, HankoWebhookFailure.InvalidPayload, (HankoDispatchResult?)null));
        run.ProblemDetail.Should().Contain("user.create").And.NotContain("not-a-uuid");
        h.Counter.Total.Should().Be(0);
        h.Logged(44).Should().BeTrue("a delivery that cannot be processed is not remembered as processed");
        telemetry.Sum("hanko.webhooks.handed_off.runs", ("hanko.webhook.outcome", "refused")).Should().Be(1);
    }

    [Test]
    public async Task TheRebuiltEvent_IsThisReceiversProjects_WhateverThePartsSay()
    {
        var queue = new Queue();
        await using var h = Create(queue, handlers: b => b.AddHandler<CountingHandler>().AddHandler<AttemptHandler>());
        await h.Receiver.ReceiveAsync(h.Hanko.CreateDelivery(HankoEventNames.UserLogin).BodyBytes);

        await h.Receiver.ProcessHandedOffAsync(queue.Parts.Single() with { Project = "someone-else" }, attempt: 1);

        h.Provider.GetRequiredService<Attempts>().Projects.Should().Equal([null]);
    }

    [Test]
    public async Task ProcessHandedOffAsync_RejectsAnAttemptBelowOne_AndPartsWithoutAName()
    {
        await using var h = ReceiverHarness.Create();

        await FluentActions.Awaiting(() => h.Receiver.ProcessHandedOffAsync(new HankoEventParts("user.login", "{}"u8.ToArray()), attempt: 0)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await FluentActions.Awaiting(() => h.Receiver.ProcessHandedOffAsync(default, attempt: 1)).Should().ThrowAsync<ArgumentException>();
    }

    private static ReceiverHarness Create(Queue queue, Action<HankoWebhooksBuilder>? handlers = null) =>
        ReceiverHarness.Create(services: s => s.AddSingleton<IHankoHandOff>(queue).AddSingleton<Attempts>(), handlers: handlers);

    /// <summary>A hand-off holding the parts in a list: an in-process queue, or with <see cref="ClaimsDeliveries"/> a store.</summary>
    private sealed class Queue : IHankoHandOff
    {
        public ConcurrentQueue<HankoEventParts> Parts { get; } = new();

        public bool Take { get; set; } = true;

        public bool ClaimsDeliveries { get; init; }

        public ValueTask<HankoHandOffResult> HandOffAsync(HankoEventParts delivery, string? unprocessableReason, CancellationToken cancellationToken)
        {
            if (!Take)
            {
                return ValueTask.FromResult(HankoHandOffResult.Declined("QueueFull", "The queue is full."));
            }

            Parts.Enqueue(delivery);
            return ValueTask.FromResult(HankoHandOffResult.Accepted);
        }
    }

    private sealed class Attempts
    {
        public ConcurrentQueue<int> Seen { get; } = new();

        public ConcurrentQueue<string?> Projects { get; } = new();
    }

    private sealed class AttemptHandler(Attempts attempts, HankoDeliveryContext context) : IHankoEventHandler<HankoEvent>
    {
        public Task HandleAsync(HankoEvent @event, CancellationToken cancellationToken)
        {
            attempts.Seen.Enqueue(context.Attempt);
            attempts.Projects.Enqueue(@event.Project);
            return Task.CompletedTask;
        }
    }
}
