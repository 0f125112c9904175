using System.Net;
using System.Text.Json;
using FluentAssertions;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>
/// The endpoint with a durable store registered (what Hanko.Webhooks.Redis' UseDurableProcessing adds): it writes the
/// core's answer for the store's result, and logs no "queued for background processing" line (id 108) for it.
/// </summary>
public sealed class DurableStatusTests
{
    [Test]
    public async Task Accepted_Is202_HandlersDoNotRunInTheRequest_AndNothingIsLoggedAsQueued()
    {
        var store = new FixedStore(HankoHandOffResult.Accepted);
        await using var t = await TestApp.StartAsync(h => h.AddHandler<AllEventsHandler>(), configure: b => b.Services.AddSingleton<IHankoHandOff>(store));

        using var response = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserCreate));

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        store.Names.Should().Equal("user.create");
        t.Recorder.Calls.Should().BeEmpty("the store's workers run the handlers");
        t.Logged(108).Should().BeFalse("the in-memory queue's line would say the event is in this process's memory");
    }

    [Test]
    public async Task StoreUnavailable_Is503ProblemWithTheStoresReason()
    {
        var store = new FixedStore(HankoHandOffResult.Declined("StoreUnavailable", "The delivery could not be stored."));
        await using var t = await TestApp.StartAsync(h => h.AddHandler<AllEventsHandler>(), configure: b => b.Services.AddSingleton<IHankoHandOff>(store));

        using var response = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.EmailSend));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("title").GetString().Should().Be("StoreUnavailable");
        problem.RootElement.GetProperty("detail").GetString().Should().Be("The delivery could not be stored.");
        t.Recorder.Calls.Should().BeEmpty();
    }

    [Test]
    public async Task UnmodelledData_IsAcceptedAs202_NotRefusedWith422()
    {
        var store = new FixedStore(HankoHandOffResult.Accepted);
        await using var t = await TestApp.StartAsync(h => h.AddHandler<AllEventsHandler>(), configure: b => b.Services.AddSingleton<IHankoHandOff>(store));

        using var response = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserCreate, o => o.EditData = data => data["id"] = "not-a-uuid"));

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        store.Names.Should().Equal("user.create");
        store.Reasons.Should().ContainSingle().Which.Should().Contain("user.create");
    }

    [Test]
    public async Task AStoreRegisteredForTheProjectBefore_IsNotReplacedByTheBackgroundQueue()
    {
        var store = new FixedStore(HankoHandOffResult.Accepted);
        await using var t = await TestApp.StartAsync(h =>
        {
            h.Services.AddSingleton<IHankoHandOff>(store);
            h.AddHandler<AllEventsHandler>().UseBackgroundProcessing();
        });

        using var response = await t.PostAsync(t.Hanko.CreateDelivery(HankoEventNames.UserCreate));

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        store.Names.Should().Equal("user.create");
        t.Logged(108).Should().BeFalse("nothing went into the in-memory queue");
        t.App.Services.GetRequiredService<IHankoHandOff>().Should().BeSameAs(store);
    }

    private sealed class FixedStore(HankoHandOffResult answer) : IHankoHandOff
    {
        public bool ClaimsDeliveries => true;

        public List<string> Names { get; } = [];

        public List<string> Reasons { get; } = [];

        public ValueTask<HankoHandOffResult> HandOffAsync(HankoEventParts delivery, string? unprocessableReason, CancellationToken cancellationToken)
        {
            lock (Names)
            {
                Names.Add(delivery.Name);
                if (unprocessableReason is not null)
                {
                    Reasons.Add(unprocessableReason);
                }
            }

            return ValueTask.FromResult(answer);
        }
    }
}
