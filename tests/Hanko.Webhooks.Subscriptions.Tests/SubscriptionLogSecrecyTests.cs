using FluentAssertions;
using Hanko.Webhooks.Subscriptions.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Hanko.Webhooks.Subscriptions.Tests;

/// <summary>
/// The log-secrecy approach of the endpoint tests, for the Admin API: a run through ensure, watch, errors and a repair,
/// every category captured at Trace level, searched for the key.
/// </summary>
[NonParallelizable]
public sealed class SubscriptionLogSecrecyTests
{
    private static readonly Action<ILogger, Exception?> TraceProbe = LoggerMessage.Define(LogLevel.Trace, new EventId(1, "Probe"), "trace probe");

    [Test]
    public async Task FullRun_ApiKeyNeverInALogRecordOrHealthData()
    {
        var key = "hk_canary_" + Guid.NewGuid().ToString("N");
        using var hanko = new FakeHanko();
        await using var admin = await FakeHankoAdminApi.StartAsync(hanko);
        admin.RequiredApiKey = key;
        var callback = "http://127.0.0.1:9/webhooks/hanko?token=callback-secret-" + Guid.NewGuid().ToString("N");
        admin.AddHook(callback, ["user"], enabled: false, failures: 6);

        await using var app = await SubscriptionApp.StartAsync(hanko, admin, o =>
        {
            o.ApiKey = key;
            o.EnsureOnStart = true;
            o.WatchInterval = TimeSpan.FromMilliseconds(300);
            o.AutoReenable = true;
        }, callback: callback);
        await app.WaitUntilCheckedAsync(); // re-enabled and extended at start
        admin.Mutate(admin.Hooks.Single().Id, h => h.Enabled = false);
        await app.WaitForHealthAsync(e => e.Data.ContainsKey("lastRepairAt"), TimeSpan.FromSeconds(10)); // seen disabled, repaired
        admin.RequiredApiKey = "another-key"; // now every request is refused
        await app.WaitForHealthAsync(e => e.Data.ContainsKey("lastError"), TimeSpan.FromSeconds(10));
        await using var failing = await SubscriptionApp.StartAsync(hanko, admin, o => { o.ApiKey = key; o.EnsureOnStart = true; }, callback: callback);
        await failing.WaitUntilCheckedAsync(); // ensure refused with 401
        var health = await app.HealthAsync();

        admin.Requests.Should().OnlyContain(r => r.Authorization == "Bearer " + key, "the key is really sent");
        // No SDK or framework component logs at Trace on this path any more (the HttpClient factory's loggers are off for
        // both of the SDK's clients), so prove the capture's level with a probe record of our own.
        TraceProbe(app.App.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Probe"), null);
        var records = app.Logs.GetSnapshot().Concat(failing.Logs.GetSnapshot()).ToList();
        records.Select(r => r.Id.Id).Should().Contain([50, 51, 53, 54, 59, 60, 64, 66], "the run exercises calls, ensure, a failure, a disable, a repair and a failed watch");
        records.Should().Contain(r => r.Level == Microsoft.Extensions.Logging.LogLevel.Trace, "the capture really is at Trace level");
        records.Should().NotContain(r => (r.Category ?? string.Empty).StartsWith("System.Net.Http.HttpClient.Hanko.Webhooks.AdminApi", StringComparison.Ordinal),
            "the Admin API client has no factory loggers: their header records hold raw values in their structured state");
        foreach (var record in records)
        {
            var texts = new List<string?> { record.Message, record.Exception?.ToString() };
            texts.AddRange(record.StructuredState?.Select(kv => kv.Value) ?? []);
            foreach (var text in texts.OfType<string>())
            {
                text.Should().NotContain(key, $"log record {record.Id} ({record.Category}) must not carry the API key");
                text.Should().NotContain("callback-secret-", $"log record {record.Id} ({record.Category}) must not carry the callback's query");
            }
        }

        foreach (var value in health.Data.Values.Append(health.Description ?? string.Empty))
        {
            (value?.ToString() ?? string.Empty).Should().NotContain(key).And.NotContain("callback-secret-");
        }
    }
}
