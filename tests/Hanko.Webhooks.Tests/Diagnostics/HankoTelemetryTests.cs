using System.Diagnostics;
using FluentAssertions;
using Hanko.Webhooks.Diagnostics;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.Tests.TestSupport;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Diagnostics;

/// <summary>Spans and metrics of the core used alone (verifier, JWKS store, dispatcher), read back like OpenTelemetry reads them.</summary>
[NonParallelizable]
public sealed class HankoTelemetryTests
{
    [Test]
    public async Task Receiver_OpensOneDeliverySpanPerDelivery_WithTheVerifySpanUnderIt()
    {
        using var h = new VerifierHarness();
        var receiver = h.CreateReceiver();
        await h.VerifyAsync(h.Hanko.CreateDelivery("user.create")); // fetches the keys
        using var capture = new TelemetryCapture();

        (await receiver.ReceiveAsync(h.Hanko.CreateDelivery("email.send").BodyBytes)).StatusCode.Should().Be(200);
        (await receiver.ReceiveAsync(h.Hanko.CreateExpiredDelivery("user.update").BodyBytes)).Failure.Should().Be(HankoWebhookFailure.Expired);

        var spans = capture.SpansNamed(HankoTelemetryNames.DeliverySpan);
        spans.Should().HaveCount(2);
        spans[0].GetTagItem("hanko.webhook.event").Should().Be("email.send");
        spans[0].GetTagItem("hanko.webhook.outcome").Should().Be("handled");
        spans[0].GetTagItem("http.response.status_code").Should().Be(200);
        spans[1].GetTagItem("hanko.webhook.event").Should().BeNull("an unverified event name is not trusted");
        spans[1].GetTagItem("hanko.webhook.outcome").Should().Be("refused");
        spans[1].GetTagItem("hanko.webhook.failure").Should().Be("Expired");
        spans[1].GetTagItem("http.response.status_code").Should().Be(401);
        spans.Should().OnlyContain(s => s.Source.Name == "Hanko.Webhooks" && s.Kind == ActivityKind.Internal);
        capture.SpansNamed(HankoTelemetryNames.VerifySpan).Select(v => v.ParentSpanId).Should().Equal(spans.Select(d => d.SpanId));
        Activity.Current.Should().BeNull("the receiver restores the caller's current span");
    }

    [Test]
    public async Task Verifier_UsedAlone_OpensOneVerifySpanPerDelivery_AndNoDeliverySpan()
    {
        using var h = new VerifierHarness();
        await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"));
        using var capture = new TelemetryCapture();

        (await h.VerifyAsync(h.Hanko.CreateDelivery("email.send"))).IsValid.Should().BeTrue();
        (await h.VerifyAsync(h.Hanko.CreateExpiredDelivery("user.update"))).Failure.Should().Be(HankoWebhookFailure.Expired);

        capture.SpansNamed(HankoTelemetryNames.DeliverySpan).Should().BeEmpty("a delivery span is the receiver's: the verifier does not decide an answer");
        var spans = capture.SpansNamed(HankoTelemetryNames.VerifySpan);
        spans.Should().HaveCount(2);
        spans[0].GetTagItem("hanko.webhook.event").Should().Be("email.send");
        spans[0].GetTagItem("hanko.webhook.outcome").Should().Be("verified");
        ((string?)spans[0].GetTagItem("hanko.webhook.delivery_id")).Should().MatchRegex("^[0-9a-f]{64}$", "a verified delivery names its delivery id");
        spans[1].GetTagItem("hanko.webhook.delivery_id").Should().BeNull("a refused delivery has no trusted id");
        spans[1].GetTagItem("hanko.webhook.event").Should().BeNull("an unverified event name is not trusted");
        spans[1].GetTagItem("hanko.webhook.outcome").Should().Be("refused");
        spans[1].GetTagItem("hanko.webhook.failure").Should().Be("Expired");
    }

