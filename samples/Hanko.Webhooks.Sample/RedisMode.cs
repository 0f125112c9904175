using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;

namespace Hanko.Webhooks.Sample;

/// <summary>
/// Durable mode: with <c>--Sample:Redis=127.0.0.1:6379</c> (or <c>Sample__Redis</c>; any StackExchange.Redis configuration
/// string: Sentinel <c>host:26379,serviceName=mymaster</c>, or a cluster's nodes) every delivery is stored in Redis before
/// the answer and processed by the durable workers (each project of <c>Hanko:Webhooks:Projects</c> under its own keys), and each successful handling is logged as
/// <c>handled &lt;event name&gt; &lt;delivery id&gt;</c>, so that runs can be checked from outside. <c>--Sample:RedisReplicas=N</c>
/// sets <see cref="HankoRedisOptions.MinReplicasToAcknowledge"/> (default 0), <c>--Sample:Workers=N</c> the workers'
/// <see cref="HankoDurableProcessingOptions.Concurrency"/> (default 8; 0: this instance receives only).
/// </summary>
internal static class RedisMode
{
    public static void ConfigureIfRequested(WebApplicationBuilder builder)
    {
        if (builder.Configuration["Sample:Redis"] is not { Length: > 0 } configuration)
        {
            return;
        }

        var redis = ConnectionMultiplexer.Connect(configuration + ",abortConnect=false");
        builder.Services.AddSingleton<IConnectionMultiplexer>(redis);

        // Every instance must read what another stored: one Data Protection key ring, in the same Redis.
        builder.Services.AddDataProtection().SetApplicationName("hanko-webhooks-sample").PersistKeysToStackExchangeRedis(redis, "hanko-webhooks-sample:dp-keys");
        var replicas = builder.Configuration.GetValue("Sample:RedisReplicas", 0);
        var workers = builder.Configuration.GetValue("Sample:Workers", new HankoDurableProcessingOptions().Concurrency);
        foreach (var hanko in ProjectsMode.Builders(builder)) // every project its own keys: {hanko-webhooks-sample:eu}:… (ProjectsMode.cs)
        {
            hanko.UseRedis(o => (o.KeyPrefix, o.MinReplicasToAcknowledge) = ("hanko-webhooks-sample", replicas))   // the IConnectionMultiplexer above
                .UseDurableProcessing(o => o.Concurrency = workers);
        }

        // "handled <event> <delivery id>" after all of a delivery's handlers succeeded (not when one failed).
        var inner = builder.Services.Last(d => d.ServiceType == typeof(IHankoEventDispatcher));
        builder.Services.Remove(inner);
        builder.Services.AddSingleton<IHankoEventDispatcher>(sp => new HandledLog(
            inner.ImplementationFactory?.Invoke(sp) as IHankoEventDispatcher
                ?? (IHankoEventDispatcher)ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!),
            sp.GetRequiredService<ILogger<HandledLog>>()));
    }

    private sealed class HandledLog(IHankoEventDispatcher inner, ILogger<HandledLog> logger) : IHankoEventDispatcher
    {
        public Task<HankoDispatchResult> DispatchAsync(HankoEvent @event, CancellationToken cancellationToken = default) =>
            DispatchAsync(@event, 1, cancellationToken);

        public async Task<HankoDispatchResult> DispatchAsync(HankoEvent @event, int attempt, CancellationToken cancellationToken)
        {
            var result = await inner.DispatchAsync(@event, attempt, cancellationToken);
            if (result.Succeeded)
            {
                logger.LogInformation("handled {EventName} {DeliveryId} (attempt {Attempt})", @event.Name, @event.DeliveryId, attempt);
            }

            return result;
        }
    }
}
