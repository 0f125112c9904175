using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// The multiplexer (from <see cref="HankoRedisOptions.Configuration"/>, connected on first use and never aborting on a
/// failed connect, so that the app starts and answers <c>503</c> while Redis is down; or the app's own from DI) and the keys.
/// </summary>
internal sealed class RedisConnection : IDisposable
{
    private readonly Lazy<IConnectionMultiplexer> _multiplexer;
    private readonly bool _owned;

    public RedisConnection(IOptions<HankoRedisOptions> options, IServiceProvider services)
    {
        var o = options.Value;
        Keys = new RedisKeys(o.KeyPrefix);
        OperationTimeout = o.OperationTimeout;
        if (o.Configuration is { } configuration)
        {
            _owned = true;
            _multiplexer = new(() =>
            {
                var parsed = ConfigurationOptions.Parse(configuration);
                parsed.AbortOnConnectFail = false;
                return ConnectionMultiplexer.Connect(parsed);
            });
        }
        else
        {
            _multiplexer = new(() => services.GetService<IConnectionMultiplexer>()
                ?? throw new InvalidOperationException("UseRedis() needs a configuration string (UseRedis(\"host:6379\")) or an IConnectionMultiplexer registered in DI."));
        }
    }

    public RedisKeys Keys { get; }

    public TimeSpan OperationTimeout { get; }

    public IDatabase Database => _multiplexer.Value.GetDatabase();

    public void Dispose()
    {
        if (_owned && _multiplexer.IsValueCreated)
        {
            _multiplexer.Value.Dispose();
        }
    }
}