    [Test]
    public async Task Verifier_BodyAndTokenEntryPoints_OpenExactlyOneSpanEach()
    {
        using var h = new VerifierHarness();
        await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"));
        using var capture = new TelemetryCapture();
        var delivery = h.Hanko.CreateDelivery("user.login");

        (await h.Verifier.VerifyAsync(delivery.BodyBytes)).IsValid.Should().BeTrue();
        (await h.Verifier.VerifyTokenAsync(delivery.Token, "user.login")).IsValid.Should().BeTrue();

        capture.Spans.Should().HaveCount(2).And.OnlyContain(s => s.OperationName == HankoTelemetryNames.VerifySpan);
        Activity.Current.Should().BeNull("the verifier restores the caller's current span");
    }

    [Test]
    public async Task Receiver_UnderARecordedSpan_NestsTheDeliverySpanUnderIt()
    {
        using var h = new VerifierHarness();
        var receiver = h.CreateReceiver();
        await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"));
        using var capture = new TelemetryCapture();
        using var host = new Activity("host");
        host.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        host.Start();

        (await receiver.ReceiveAsync(h.Hanko.CreateDelivery("session.create.flow").BodyBytes)).StatusCode.Should().Be(200);

        var delivery = capture.SpansNamed(HankoTelemetryNames.DeliverySpan).Should().ContainSingle().Subject;
        delivery.ParentSpanId.Should().Be(host.SpanId);
        delivery.TraceId.Should().Be(host.TraceId);
        delivery.Links.Should().BeEmpty();
        delivery.GetTagItem("hanko.webhook.event").Should().Be("session.create.flow", "the receiver names the event on the delivery span");
        var verify = capture.SpansNamed(HankoTelemetryNames.VerifySpan).Should().ContainSingle().Subject;
        delivery.GetTagItem("hanko.webhook.delivery_id").Should().NotBeNull().And.Be(verify.GetTagItem("hanko.webhook.delivery_id"));
        delivery.GetTagItem("hanko.webhook.outcome").Should().Be("handled");
        Activity.Current.Should().BeSameAs(host);
    }

    [Test]
    public async Task Receiver_UnderAnUnrecordedSpan_StartsARootDeliverySpanLinkedToIt()
    {
        using var h = new VerifierHarness();
        var receiver = h.CreateReceiver();
        await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"));
        using var capture = new TelemetryCapture();
        using var request = new Activity("Microsoft.AspNetCore.Hosting.HttpRequestIn").Start(); // what ASP.NET Core creates when nobody traces it
        request.Recorded.Should().BeFalse();

        (await receiver.ReceiveAsync(h.Hanko.CreateDelivery("session.create.flow").BodyBytes)).StatusCode.Should().Be(200);

        var delivery = capture.SpansNamed(HankoTelemetryNames.DeliverySpan).Should().ContainSingle().Subject;
        delivery.ParentSpanId.Should().Be(default(ActivitySpanId), "a parent-based sampler would drop a child of an unrecorded span");
        delivery.TraceId.Should().NotBe(request.TraceId);
        delivery.Links.Should().ContainSingle().Which.Context.SpanId.Should().Be(request.SpanId);
        capture.SpansNamed(HankoTelemetryNames.VerifySpan).Should().ContainSingle().Which.ParentSpanId.Should().Be(delivery.SpanId);
        Activity.Current.Should().BeSameAs(request, "the caller's span is current again");
    }

    [Test]
    public async Task JwksFetch_IsARootSpanLinkedToTheDeliveryThatCausedIt_AndCounted()
    {
        using var h = new VerifierHarness();
        using var capture = new TelemetryCapture();

        (await h.CreateReceiver().ReceiveAsync(h.Hanko.CreateDelivery("user.create").BodyBytes)).Event.Should().NotBeNull();

        var fetch = capture.SpansNamed(HankoTelemetryNames.JwksFetchSpan).Should().ContainSingle().Subject;
        var delivery = capture.SpansNamed(HankoTelemetryNames.DeliverySpan).Should().ContainSingle().Subject;
        fetch.Parent.Should().BeNull();
        fetch.ParentSpanId.Should().Be(default(ActivitySpanId));
        var verify = capture.SpansNamed(HankoTelemetryNames.VerifySpan).Should().ContainSingle().Subject;
        fetch.Links.Should().ContainSingle().Which.Context.SpanId.Should().Be(verify.SpanId, "the verification waiting for the key caused the fetch");
        verify.ParentSpanId.Should().Be(delivery.SpanId);
        fetch.GetTagItem("hanko.webhook.jwks.result").Should().Be("success");
        fetch.GetTagItem("hanko.webhook.jwks.key_count").Should().Be(1);
        fetch.GetTagItem("server.address").Should().Be("hanko.test");
        capture.Sum("hanko.webhooks.jwks.fetches", ("hanko.webhook.jwks.result", "success")).Should().Be(1);
    }

