// The README's WebApplicationFactory recipe (NUnit) as a user writes it, run against the sample: its usings come after this
// file's namespace, and it names Hanko.Webhooks although this namespace is inside it.
#pragma warning disable IDE0005, IDE0065
namespace Hanko.Webhooks.DevConsole.Tests.Docs;

#region readme-devconsole-recipe
using System.Net;
using Hanko.Webhooks;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

public sealed class WebhookEndpointTests
{
    [Test]
    public async Task UserCreate_ReachesTheHandlers_AndAStolenSessionTokenIsRefused()
    {
        // Program calls AddHankoWebhooks().UseDevelopmentHanko(); the factory runs it in Development.
        var seen = new SeenEvents();
        await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web.ConfigureServices(services =>
            services.AddSingleton(seen).AddHankoWebhooks().AddHandler<RecordEvents>())); // beside the app's own handlers
        using var client = app.CreateClient();
        var hanko = app.Services.GetRequiredService<HankoDevelopmentHanko>().Hanko; // the key the app trusts

        var response = await client.PostAsync("/webhooks/hanko", hanko.CreateDelivery("user.create").ToHttpContent());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(seen.Names, Is.EqualTo(new[] { "user.create" }));

        var forged = await client.PostAsync("/webhooks/hanko", hanko.CreateSessionTokenDelivery().ToHttpContent());
        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(seen.Names, Has.Count.EqualTo(1));
    }
}

public sealed class SeenEvents
{
    public List<string> Names { get; } = [];
}

public sealed class RecordEvents(SeenEvents seen) : IHankoEventHandler<HankoEvent>
{
    public Task HandleAsync(HankoEvent @event, CancellationToken cancellationToken)
    {
        lock (seen.Names)
        {
            seen.Names.Add(@event.Name);
        }

        return Task.CompletedTask;
    }
}
#endregion
