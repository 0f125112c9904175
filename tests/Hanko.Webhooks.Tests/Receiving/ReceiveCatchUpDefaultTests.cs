using System.Collections.Concurrent;
using System.Text;
using FluentAssertions;
using Hanko.Webhooks.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Receiving;

/// <summary>
/// The default <see cref="IHankoWebhookReceiver.ReceiveCatchUpAsync"/> of a receiver written against 1.0 (a decorator, a fake):
/// it builds the catch-up's parts with the core's writer and goes back in through that receiver's own
/// <see cref="IHankoWebhookReceiver.ProcessHandedOffAsync"/>, so the user still reaches the catch-up handlers.
/// </summary>
public sealed class ReceiveCatchUpDefaultTests
{
    private static readonly DateTimeOffset From = VerifierHarness.Start.AddHours(-2);
    private static readonly DateTimeOffset To = VerifierHarness.Start.AddHours(-1);

    [Test]
    public async Task ReceiveCatchUpAsync_OnADecoratorWrittenFor10_ReachesTheCatchUpHandlersThroughProcessHandedOff()
    {
        var caught = new ReceiveCatchUpTests.Caught();
        await using var harness = ReceiverHarness.Create(services: s => s.AddSingleton(caught), handlers: h => h.AddHandler<ReceiveCatchUpTests.CatchUpHandler>());
        var decorator = new Decorator(harness.Receiver);
        var id = Guid.Parse("e1a8f2c4-6b0e-4f4a-9a53-5a3c8d2b7e11");
        var user = Fixtures.Data(Fixtures.ForEvent(HankoEventNames.UserCreate));

        var result = await ((IHankoWebhookReceiver)decorator).ReceiveCatchUpAsync(id, user, [HankoEventNames.UserCreate], ["user_created"], From, To);

        result.Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        result.Dispatch!.Succeeded.Should().BeTrue();
        decorator.HandedBack.Should().ContainSingle().Which.Attempt.Should().Be(1, "a catch-up's first run is its first attempt");
        var e = caught.Events.Should().ContainSingle().Subject;
        (e.UserId, e.IsDeleted, e.WindowStart, e.WindowEnd).Should().Be((id, false, From, To));
        e.User!.Emails.Should().NotBeEmpty();
        e.EventNames.Should().Equal(HankoEventNames.UserCreate);
        e.AuditLogTypes.Should().Equal("user_created");
        e.DeliveryId.Should().MatchRegex("^[0-9a-f]{64}$");
    }

    [Test]
    public async Task ReceiveCatchUpAsync_OnAFakeReceiver_HandsItTheCatchUpsPartsOnce()
    {
        var fake = new Decorator(inner: null);
        var id = Guid.NewGuid();

        var result = await ((IHankoWebhookReceiver)fake).ReceiveCatchUpAsync(id, ReadOnlyMemory<byte>.Empty, [HankoEventNames.UserDelete], ["user_deleted"], From, To);

        result.Outcome.Should().Be(HankoReceiveOutcome.Accepted, "the fake's answer is the answer");
        var (parts, attempt) = fake.HandedBack.Should().ContainSingle().Subject;
        attempt.Should().Be(1);
        parts.Name.Should().Be("hanko-webhooks.catch-up.user");
        parts.DeliveryId.Should().MatchRegex("^[0-9a-f]{64}$");
        parts.ExpiresAt.Should().Be(parts.IssuedAt.AddDays(7));
        var data = Encoding.UTF8.GetString(parts.Data.Span);
        data.Should().Contain(id.ToString("D")).And.Contain("user_deleted").And.NotContain("\"user\":");
    }

    [Test]
    public async Task ReceiveCatchUpAsync_OnAFakeReceiver_UserThatDoesNotFit_IsRefusedWithoutCallingIt()
    {
        var fake = new Decorator(inner: null);

        var result = await ((IHankoWebhookReceiver)fake).ReceiveCatchUpAsync(Guid.NewGuid(), Encoding.UTF8.GetBytes("[1,2]"), [], [], From, To);

        result.Outcome.Should().Be(HankoReceiveOutcome.Refused);
        result.Failure.Should().Be(HankoWebhookFailure.InvalidPayload);
        fake.HandedBack.Should().BeEmpty();
    }

    [Test]
    public async Task ReceiveCatchUpAsync_OnAFakeReceiver_EmptyWindow_Throws()
    {
        var fake = new Decorator(inner: null);

        var act = async () => await ((IHankoWebhookReceiver)fake).ReceiveCatchUpAsync(Guid.NewGuid(), ReadOnlyMemory<byte>.Empty, [], [], To, From);

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*ends*before it starts*");
        fake.HandedBack.Should().BeEmpty();
    }

    /// <summary>A receiver as an app wrote it against 1.0: every member but the catch-up, forwarded (or, without an inner one, answered 202).</summary>
    private sealed class Decorator(IHankoWebhookReceiver? inner) : IHankoWebhookReceiver
    {
        public ConcurrentQueue<(HankoEventParts Parts, int Attempt)> HandedBack { get; } = new();

        public ValueTask<HankoReceiveResult> ReceiveAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
            inner!.ReceiveAsync(body, cancellationToken);

        public ValueTask<HankoReceiveResult> ReceiveAsync(ReadOnlyMemory<byte> body, HankoReceiveOptions? options, CancellationToken cancellationToken = default) =>
            inner!.ReceiveAsync(body, options, cancellationToken);

        public ValueTask<HankoReceiveResult> ReceiveAsync(Stream body, HankoRequestInfo? request = null, CancellationToken cancellationToken = default) =>
            inner!.ReceiveAsync(body, request, cancellationToken);

        public ValueTask<HankoReceiveResult> ReceiveAsync(Stream body, HankoRequestInfo? request, HankoReceiveOptions? options, CancellationToken cancellationToken = default) =>
            inner!.ReceiveAsync(body, request, options, cancellationToken);

        public Task<HankoReceiveResult> ProcessHandedOffAsync(HankoEventParts delivery, int attempt, CancellationToken cancellationToken = default)
        {
            HandedBack.Enqueue((delivery, attempt));
            return inner is null
                ? Task.FromResult(HankoReceiveResult.Acknowledged(HankoReceiveOutcome.Accepted, HankoVerificationResult.Fail(HankoWebhookFailure.InvalidPayload, "unused")))
                : inner.ProcessHandedOffAsync(delivery, attempt, cancellationToken);
        }
    }
}
