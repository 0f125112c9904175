using FluentAssertions;
using Hanko.Webhooks.Subscriptions.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Hanko.Webhooks.Subscriptions.Tests;

/// <summary>
/// Two Hanko projects in one app on real Kestrel, each watching its own hook through its own fake Admin API (own URL, own
/// API key): each ensures its own plan, has its own health entry, and one Admin API going down degrades only its entry.
/// </summary>
[NonParallelizable]
public sealed class SeveralProjectsSubscriptionTests
{
    private FakeHanko _hanko = null!;
    private FakeHankoAdminApi _adminA = null!;
    private FakeHankoAdminApi _adminB = null!;

    [SetUp]
    public async Task StartFakes()
    {
        _hanko = new FakeHanko();
        _adminA = await FakeHankoAdminApi.StartAsync(_hanko);
        _adminA.RequiredApiKey = "key-a";
        _adminB = await FakeHankoAdminApi.StartAsync(_hanko);
        _adminB.RequiredApiKey = "key-b";
    }

    [TearDown]
    public async Task StopFakes()
    {
        await _adminA.DisposeAsync();
        await _adminB.DisposeAsync();
        _hanko.Dispose();
    }

    [Test]
    public async Task TwoProjects_EachEnsuresItsOwnPlanOnItsOwnAdminApi_OneAdminApiDown_OnlyItsEntryDegraded()
    {
        var url = $"http://127.0.0.1:{SubscriptionApp.FreePort()}";
        await using var app = await StartAsync(url);

        var a = await WaitForAsync(app, "a", e => e.Data.ContainsKey("checkedAt"));
        var b = await WaitForAsync(app, "b", e => e.Data.ContainsKey("checkedAt"));
        a.Status.Should().Be(HealthStatus.Healthy);
        b.Status.Should().Be(HealthStatus.Healthy);
        a.Data["callback"].Should().Be(url + "/webhooks/hanko/a");
        b.Data["callback"].Should().Be(url + "/webhooks/hanko/b");

        var hookA = _adminA.Hooks.Should().ContainSingle("a ensured its hook on a's Admin API only").Subject;
        hookA.Callback.Should().Be(url + "/webhooks/hanko/a");
        hookA.EventNames.Should().BeEquivalentTo(["user"], "a's plan: the shared handler (user.*) and a's own (user.*)");
        var hookB = _adminB.Hooks.Should().ContainSingle().Subject;
        hookB.Callback.Should().Be(url + "/webhooks/hanko/b");
        hookB.EventNames.Should().BeEquivalentTo(["email.send", "user"], "b's plan: the shared handler and b's own (email.send)");
        _adminA.Requests.Should().OnlyContain(r => r.Authorization == "Bearer key-a", "a's key goes to a's Admin API only");
        _adminB.Requests.Should().OnlyContain(r => r.Authorization == "Bearer key-b");

        var clientA = app.Services.GetRequiredKeyedService<IHankoWebhookSubscriptions>("a");
        (await clientA.ListAsync()).Database.Should().ContainSingle().Which.Callback.Should().Be(url + "/webhooks/hanko/a");
        app.Services.GetService<IHankoWebhookSubscriptions>().Should().BeNull("the unnamed registration did not add subscriptions");
        (await _adminA.TriggerAsync(HankoEventNames.UserCreate)).Single().Status.Should().Be(200, "a's hook delivers to a's endpoint");
        (await _adminB.TriggerAsync(HankoEventNames.EmailSend)).Single().Status.Should().Be(200);

        await _adminB.DisposeAsync(); // b's Admin API goes down
        var downB = await WaitForAsync(app, "b", e => e.Status == HealthStatus.Degraded);
        downB.Data.Should().ContainKey("lastError");
        var stillA = await HealthAsync(app, "a");
        stillA.Status.Should().Be(HealthStatus.Healthy, "a's Admin API still answers");
        stillA.Data.Should().NotContainKey("lastError");
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // a polls again meanwhile
        (await HealthAsync(app, "a")).Status.Should().Be(HealthStatus.Healthy);
    }

