using System.Collections.Concurrent;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Tests.TestSupport;

/// <summary>Starts TestServer hosts on one Redis with a shared Data Protection key ring, fast retry options, and a <see cref="Outcomes"/> handler.</summary>
internal static class DurableHost
{
    public static Task<TestApp> StartAsync(
        RedisServer redis,
        FakeHanko hanko,
        string prefix,
        Outcomes outcomes,
        Action<HankoDurableProcessingOptions>? durable = null,
        Action<IServiceCollection>? services = null,
        string? environment = null) =>
        TestApp.StartAsync(
            h => h.AddHandler<OutcomeHandler>()
                .UseRedis(o => (o.Configuration, o.KeyPrefix) = (redis.Configuration, prefix))
                .UseDurableProcessing(o =>
                {
                    o.RetryDelays = [.. Enumerable.Repeat(TimeSpan.FromMilliseconds(20), 5)]; // six runs, as by default
                    o.VisibilityTimeout = TimeSpan.FromSeconds(1);
                    o.MaintenanceInterval = TimeSpan.FromMilliseconds(50);
                    o.PollInterval = TimeSpan.FromMilliseconds(20);
                    durable?.Invoke(o);
                }),
            configure: b =>
            {
                b.Services.AddSingleton(outcomes);
                b.Services.AddDataProtection().SetApplicationName("hanko-tests").PersistKeysToStackExchangeRedis(SharedKeyRing(redis), prefix + ":dp-keys");
                services?.Invoke(b.Services);
            },
            hanko: hanko,
            environment: environment);

    private static readonly ConcurrentDictionary<int, ConnectionMultiplexer> KeyRings = new();

    private static ConnectionMultiplexer SharedKeyRing(RedisServer redis) => KeyRings.GetOrAdd(redis.Port, _ => redis.Connect());
}

/// <summary>What each attempt does (decided by the test) and what ran: attempts and successes per delivery id.</summary>
internal sealed class Outcomes
{
    public Func<HankoEvent, HankoDeliveryContext, CancellationToken, Task> Decide { get; set; } = (_, _, _) => Task.CompletedTask;

    public ConcurrentDictionary<string, int> Successes { get; } = new();

    public ConcurrentQueue<(string DeliveryId, int Attempt)> Attempts { get; } = new();

    public int SuccessCount(string deliveryId) => Successes.TryGetValue(deliveryId, out var n) ? n : 0;

    public static async Task WaitForAsync(Func<bool> condition, string because, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(because);
            }

            await Task.Delay(20);
        }
    }
}

internal sealed class OutcomeHandler(Outcomes outcomes, HankoDeliveryContext delivery) : IHankoEventHandler<HankoEvent>
{
    public async Task HandleAsync(HankoEvent @event, CancellationToken cancellationToken)
    {
        outcomes.Attempts.Enqueue((delivery.DeliveryId, delivery.Attempt));
        await outcomes.Decide(@event, delivery, cancellationToken);
        outcomes.Successes.AddOrUpdate(delivery.DeliveryId, 1, (_, n) => n + 1);
    }
}
