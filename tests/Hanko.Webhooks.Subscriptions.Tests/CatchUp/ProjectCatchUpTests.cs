using FluentAssertions;
using Hanko.Webhooks.Subscriptions.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Hanko.Webhooks.Subscriptions.Tests.CatchUp;

/// <summary>Each Hanko project has its own catch-up (a keyed <see cref="IHankoCatchUp"/>): its own Admin API, its own receiver.</summary>
public sealed class ProjectCatchUpTests
{
    [Test]
    public async Task RunAsync_NamedProjects_EachReadsItsOwnAdminApiAndHandsOverAsItsOwnProject()
    {
        using var hanko = new FakeHanko();
        await using var adminA = await FakeHankoAdminApi.StartAsync(hanko);
        await using var adminB = await FakeHankoAdminApi.StartAsync(hanko);
        var now = DateTimeOffset.UtcNow;
        var userA = adminA.AddUser(now.AddMinutes(-20));
        var userB = adminB.AddUser(now.AddMinutes(-20));
        var recorder = new CatchUpRecorder();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls($"http://127.0.0.1:{SubscriptionApp.FreePort()}");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(recorder);
        foreach (var (project, admin) in new[] { ("a", adminA), ("b", adminB) })
        {
            builder.Services.AddHankoWebhooks(project, o => (o.JwksUrl, o.Audience) = ($"https://{project}.hanko.test/.well-known/jwks.json", "localhost"))
                .AddHandler<CatchUpRecorder.CatchUpHandler>()
                .AddSubscriptions(o => (o.AdminApiUrl, o.CatchUpRequestsPerSecond) = (admin.BaseAddress.ToString(), 1000));
        }

        await using var app = builder.Build();
        await app.StartAsync();

        app.Services.GetService<IHankoCatchUp>().Should().BeNull("the unnamed registration did not add subscriptions");
        var resultA = await app.Services.GetRequiredKeyedService<IHankoCatchUp>("a").RunAsync(now.AddHours(-1), now.AddSeconds(-1));
        var resultB = await app.Services.GetRequiredKeyedService<IHankoCatchUp>("b").RunAsync(now.AddHours(-1), now.AddSeconds(-1));

        resultA.HandedOver.Should().Be(1);
        resultB.HandedOver.Should().Be(1);
        recorder.CaughtUp.Select(e => (e.UserId, e.Project)).Should().BeEquivalentTo([(userA, "a"), (userB, "b")]);
        adminA.Requests.Should().NotContain(r => r.Path.EndsWith(userB.ToString(), StringComparison.Ordinal));
        adminB.Requests.Should().NotContain(r => r.Path.EndsWith(userA.ToString(), StringComparison.Ordinal));
        await app.StopAsync();
    }
}