    [TestCase(FakeJwksBehavior.ServerError, "http_error")]
    [TestCase(FakeJwksBehavior.InvalidJson, "invalid_jwks")]
    [TestCase(FakeJwksBehavior.Empty, "no_usable_key")]
    public async Task JwksFetch_Failure_IsCountedByKindAndMarksTheSpanAsError(FakeJwksBehavior behavior, string result)
    {
        using var h = new VerifierHarness();
        h.Hanko.JwksBehavior = behavior;
        using var capture = new TelemetryCapture();

        (await h.CreateReceiver().ReceiveAsync(h.Hanko.CreateDelivery("user.create").BodyBytes)).Failure.Should().Be(HankoWebhookFailure.KeysUnavailable);

        var fetch = capture.SpansNamed(HankoTelemetryNames.JwksFetchSpan).Should().ContainSingle().Subject;
        fetch.Status.Should().Be(ActivityStatusCode.Error);
        fetch.GetTagItem("hanko.webhook.jwks.result").Should().Be(result);
        capture.Of("hanko.webhooks.jwks.fetches").Should().ContainSingle().Which.Tag("hanko.webhook.jwks.result").Should().Be(result);
        capture.Sum("hanko.webhooks.refusals", ("hanko.webhook.failure", "KeysUnavailable")).Should().Be(1);
    }

    [Test]
    public async Task Receiver_CountsEveryDeliveryOnceWithItsOutcome()
    {
        using var h = new VerifierHarness();
        await using var provider = Services(s => s
            .AddScoped<IHankoEventHandler<UserCreateEvent>, FailingHandler>()
            .AddScoped<IHankoEventHandler<HankoEvent>, QuietHandler>());
        var receiver = h.CreateReceiver(provider.GetRequiredService<IHankoEventDispatcher>());
        await h.VerifyAsync(h.Hanko.CreateDelivery("user.login"));
        using var capture = new TelemetryCapture();

        foreach (var delivery in new[]
        {
            h.Hanko.CreateDelivery("user.create"),
            h.Hanko.CreateDelivery("email.send"),
            h.Hanko.CreateDelivery("email.send"),
            h.Hanko.CreateTamperedPayloadDelivery("user.update"),
            h.Hanko.CreateSessionTokenDelivery(),
        })
        {
            await receiver.ReceiveAsync(delivery.BodyBytes);
        }

        const string deliveries = "hanko.webhooks.deliveries";
        capture.Of(deliveries).Should().HaveCount(5).And.OnlyContain(m => m.Unit == "{delivery}" && m.Value == 1);
        capture.Sum(deliveries, ("hanko.webhook.event", "email.send"), ("hanko.webhook.outcome", "handled")).Should().Be(2);
        capture.Sum(deliveries, ("hanko.webhook.event", "user.create"), ("hanko.webhook.outcome", "handler_failed")).Should().Be(1);
        capture.Sum(deliveries, ("hanko.webhook.outcome", "refused")).Should().Be(2);
        capture.Of("hanko.webhooks.refusals").Select(m => m.Tag("hanko.webhook.failure")).Should().BeEquivalentTo("BadSignature", "NotWebhookToken");

        var durations = capture.Of("hanko.webhooks.handler.duration");
        durations.Should().HaveCount(4).And.OnlyContain(m => m.Unit == "s" && m.Kind.StartsWith("Histogram") && m.Value >= 0);
        durations.Should().ContainSingle(m => m.Tag("hanko.webhook.outcome") == "failure")
            .Which.Tags.Should().Contain(new Dictionary<string, string?>
            {
                ["hanko.webhook.event"] = "user.create",
                ["hanko.webhook.handler"] = typeof(FailingHandler).FullName,
                ["error.type"] = "System.InvalidOperationException",
            });
    }

