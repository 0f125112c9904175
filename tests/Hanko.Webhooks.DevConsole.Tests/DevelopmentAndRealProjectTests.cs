using System.Net;
using System.Text.Json.Nodes;
using FluentAssertions;
using Hanko.Webhooks.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Hanko.Webhooks.DevConsole.Tests;

/// <summary>
/// One app, two projects, on real Kestrel in Development: one calls <c>UseDevelopmentHanko()</c> (local mode), the other reads
/// the keys of its real Hanko from a JWKS served by another real Kestrel. The local Hanko's key serves only the project that
/// opted in: the real project never trusts it and keeps verifying its own Hanko's deliveries.
/// </summary>
[NonParallelizable]
public sealed class DevelopmentAndRealProjectTests
{
    [TestCase(null, "real")]
    [TestCase("dev", null)]
    public async Task DevelopmentHankoOnOneProject_TheRealProjectRefusesItsDeliveries_AndVerifiesItsOwnHankos(string? devProject, string? realProject)
    {
        // Same audience on both sides, so that only the key can tell the two Hankos apart.
        using var realHanko = new FakeHanko(new FakeHankoOptions { Audience = "localhost" });
        await using var jwks = await JwksServer.StartAsync(realHanko);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        Add(builder.Services, devProject, o => o.JwksRefetchCooldown = TimeSpan.FromMilliseconds(1)).UseDevelopmentHanko();
        Add(builder.Services, realProject, o => (o.JwksUrl, o.Audience, o.JwksRefetchCooldown) = (jwks.Url, "localhost", TimeSpan.FromMilliseconds(1)));
        await using var app = builder.Build();
        app.MapHankoWebhooks("/webhooks/dev", devProject, configure: null);
        app.MapHankoWebhooks("/webhooks/real", realProject, configure: null);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(Address(app)) };
        var local = app.Services.GetRequiredService<HankoDevelopmentHanko>();
        local.CanSign.Should().BeTrue("the development project has no key source");

        var devAtReal = await PostAsync(client, "/webhooks/real", local.Hanko.CreateDelivery(HankoEventNames.UserCreate));
        var realAtReal = await PostAsync(client, "/webhooks/real", realHanko.CreateDelivery(HankoEventNames.UserCreate));
        var devAtDev = await PostAsync(client, "/webhooks/dev", local.Hanko.CreateDelivery(HankoEventNames.UserCreate));
        var realAtDev = await PostAsync(client, "/webhooks/dev", realHanko.CreateDelivery(HankoEventNames.UserCreate));

        devAtReal.Should().Be((HttpStatusCode.Unauthorized, nameof(HankoWebhookFailure.UnknownKey)), "the development key is not among the real Hanko's keys");
        realAtReal.Should().Be((HttpStatusCode.OK, null), "the real project verifies against its real Hanko's JWKS");
        devAtDev.Should().Be((HttpStatusCode.OK, null), "the development project still trusts the local Hanko");
        realAtDev.Should().Be((HttpStatusCode.Unauthorized, nameof(HankoWebhookFailure.UnknownKey)), "the development project trusts the local Hanko only");
        jwks.Requests.Should().BeGreaterThan(0, "the real project's keys came from its real JWKS, over the network");
    }

    private static HankoWebhooksBuilder Add(IServiceCollection services, string? project, Action<HankoWebhookOptions> configure) =>
        project is null ? services.AddHankoWebhooks(configure) : services.AddHankoWebhooks(project, configure);

    private static async Task<(HttpStatusCode Status, string? Title)> PostAsync(HttpClient client, string path, HankoDelivery delivery)
    {
        using var response = await client.PostAsync(path, delivery.ToHttpContent());
        var refusal = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
        return (response.StatusCode, refusal ? JsonNode.Parse(await response.Content.ReadAsStringAsync())!["title"]!.GetValue<string>() : null);
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

    /// <summary>A real Hanko's JWKS on its own Kestrel, counting requests.</summary>
    private sealed class JwksServer(WebApplication app) : IAsyncDisposable
    {
        private int _requests;

        public string Url => Address(app) + "/.well-known/jwks.json";

        public int Requests => Volatile.Read(ref _requests);

        public static async Task<JwksServer> StartAsync(FakeHanko hanko)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var server = new JwksServer(app);
            app.MapGet("/.well-known/jwks.json", (HttpContext context) =>
            {
                Interlocked.Increment(ref server._requests);
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync(hanko.GetJwksJson());
            });
            await app.StartAsync();
            return server;
        }

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }
}
