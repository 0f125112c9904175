using System.Net;
using System.Net.Http.Headers;
using FluentAssertions;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using NUnit.Framework;

namespace Hanko.Webhooks.AspNetCore.Tests;

/// <summary>A sample of the core envelope fuzz cases (same mutator) through the real endpoint on TestServer.</summary>
public sealed class EnvelopeFuzzOverHttpTests
{
    private const int Seed = 4242;
    private const int Cases = 500;

    [Test]
    public async Task MutatedDeliveries_OverHttp_Always4xxOrAcknowledgedDuplicate_NeverDispatched()
    {
        await using var t = await TestApp.StartAsync(h => h.AddHandler<AllEventsHandler>());
        var originals = FakeHanko.EventNames.Select(name => t.Hanko.CreateDelivery(name)).ToList();
        foreach (var original in originals)
        {
            using var ok = await t.PostAsync(original);
            ok.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var rng = new Random(Seed);
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < Cases; i++)
        {
            var original = originals[rng.Next(originals.Count)];
            var (kind, body) = EnvelopeMutator.Mutate(rng, original, originals);
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await t.Client.PostAsync(TestApp.Path, content);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var because = $"case {i} (seed {Seed}): {kind} of {original.EventName}";
            if (status == 200)
            {
                EnvelopeMutator.SameDeliveryAs(body, originals).Should().NotBeNull($"{because} was acknowledged, so it must be a copy of a delivery already received");
            }
            else
            {
                status.Should().BeInRange(400, 499, because);
            }
        }

        TestContext.Out.WriteLine($"{Cases} mutants over HTTP (seed {Seed}): " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        t.Recorder.Calls.Should().HaveCount(originals.Count, "only the genuine originals were dispatched");
    }
}
