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
    private readonly ConfigurationOptions? _configuration;
    private readonly bool _owned;
    private IConnectionMultiplexer? _connected;

    public RedisConnection(IOptions<HankoRedisOptions> options, IServiceProvider services)
    {
        var o = options.Value;
        Keys = new RedisKeys(o.KeyPrefix);
        OperationTimeout = o.OperationTimeout;
        if (o.Configuration is { } configuration)
        {
            _owned = true;
            _configuration = ConfigurationOptions.Parse(configuration);
            _configuration.AbortOnConnectFail = false;
            _multiplexer = new(() => ConnectionMultiplexer.Connect(_configuration));
        }
        else
        {
            _multiplexer = new(() => services.GetService<IConnectionMultiplexer>()
                ?? throw new InvalidOperationException("UseRedis() needs a configuration string (UseRedis(\"host:6379\")) or an IConnectionMultiplexer registered in DI."));
        }
    }

    public RedisKeys Keys { get; }

    public TimeSpan OperationTimeout { get; }

    public IDatabase Database => (Volatile.Read(ref _connected) ?? _multiplexer.Value).GetDatabase();

    /// <summary>Connects without blocking a thread (at host start), so that the first deliveries do not wait for a connect.</summary>
    public async Task ConnectAsync()
    {
        if (_configuration is not null && !_multiplexer.IsValueCreated && Volatile.Read(ref _connected) is null)
        {
            var connected = await ConnectionMultiplexer.ConnectAsync(_configuration).ConfigureAwait(false);
            if (Interlocked.CompareExchange(ref _connected, connected, null) is not null)
            {
                await connected.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public void Dispose()
    {
        if (_owned)
        {
            _connected?.Dispose();
            if (_multiplexer.IsValueCreated)
            {
                _multiplexer.Value.Dispose();
            }
        }
    }
}
