using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Hanko.Webhooks.Redis.Tests.TestSupport;

/// <summary>
/// A durable host on any StackExchange.Redis configuration (Sentinel, Cluster), with a Data Protection key ring in a
/// directory (not in the Redis under test, which loses data on purpose), an <see cref="Outcomes"/> handler and short cadences.
/// </summary>
internal static class ReplicatedHost
{
    public static Task<TestApp> StartAsync(
        string configuration,
        FakeHanko hanko,
        Outcomes outcomes,
        DirectoryInfo keyRing,
        Action<HankoRedisOptions> redis,
        Action<HankoDurableProcessingOptions>? durable = null,
        Action<IServiceCollection>? services = null) =>
        TestApp.StartAsync(
            h => h.AddHandler<OutcomeHandler>()
                .UseRedis(o =>
                {
                    o.Configuration = configuration;
                    redis(o);
                })
                .UseDurableProcessing(o =>
                {
                    o.RetryDelays = [.. Enumerable.Repeat(TimeSpan.FromMilliseconds(200), 5)];
                    o.VisibilityTimeout = TimeSpan.FromSeconds(2);
                    o.MaintenanceInterval = TimeSpan.FromMilliseconds(50);
                    o.PollInterval = TimeSpan.FromMilliseconds(20);
                    durable?.Invoke(o);
                }),
            configure: b =>
            {
                b.Services.AddSingleton(outcomes);
                b.Services.AddDataProtection().SetApplicationName("hanko-tests").PersistKeysToFileSystem(keyRing);
                services?.Invoke(b.Services);
            },
            hanko: hanko);
}
