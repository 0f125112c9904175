using System.Collections.Concurrent;
using FluentAssertions;
using Hanko.Webhooks.Subscriptions.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Hanko.Webhooks.Subscriptions.Tests.CatchUp;

/// <summary>
/// The catch-up with Redis durable processing on a real redis-server: each user is stored like a delivery, and a failing
/// catch-up handler is retried and dead-lettered like any delivery; the same window again stores nobody twice.
/// </summary>
public sealed class DurableCatchUpTests
{
    private RedisServer _redis = null!;

    [OneTimeSetUp]
    public void StartRedis() => _redis = RedisServer.StartOrIgnore();

    [OneTimeTearDown]
    public void StopRedis() => _redis?.Dispose();

    [Test]
    public async Task RunAsync_DurableProcessing_FailingCatchUpHandlerIsRetriedThenDeadLettered_AndTheSameWindowAgainStoresNobodyTwice()
    {
        using var hanko = new FakeHanko();
        await using var admin = await FakeHankoAdminApi.StartAsync(hanko);
        var now = DateTimeOffset.UtcNow;
        var users = Enumerable.Range(0, 3).Select(i => admin.AddUser(now.AddMinutes(-30 + i))).ToList();
        var attempts = new Attempts();

        await using var app = await SubscriptionApp.StartAsync(
            hanko,
            admin,
            handlers: b =>
            {
                b.Services.AddSingleton(attempts);
                b.AddHandler<AlwaysFailingCatchUpHandler>()
                    .UseRedis(o => (o.Configuration, o.KeyPrefix) = (_redis.Configuration, "catch-up-" + Guid.NewGuid().ToString("N")))
                    .UseDurableProcessing(o =>
                    {
                        o.RetryDelays = [TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20)]; // three attempts
                        o.VisibilityTimeout = TimeSpan.FromSeconds(1);
                    });
            });
        var catchUp = app.App.Services.GetRequiredService<IHankoCatchUp>();
        var deadLetters = app.App.Services.GetRequiredService<IHankoDeadLetters>();

        var result = await catchUp.RunAsync(now.AddHours(-1), now.AddSeconds(-1));

        result.HandedOver.Should().Be(3, "each user was stored durably (202 Accepted)");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await deadLetters.CountAsync() < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var letters = await deadLetters.ListAsync();
        letters.Should().HaveCount(3);
        letters.Should().AllSatisfy(l =>
        {
            l.EventName.Should().Be("hanko-webhooks.catch-up.user");
            l.Attempts.Should().Be(3);
            l.Reason.Should().Contain("AlwaysFailingCatchUpHandler threw InvalidOperationException");
        });
        attempts.ByUser.Keys.Should().BeEquivalentTo(users);
        attempts.ByUser.Values.Should().AllSatisfy(a => a.Should().Equal(1, 2, 3));

        var again = await catchUp.RunAsync(now.AddHours(-1), now.AddSeconds(-1));
        again.AlreadyHandedOver.Should().Be(3, "the durable store claimed each user's delivery id");
        again.HandedOver.Should().Be(0);
    }

    internal sealed class Attempts
    {
        public ConcurrentDictionary<Guid, ConcurrentQueue<int>> ByUser { get; } = new();
    }

    internal sealed class AlwaysFailingCatchUpHandler(Attempts attempts, HankoDeliveryContext delivery) : IHankoEventHandler<UserCatchUpEvent>
    {
        public Task HandleAsync(UserCatchUpEvent @event, CancellationToken cancellationToken)
        {
            attempts.ByUser.GetOrAdd(@event.UserId, _ => new ConcurrentQueue<int>()).Enqueue(delivery.Attempt);
            throw new InvalidOperationException("The user store is down.");
        }
    }
}
