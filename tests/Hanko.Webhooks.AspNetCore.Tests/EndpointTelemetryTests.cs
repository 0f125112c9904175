using System.Diagnostics;
using System.Net;
using FluentAssertions;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>Spans and metrics of real deliveries through the endpoint on TestServer, read like OpenTelemetry reads them.</summary>
[NonParallelizable]
public sealed class EndpointTelemetryTests
{
    [Test]
    public async Task Endpoint_Deliveries_OneDeliverySpanEachWithVerifyAndHandlerSpansUnderIt()
    {
        await using var app = await TestApp.StartAsync(h => h.AddHandler<AllEventsHandler>().AddHandler<ThrowingUserCreateHandler>());
        (await app.PostAsync(app.Hanko.CreateDelivery("user.login"))).StatusCode.Should().Be(HttpStatusCode.OK); // keys fetched
        using var capture = new TelemetryCapture();

        (await app.PostAsync(app.Hanko.CreateDelivery("email.send"))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await app.PostAsync(app.Hanko.CreateDelivery("user.create"))).StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        (await app.PostAsync(app.Hanko.CreateExpiredDelivery("user.update"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var deliveries = capture.SpansNamed("hanko.webhooks.delivery");
        deliveries.Should().HaveCount(3);
        Tags(deliveries[0]).Should().Contain(new Dictionary<string, object?> { ["hanko.webhook.event"] = "email.send", ["hanko.webhook.outcome"] = "handled", ["http.response.status_code"] = 200 });
        Tags(deliveries[1]).Should().Contain(new Dictionary<string, object?> { ["hanko.webhook.event"] = "user.create", ["hanko.webhook.outcome"] = "handler_failed", ["http.response.status_code"] = 500 });
        Tags(deliveries[2]).Should().Contain(new Dictionary<string, object?> { ["hanko.webhook.outcome"] = "refused", ["hanko.webhook.failure"] = "Expired", ["http.response.status_code"] = 401 });
        Tags(deliveries[2]).Should().NotContainKey("hanko.webhook.event");

        var verifies = capture.SpansNamed("hanko.webhooks.verify");
        verifies.Select(v => v.ParentSpanId).Should().Equal(deliveries.Select(d => d.SpanId), "one verify span under each delivery span, never a second delivery span");
        var handlers = capture.SpansNamed("hanko.webhooks.handler");
        handlers.Should().HaveCount(3); // email.send: AllEvents; user.create: Throwing + AllEvents
        handlers.Where(s => (string?)s.GetTagItem("hanko.webhook.event") == "user.create").Should().OnlyContain(s => s.ParentSpanId == deliveries[1].SpanId);
        handlers.Should().ContainSingle(s => s.Status == ActivityStatusCode.Error)
            .Which.GetTagItem("hanko.webhook.handler").Should().Be(typeof(ThrowingUserCreateHandler).FullName);
    }

    [Test]
    public async Task Endpoint_Metrics_DeliveriesByEventAndOutcome_RefusalsByReason_HandlerDuration()
    {
        using var capture = new TelemetryCapture(); // before the host starts, which fetches the keys
        await using var app = await TestApp.StartAsync(
            h => h.AddHandler<AllEventsHandler>().AddHandler<ThrowingUserCreateHandler>(),
            map: a => a.MapHankoWebhooks("/webhooks/hanko", o => o.AcceptEvent<UserEvent>()));

        (await app.PostAsync(app.Hanko.CreateDelivery("user.login"))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await app.PostAsync(app.Hanko.CreateDelivery("user.create"))).StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        (await app.PostAsync(app.Hanko.CreateDelivery("email.send"))).StatusCode.Should().Be(HttpStatusCode.OK); // filtered
        (await app.PostAsync(app.Hanko.CreateSessionTokenDelivery())).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await app.PostAsync(app.Hanko.CreateUnknownKeyDelivery())).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await app.Client.PostAsync(TestApp.Path, new StringContent("{}", System.Text.Encoding.UTF8, "text/plain"))).StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);

        const string deliveries = "hanko.webhooks.deliveries";
        capture.Of(deliveries).Should().HaveCount(6);
        capture.Sum(deliveries, ("hanko.webhook.event", "user.login"), ("hanko.webhook.outcome", "handled")).Should().Be(1);
        capture.Sum(deliveries, ("hanko.webhook.event", "user.create"), ("hanko.webhook.outcome", "handler_failed")).Should().Be(1);
        capture.Sum(deliveries, ("hanko.webhook.event", "email.send"), ("hanko.webhook.outcome", "filtered")).Should().Be(1);
        capture.Sum(deliveries, ("hanko.webhook.outcome", "refused")).Should().Be(3);
        capture.Of("hanko.webhooks.refusals").Select(m => m.Tag("hanko.webhook.failure"))
            .Should().BeEquivalentTo("NotWebhookToken", "UnknownKey", "UnsupportedMediaType");
        // The host's warm-up fetch, and the one the unknown kid waited for (a kid is refused only once a fetch made after
        // it was first seen did not contain it).
        capture.Sum("hanko.webhooks.jwks.fetches", ("hanko.webhook.jwks.result", "success")).Should().Be(2);
        var fetches = capture.SpansNamed("hanko.webhooks.jwks.fetch");
        fetches.Should().HaveCount(2);
        fetches[0].Links.Should().BeEmpty("the host's warm-up fetch has no delivery to link to");
        fetches[1].Links.Should().ContainSingle("the unknown kid's fetch links to the delivery that caused it");
        capture.Of("hanko.webhooks.handler.duration").Should().HaveCount(3).And.OnlyContain(m => m.Unit == "s");
        capture.SpansNamed("hanko.webhooks.delivery").Should().HaveCount(6)
            .And.ContainSingle(s => (string?)s.GetTagItem("hanko.webhook.outcome") == "filtered");
    }

    [Test]
    public async Task Endpoint_BackgroundProcessing_QueuedDeliveryIsCountedOnceAsAccepted_AndItsRunWhenItsHandlersHaveRun()
    {
        await using var app = await TestApp.StartAsync(h => h.AddHandler<AllEventsHandler>().UseBackgroundProcessing());
        using var capture = new TelemetryCapture();

        (await app.PostAsync(app.Hanko.CreateDelivery("session.create.flow"))).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await app.Recorder.WaitForAsync(r => r.Calls.Count == 1, "the queued event is dispatched");
        await TestSupport.Wait.UntilAsync(() => capture.Of("hanko.webhooks.handed_off.runs").Count == 1);

        capture.SpansNamed("hanko.webhooks.delivery").Should().ContainSingle().Which.GetTagItem("hanko.webhook.outcome").Should().Be("accepted");
        capture.Of("hanko.webhooks.deliveries").Should().ContainSingle("one delivery, one count");
        capture.Sum("hanko.webhooks.deliveries", ("hanko.webhook.event", "session.create.flow"), ("hanko.webhook.outcome", "accepted")).Should().Be(1);
        capture.Sum("hanko.webhooks.handed_off.runs", ("hanko.webhook.event", "session.create.flow"), ("hanko.webhook.outcome", "handled")).Should().Be(1);
        capture.SpansNamed("hanko.webhooks.handed_off").Should().ContainSingle().Which.GetTagItem("hanko.webhook.attempt").Should().Be(1);
    }

    private static Dictionary<string, object?> Tags(Activity activity) => activity.TagObjects.ToDictionary(t => t.Key, t => t.Value);
}
