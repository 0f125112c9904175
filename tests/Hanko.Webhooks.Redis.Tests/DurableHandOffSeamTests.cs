using System.Net;
using FluentAssertions;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>
/// The Redis store is the project's one <see cref="IHankoHandOff"/>, and its worker hands each stored delivery back through
/// the core's one way back in (<see cref="IHankoWebhookReceiver.ProcessHandedOffAsync"/>): the event is rebuilt with the
/// core's reader and limits (a 1,400-deep unsafe_metadata: DurableProcessingTests), and each run is counted by the core.
/// </summary>
[NonParallelizable]
public sealed class DurableHandOffSeamTests : RedisTests
{
    private static string NewPrefix() => "s-" + Guid.NewGuid().ToString("N")[..8];

    [TestCase(true)]
    [TestCase(false)]
    public async Task TheStore_IsTheProjectsHandOff_ClaimsItself_AndTakesPrecedenceOverTheBackgroundQueue_InEitherOrder(bool durableFirst)
    {
        var prefix = NewPrefix();
        var outcomes = new Outcomes();
        await using var app = await TestApp.StartAsync(
            h =>
            {
                h.AddHandler<OutcomeHandler>().UseRedis(o => (o.Configuration, o.KeyPrefix) = (Redis.Configuration, prefix));
                if (durableFirst)
                {
                    h.UseDurableProcessing(o => o.PollInterval = TimeSpan.FromMilliseconds(20)).UseBackgroundProcessing();
                }
                else
                {
                    h.UseBackgroundProcessing().UseDurableProcessing(o => o.PollInterval = TimeSpan.FromMilliseconds(20));
                }
            },
            configure: b =>
            {
                b.Services.AddSingleton(outcomes);
                b.Services.AddDataProtection().SetApplicationName("hanko-tests");
            });
        var delivery = app.Hanko.CreateDelivery(HankoEventNames.UserCreate);

        using var response = await app.PostAsync(delivery);

        var handOff = app.App.Services.GetServices<IHankoHandOff>().Should().ContainSingle().Subject;
        (handOff.GetType().Name, handOff.ClaimsDeliveries).Should().Be(("RedisDurableStore", true));
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        await Outcomes.WaitForAsync(() => outcomes.SuccessCount(Deliveries.IdOf(delivery)) == 1, "the durable worker processes it");
        app.Logged(108).Should().BeFalse("nothing went into the in-memory queue");
    }

    [Test]
    public async Task EachRun_IsCountedByTheCore_WithItsAttempt_TheDeliveryOnce()
    {
        var prefix = NewPrefix();
        var outcomes = new Outcomes { Decide = (_, context, _) => context.Attempt == 1 ? throw new InvalidOperationException("first run fails") : Task.CompletedTask };
        using var telemetry = new TelemetryCapture();
        await using var app = await DurableHost.StartAsync(Redis, new FakeHanko(), prefix, outcomes);
        var delivery = app.Hanko.CreateDelivery(HankoEventNames.UserLogin);

        (await app.PostAsync(delivery)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await Outcomes.WaitForAsync(() => outcomes.SuccessCount(Deliveries.IdOf(delivery)) == 1, "the retry succeeds");
        await Outcomes.WaitForAsync(() => telemetry.SpansNamed("hanko.webhooks.handed_off").Count == 2, "both runs end");

        telemetry.Sum("hanko.webhooks.deliveries").Should().Be(1, "one delivery, one count");
        telemetry.Sum("hanko.webhooks.deliveries", ("hanko.webhook.event", "user.login"), ("hanko.webhook.outcome", "accepted")).Should().Be(1);
        telemetry.Sum("hanko.webhooks.handed_off.runs", ("hanko.webhook.event", "user.login"), ("hanko.webhook.outcome", "handler_failed")).Should().Be(1);
        telemetry.Sum("hanko.webhooks.handed_off.runs", ("hanko.webhook.event", "user.login"), ("hanko.webhook.outcome", "handled")).Should().Be(1);
        telemetry.SpansNamed("hanko.webhooks.handed_off").Select(s => s.GetTagItem("hanko.webhook.attempt")).Should().Equal(1, 2);
    }
}
