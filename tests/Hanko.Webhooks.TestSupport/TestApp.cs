using Hanko.Webhooks.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Hanko.Webhooks.TestSupport;

/// <summary>A WebApplication on TestServer with the Hanko endpoint, a <see cref="FakeHanko"/> serving its JWKS in memory, and captured logs.</summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string Path = "/webhooks/hanko";

    private TestApp(WebApplication app, FakeHanko hanko)
    {
        App = app;
        Hanko = hanko;
        Client = app.GetTestClient();
    }

    public WebApplication App { get; }

    public FakeHanko Hanko { get; }

    public HttpClient Client { get; }

    public Recorder Recorder => App.Services.GetRequiredService<Recorder>();

    public FakeLogCollector Logs => App.Services.GetFakeLogCollector();

    public static async Task<TestApp> StartAsync(
        Action<HankoWebhooksBuilder>? handlers = null,
        Action<WebApplication>? map = null,
        Action<WebApplicationBuilder>? configure = null,
        Action<HankoWebhookOptions>? options = null,
        FakeHanko? hanko = null,
        string? environment = null)
    {
        hanko ??= new FakeHanko();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddFakeLogging();
        builder.Services.AddSingleton<Recorder>();
        var hankoBuilder = builder.Services.AddHankoWebhooks(o =>
        {
            o.JwksUrl = "https://hanko.test/.well-known/jwks.json";
            o.Audience = "localhost";
            options?.Invoke(o);
        });
        builder.Services.AddHttpClient(HankoWebhookOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(hanko.CreateJwksHandler);
        handlers?.Invoke(hankoBuilder);
        configure?.Invoke(builder);

        // Each named project that configure added fetches its keys with a client of its own; the fake serves them too.
        foreach (var project in builder.Services.Where(d => d.ServiceType == typeof(IHankoWebhookReceiver) && d.IsKeyedService).Select(d => d.ServiceKey).OfType<string>().Distinct().ToList())
        {
            builder.Services.AddHttpClient(HankoWebhookOptions.GetHttpClientName(project)).ConfigurePrimaryHttpMessageHandler(hanko.CreateJwksHandler);
        }

        var app = builder.Build();
        if (map is null)
        {
            app.MapHankoWebhooks();
        }
        else
        {
            map(app);
        }

        await app.StartAsync();
        return new TestApp(app, hanko);
    }

    public Task<HttpResponseMessage> PostAsync(HankoDelivery delivery, string path = Path) => Client.PostAsync(path, delivery.ToHttpContent());

    public bool Logged(int eventId) => Logs.GetSnapshot().Any(r => r.Id.Id == eventId);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Hanko.Dispose();
    }
}
