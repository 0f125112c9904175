using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Hanko.Webhooks.DevConsole.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.DevConsole.Tests;

/// <summary>What one Send through the console's API is: a new delivery, and a refused one with the reason its answer gives.</summary>
// Its own Kestrel at port 0 and nothing static; mostly waits (24 sends of one event need 24 seconds): it runs beside the
// other fixtures marked Parallelizable.
[Parallelizable(ParallelScope.Self)]
public sealed class ConsoleSendTests
{
    [Test]
    public async Task TwentyFourRapidSends_OfTheSameEventAndPayload_AreTwentyFourDeliveries_EachHandled()
    {
        var handled = new ConcurrentBag<string>();
        await using var host = await ConsoleHost.StartAsync(h => h.AddHandler<CountingHandler>(), b => b.Services.AddSingleton(handled));

        var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => host.SendAsync(HankoEventNames.UserCreate)));

        answers.Select(a => a["status"]!.GetValue<int>()).Should().AllBeEquivalentTo(200, "no send is taken for a duplicate of another");
        answers.Select(a => a["delivery"]!["outcome"]!.GetValue<string>()).Should().AllBeEquivalentTo("handled");
        answers.Select(a => a["delivery"]!["deliveryId"]!.GetValue<string>()).Should().OnlyHaveUniqueItems();
        handled.Should().HaveCount(24).And.OnlyHaveUniqueItems();
        var list = await host.DeliveriesAsync();
        list.Should().HaveCount(24).And.OnlyContain(d => d!["outcome"]!.GetValue<string>() == "handled");
    }

    [Test]
    public async Task AForgedSend_IsListedRefused_WithTheReasonItsAnswerGives()
    {
        await using var host = await ConsoleHost.StartAsync(h => h.AddHandler<CountingHandler>(), b => b.Services.AddSingleton(new ConcurrentBag<string>()));

        using var response = await host.Client.PostAsJsonAsync("/_hanko/api/send", new { @event = HankoEventNames.UserCreate, attack = "expired" });
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        answer["status"]!.GetValue<int>().Should().Be(401);
        var delivery = answer["delivery"]!;
        delivery["outcome"]!.GetValue<string>().Should().Be("refused");
        delivery["failure"]!.GetValue<string>().Should().Be("Expired");
        delivery["detail"]!.GetValue<string>().Should().MatchRegex("(?i)expired", "the row says why, as the 401's problem detail does");
        (await host.DeliveriesAsync()).Single()!["detail"]!.GetValue<string>().Should().Be(delivery["detail"]!.GetValue<string>());
    }

    public sealed class CountingHandler(ConcurrentBag<string> handled, HankoDeliveryContext delivery) : IHankoEventHandler<UserCreateEvent>
    {
        public Task HandleAsync(UserCreateEvent @event, CancellationToken cancellationToken)
        {
            handled.Add(delivery.DeliveryId);
            return Task.CompletedTask;
        }
    }
}
