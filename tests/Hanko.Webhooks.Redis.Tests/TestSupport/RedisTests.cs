using Hanko.Webhooks.TestSupport;
using NUnit.Framework;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Tests.TestSupport;

/// <summary>One real redis-server for the test class (ignored where none is installed), and a client to look at its keys.</summary>
public abstract class RedisTests
{
    internal RedisServer Redis { get; private set; } = null!;

    internal ConnectionMultiplexer Client { get; private set; } = null!;

    internal IDatabase Db => Client.GetDatabase();

    [OneTimeSetUp]
    public void StartRedis()
    {
        Redis = RedisServer.StartOrIgnore();
        Client = Redis.Connect();
    }

    [OneTimeTearDown]
    public void StopRedis()
    {
        Client?.Dispose();
        Redis?.Dispose();
    }
}
