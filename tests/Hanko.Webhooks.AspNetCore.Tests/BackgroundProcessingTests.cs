using System.Net;
using FluentAssertions;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>Acknowledge-then-process mode (<c>UseBackgroundProcessing</c>).</summary>
public sealed class BackgroundProcessingTests
{
    [Test]
    public async Task Queued_Returns202AndProcessesLater()
    {
        await using var t = await TestApp.StartAsync(h => h.UseBackgroundProcessing().AddHandler<GateHandler>());

        using var response = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserCreate));

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        t.Recorder.Calls.Should().BeEmpty("the handler waits for the gate, after the answer");
        t.Recorder.Gate.SetResult();
        await t.Recorder.WaitForAsync(r => r.Calls.Count == 1, "the queued event is processed");
        t.Recorder.Calls[0].Event.Should().BeOfType<UserCreateEvent>();
    }

    [Test]
    public async Task UseBackgroundProcessing_RegistersTheQueueAsTheProjectsHandOff_WhichReliesOnTheReceiversClaim()
    {
        await using var t = await TestApp.StartAsync(h => h.UseBackgroundProcessing(capacity: 5).UseBackgroundProcessing(capacity: 7).AddHandler<AllEventsHandler>());

        var handOff = t.App.Services.GetRequiredService<IHankoHandOff>();

        handOff.ClaimsDeliveries.Should().BeFalse();
        handOff.GetType().Name.Should().Be("HankoEventQueue");
        t.App.Services.GetServices<IHankoHandOff>().Should().ContainSingle("a second call sets the capacity, it adds no second hand-off");
        t.App.Services.GetServices<IHostedService>().Count(s => s.GetType().Name == "HankoEventQueueWorker").Should().Be(1);
        using var response = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserCreate));
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        await t.Recorder.WaitForAsync(r => r.Calls.Count == 1, "the queue's worker hands it back to the receiver");
    }

    [Test]
    public async Task Queued_HandlerThrows_StillAnswered202AndLogged()
    {
        await using var t = await TestApp.StartAsync(h => h.UseBackgroundProcessing().AddHandler<ThrowingUserCreateHandler>().AddHandler<AllEventsHandler>());

        using var response = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserCreate));

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        await t.Recorder.WaitForAsync(r => r.Calls.Count == 1, "the other handler runs");
        await t.Recorder.WaitForAsync(_ => t.Logged(111), "the failure is logged");
    }

    [Test]
    public async Task Queued_Refusals_AreNotQueued()
    {
        await using var t = await TestApp.StartAsync(h => h.UseBackgroundProcessing().AddHandler<AllEventsHandler>());

        using var response = await t.PostAsync(t.Hanko.CreateSessionTokenDelivery());

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task QueueFull_Returns503()
    {
        await using var t = await TestApp.StartAsync(h => h.UseBackgroundProcessing(capacity: 1).AddHandler<GateHandler>());

        using var first = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserCreate));
        (await t.Recorder.GateEntered.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue("the worker took the first event");
        using var second = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserLogin));
        using var third = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserDelete));

        first.StatusCode.Should().Be(HttpStatusCode.Accepted);
        second.StatusCode.Should().Be(HttpStatusCode.Accepted);
        third.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        t.Logged(109).Should().BeTrue();

        t.Recorder.Gate.SetResult();
        await t.Recorder.WaitForAsync(r => r.Calls.Count == 2, "both accepted events are processed");
    }

    [Test]
    public async Task Shutdown_DrainsTheQueueBeforeTheHostStops()
    {
        var t = await TestApp.StartAsync(h => h.UseBackgroundProcessing().AddHandler<GateHandler>());
        try
        {
            foreach (var name in new[] { HankoEventNames.UserCreate, HankoEventNames.UserLogin, HankoEventNames.EmailSend })
            {
                using var response = await t.PostAsync(t.Hanko.CreateDelivery(name));
                response.StatusCode.Should().Be(HttpStatusCode.Accepted);
            }

            var stopping = t.App.StopAsync();
            await Task.Delay(100);
            stopping.IsCompleted.Should().BeFalse("the host waits for the queue");
            t.Recorder.Gate.SetResult();
            await stopping.WaitAsync(TimeSpan.FromSeconds(10));

            t.Recorder.Calls.Select(c => c.Event.Name).Should().Equal(HankoEventNames.UserCreate, HankoEventNames.UserLogin, HankoEventNames.EmailSend);
            t.Logged(112).Should().BeTrue();
            t.Logged(113).Should().BeFalse();
        }
        finally
        {
            await t.DisposeAsync();
        }
    }

    [Test]
    public async Task Shutdown_WithAFullQueue_EveryAcceptedEventIsHandledBeforeExit_EveryRefusedOneIsNot()
    {
        var t = await TestApp.StartAsync(h => h.UseBackgroundProcessing(capacity: 10).AddHandler<GateHandler>());
        try
        {
            var accepted = new List<Guid>();
            var refused = new List<Guid>();
            for (var i = 0; i < 25; i++)
            {
                var marker = Guid.NewGuid();
                using var response = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserLogin, o => o.EditData = d => d["id"] = marker.ToString()));
                (response.StatusCode == HttpStatusCode.Accepted ? accepted : refused).Add(marker);
                response.StatusCode.Should().BeOneOf(HttpStatusCode.Accepted, HttpStatusCode.ServiceUnavailable);
            }

            refused.Should().NotBeEmpty("a full queue answers 503");
            var stopping = t.App.StopAsync();
            await Task.Delay(100);
            stopping.IsCompleted.Should().BeFalse("the host waits for the queue");
            t.Recorder.Gate.SetResult();
            await stopping.WaitAsync(TimeSpan.FromSeconds(10));

            var handled = t.Recorder.Calls.Select(c => ((UserEvent)c.Event).User.Id).ToList();
            handled.Should().Equal(accepted, "every 202 was handled, in order, before the host stopped");
            handled.Should().NotIntersectWith(refused);
            t.Logged(113).Should().BeFalse();
        }
        finally
        {
            await t.DisposeAsync();
        }
    }

    [Test]
    public async Task Shutdown_TimeoutPassed_LogsWhatIsLost()
    {
        var t = await TestApp.StartAsync(
            h => h.UseBackgroundProcessing().AddHandler<GateHandler>(),
            configure: b => b.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(300)));
        try
        {
            foreach (var name in new[] { HankoEventNames.UserCreate, HankoEventNames.UserLogin, HankoEventNames.UserDelete })
            {
                using var response = await t.PostAsync(t.Hanko.CreateDelivery(name));
                response.StatusCode.Should().Be(HttpStatusCode.Accepted);
            }

            await t.App.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));

            var lost = t.Logs.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 113).Subject;
            lost.Message.Should().Contain("3 queued");
            t.Recorder.Calls.Should().BeEmpty();
        }
        finally
        {
            await t.DisposeAsync();
        }
    }
}