    [Test]
    public async Task Dispatcher_OpensOneSpanPerHandler_UnderTheCurrentSpan_WithoutTheExceptionMessage()
    {
        using var h = new VerifierHarness();
        await using var provider = Services(s => s
            .AddScoped<IHankoEventHandler<UserCreateEvent>, FailingHandler>()
            .AddScoped<IHankoEventHandler<HankoEvent>, QuietHandler>());
        var verified = await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"));
        using var capture = new TelemetryCapture();
        using var parent = new ActivitySource("Test.Host").StartActivity("host") ?? new Activity("host").Start();

        await provider.GetRequiredService<IHankoEventDispatcher>().DispatchAsync(verified.Event!);

        var spans = capture.SpansNamed(HankoTelemetryNames.HandlerSpan);
        spans.Should().HaveCount(2).And.OnlyContain(s => s.ParentSpanId == parent.SpanId);
        spans[0].GetTagItem("hanko.webhook.handler").Should().Be(typeof(FailingHandler).FullName);
        spans[0].GetTagItem("hanko.webhook.outcome").Should().Be("failure");
        spans[0].Status.Should().Be(ActivityStatusCode.Error);
        spans[0].StatusDescription.Should().Be("System.InvalidOperationException");
        spans[0].Events.Should().BeEmpty("an exception event would carry the handler's message");
        spans[1].GetTagItem("hanko.webhook.handler").Should().Be(typeof(QuietHandler).FullName);
        spans[1].GetTagItem("hanko.webhook.outcome").Should().Be("success");
        spans.Should().OnlyContain(s => (string?)s.GetTagItem("hanko.webhook.event") == "user.create");
        Activity.Current.Should().BeSameAs(parent);
    }

    [Test]
    public async Task Receiver_Duplicate_CountsTheReplayByEvent()
    {
        using var h = new VerifierHarness();
        var receiver = h.CreateReceiver(replayProtection: true);
        var email = h.Hanko.CreateDelivery("email.send");
        (await receiver.ReceiveAsync(email.BodyBytes)).Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        using var capture = new TelemetryCapture();

        (await receiver.ReceiveAsync(email.BodyBytes)).Outcome.Should().Be(HankoReceiveOutcome.Duplicate);

        var replay = capture.Of("hanko.webhooks.replays").Should().ContainSingle().Subject;
        replay.Value.Should().Be(1);
        replay.Unit.Should().Be("{delivery}");
        replay.Tag("hanko.webhook.event").Should().Be("email.send");
    }

    [Test]
    public async Task NobodyListening_VerifyAndDispatchCreateNoSpans()
    {
        using var h = new VerifierHarness();
        await using var provider = Services(s => s.AddScoped<IHankoEventHandler<HankoEvent>, QuietHandler>());
        var started = 0;
        using var other = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Some.Other.Source",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = _ => started++,
        };
        ActivitySource.AddActivityListener(other);

        var result = await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"));
        await provider.GetRequiredService<IHankoEventDispatcher>().DispatchAsync(result.Event!);

        HankoSpans.Source.HasListeners().Should().BeFalse();
        started.Should().Be(0);
        Activity.Current.Should().BeNull();
    }

    private static ServiceProvider Services(Action<IServiceCollection> handlers)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHankoWebhooks(o => o.JwksUrl = "https://hanko.test/.well-known/jwks.json");
        handlers(services);
        return services.BuildServiceProvider();
    }

    private sealed class FailingHandler : IHankoEventHandler<UserCreateEvent>
    {
        public Task HandleAsync(UserCreateEvent @event, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("message that must not reach a span");
    }

    private sealed class QuietHandler : IHankoEventHandler<HankoEvent>
    {
        public Task HandleAsync(HankoEvent @event, CancellationToken cancellationToken) => Task.Delay(1, cancellationToken);
    }
}
