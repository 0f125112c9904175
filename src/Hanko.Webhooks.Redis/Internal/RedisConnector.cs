using Microsoft.Extensions.Hosting;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>Connects to Redis when the host starts (a Redis that is down does not stop the start: deliveries get <c>503</c> until it is back).</summary>
internal sealed class RedisConnector(RedisConnection redis) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => redis.ConnectAsync().WaitAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
