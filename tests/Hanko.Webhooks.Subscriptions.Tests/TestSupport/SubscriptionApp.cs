using System.Net;
using System.Net.Sockets;
using Hanko.Webhooks.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Hanko.Webhooks.Subscriptions.Tests.TestSupport;

/// <summary>An application on a real Kestrel (127.0.0.1) with the Hanko endpoint, subscription management and its health check.</summary>
internal sealed class SubscriptionApp : IAsyncDisposable
{
    public const string Path = "/webhooks/hanko";

    private SubscriptionApp(WebApplication app, string callback)
    {
        App = app;
        Callback = callback;
    }

    public WebApplication App { get; }

    /// <summary>The public webhook URL this app ensures (its own endpoint unless another was given).</summary>
    public string Callback { get; }

    public FakeLogCollector Logs => App.Services.GetFakeLogCollector();

    public FailSwitch Switch => App.Services.GetRequiredService<FailSwitch>();

    public static async Task<SubscriptionApp> StartAsync(
        FakeHanko hanko,
        FakeHankoAdminApi admin,
        Action<HankoWebhookSubscriptionOptions>? configure = null,
        Action<HankoWebhooksBuilder>? handlers = null,
        string? callback = null,
        bool mapEndpoint = true)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        callback ??= url + Path;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls(url);
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddFakeLogging();
        builder.Services.AddSingleton<FailSwitch>();
        builder.Services.AddHealthChecks();
        var hankoBuilder = builder.Services.AddHankoWebhooks(o =>
        {
            o.JwksUrl = "https://hanko.test/.well-known/jwks.json";
            o.Audience = "localhost";
        });
        builder.Services.AddHttpClient(HankoWebhookOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(hanko.CreateJwksHandler);
        if (handlers is null)
        {
            hankoBuilder.AddHandler<FlakyUserHandler>().AddHandler<MailHandler>();
        }
        else
        {
            handlers(hankoBuilder);
        }

        hankoBuilder
            .AddSubscriptions(o =>
            {
                o.AdminApiUrl = admin.BaseAddress.ToString();
                o.CallbackUrl = callback;
                configure?.Invoke(o);
            })
            .AddSubscriptionHealthCheck();

        var app = builder.Build();
        if (mapEndpoint)
        {
            app.MapHankoWebhooks(Path);
        }

        await app.StartAsync();
        return new SubscriptionApp(app, callback);
    }

    public async Task<HealthReportEntry> HealthAsync()
    {
        var report = await App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries[HankoWebhooksSubscriptionBuilderExtensions.DefaultHealthCheckName];
    }

    /// <summary>Polls the health check until <paramref name="condition"/> holds; returns the entry and when it first held.</summary>
    public async Task<HealthReportEntry> WaitForHealthAsync(Func<HealthReportEntry, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        HealthReportEntry entry;
        while (!condition(entry = await HealthAsync()))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The health check did not reach the expected state within {timeout}; last: {entry.Status} {entry.Description}");
            }

            await Task.Delay(25);
        }

        return entry;
    }

    /// <summary>Waits until the ensure at start has finished (the health entry then carries <c>checkedAt</c>).</summary>
    public Task<HealthReportEntry> WaitUntilCheckedAsync() => WaitForHealthAsync(e => e.Data.ContainsKey("checkedAt"), TimeSpan.FromSeconds(20));

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal sealed class FailSwitch
    {
        public volatile bool Fail;
    }

    /// <summary>Handles every user event; throws (so the endpoint answers 500) while the switch is on.</summary>
    internal sealed class FlakyUserHandler(FailSwitch failSwitch) : IHankoEventHandler<UserEvent>
    {
        public Task HandleAsync(UserEvent @event, CancellationToken cancellationToken) =>
            failSwitch.Fail ? throw new InvalidOperationException("The user store is down.") : Task.CompletedTask;
    }

    internal sealed class MailHandler : IHankoEventHandler<EmailSendEvent>
    {
        public Task HandleAsync(EmailSendEvent @event, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