    [Test]
    public async Task NamedProjectOptions_BindSharedSectionThenTheProjects_AdminApiFromTheProjectsTenant_ValidationNamesTheProject()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hanko:Webhooks:Subscriptions:ApiKey"] = "shared-key",
            ["Hanko:Webhooks:Subscriptions:WatchInterval"] = "00:05:00",
            ["Hanko:Webhooks:Projects:eu:TenantId"] = "eu-tenant",
            ["Hanko:Webhooks:Projects:eu:Subscriptions:CallbackUrl"] = "https://app.example.com/webhooks/hanko/eu",
            ["Hanko:Webhooks:Projects:us:JwksUrl"] = "https://us.example.com/.well-known/jwks.json",
            ["Hanko:Webhooks:Projects:us:Subscriptions:CallbackUrl"] = "https://app.example.com/webhooks/hanko/us",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddHankoWebhooks("eu").AddSubscriptions(o => o.RemoveUnhandledEvents = true);
        services.AddHankoWebhooks("us").AddSubscriptions();
        await using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<HankoWebhookSubscriptionOptions>>();

        var eu = monitor.Get("eu");
        eu.ApiKey.Should().Be("shared-key", "a key the project's section does not set falls back to Hanko:Webhooks:Subscriptions");
        eu.WatchInterval.Should().Be(TimeSpan.FromMinutes(5));
        eu.CallbackUrl.Should().Be("https://app.example.com/webhooks/hanko/eu");
        eu.AdminApiUrl.Should().BeNull("eu's Admin API is derived from its own tenant id (https://eu-tenant.hanko.io/admin), so eu validates");
        eu.RemoveUnhandledEvents.Should().BeTrue("code runs after the configuration");

        var us = () => monitor.Get("us");
        us.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain(
            "Hanko project \"us\": No Hanko Admin API is configured: set Hanko:Webhooks:Projects:us:Subscriptions:AdminApiUrl");
    }

    private async Task<WebApplication> StartAsync(string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls(url);
        builder.Logging.ClearProviders();
        builder.Services.AddHealthChecks();
        builder.Services.AddHankoWebhooks(o => (o.JwksUrl, o.Audience) = ("https://hanko.test/.well-known/jwks.json", "localhost"))
            .AddHandler<SharedUserHandler>(); // shared: in every project's plan
        builder.Services.AddHttpClient(HankoWebhookOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(_hanko.CreateJwksHandler); // after AddHankoWebhooks, whose handler it replaces
        foreach (var (project, admin) in new[] { ("a", _adminA), ("b", _adminB) })
        {
            var hanko = builder.Services.AddHankoWebhooks(project, o => (o.JwksUrl, o.Audience) = ($"https://{project}.hanko.test/.well-known/jwks.json", "localhost"));
            builder.Services.AddHttpClient(HankoWebhookOptions.GetHttpClientName(project)).ConfigurePrimaryHttpMessageHandler(_hanko.CreateJwksHandler); // each project's own JWKS client
            _ = project == "a" ? hanko.AddHandler<SharedUserHandler>() : hanko.AddHandler<MailHandler>();
            hanko.AddSubscriptions(o =>
                {
                    o.AdminApiUrl = admin.BaseAddress.ToString();
                    o.ApiKey = "key-" + project;
                    o.CallbackUrl = $"{url}/webhooks/hanko/{project}";
                    o.EnsureOnStart = true;
                    o.WatchInterval = TimeSpan.FromMilliseconds(500);
                })
                .AddSubscriptionHealthCheck();
        }

        builder.Services.AddHttpClient(HankoWebhookSubscriptionOptions.HttpClientName).ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(2)); // one client for every project
        var app = builder.Build();
        app.MapHankoWebhooks("/webhooks/hanko/a", "a");
        app.MapHankoWebhooks("/webhooks/hanko/b", "b");
        await app.StartAsync();
        return app;
    }

    private static async Task<HealthReportEntry> HealthAsync(WebApplication app, string project)
    {
        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        report.Entries.Keys.Should().NotContain(HankoWebhooksSubscriptionBuilderExtensions.DefaultHealthCheckName, "only the projects watch a hook");
        return report.Entries[$"hanko-webhooks-subscription-{project}"];
    }

    private static async Task<HealthReportEntry> WaitForAsync(WebApplication app, string project, Func<HealthReportEntry, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        HealthReportEntry entry;
        while (!condition(entry = await HealthAsync(app, project)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{project}'s health entry did not reach the expected state; last: {entry.Status} {entry.Description}");
            }

            await Task.Delay(25);
        }

        return entry;
    }

    internal sealed class SharedUserHandler : IHankoEventHandler<UserEvent>
    {
        public Task HandleAsync(UserEvent @event, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    internal sealed class MailHandler : IHankoEventHandler<EmailSendEvent>
    {
        public Task HandleAsync(EmailSendEvent @event, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
