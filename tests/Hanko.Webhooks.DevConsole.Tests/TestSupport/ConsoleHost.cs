using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Hanko.Webhooks.DevConsole.Tests.TestSupport;

/// <summary>
/// An app in Development on a real Kestrel at 127.0.0.1 (the console posts its sends to the app's own address) with the
/// local Hanko, the console at /_hanko and one endpoint at /webhooks/hanko; <c>configure</c> picks the handlers and the mode.
/// </summary>
internal sealed class ConsoleHost : IAsyncDisposable
{
    private ConsoleHost(WebApplication app, Uri address)
    {
        App = app;
        Client = new HttpClient { BaseAddress = address };
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public FakeLogCollector Logs => App.Services.GetFakeLogCollector();

    public static async Task<ConsoleHost> StartAsync(Action<HankoWebhooksBuilder> configure, Action<WebApplicationBuilder>? services = null, Action<WebApplication>? pipeline = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddFakeLogging();
        configure(builder.Services.AddHankoWebhooks().UseDevelopmentHanko());
        services?.Invoke(builder);
        var app = builder.Build();
        pipeline?.Invoke(app);
        app.MapHankoWebhooks("/webhooks/hanko");
        app.MapHankoWebhooksDevConsole();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ConsoleHost(app, new Uri(address));
    }

    /// <summary>Sends <paramref name="eventName"/> with its default payload through the console's API; returns the answer.</summary>
    public async Task<JsonNode> SendAsync(string eventName)
    {
        using var response = await Client.PostAsJsonAsync("/_hanko/api/send", new { @event = eventName });
        var body = await response.Content.ReadAsStringAsync();
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(body)!;
    }

    public async Task<JsonArray> DeliveriesAsync() =>
        JsonNode.Parse(await Client.GetStringAsync("/_hanko/api/deliveries"))!["deliveries"]!.AsArray();

    /// <summary>Polls the console's list until <paramref name="done"/> holds (30 s at most); returns the last list.</summary>
    public async Task<JsonArray> WaitForDeliveriesAsync(Func<JsonArray, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var list = await DeliveriesAsync();
            if (done(list) || DateTime.UtcNow > deadline)
            {
                return list;
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
