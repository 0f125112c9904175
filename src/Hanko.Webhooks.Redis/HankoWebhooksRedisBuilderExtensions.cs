using System.Text.RegularExpressions;
using Hanko.Webhooks;
using Hanko.Webhooks.Redis.Internal;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Redis for <see cref="HankoWebhooksBuilder"/>: exactly-once claims, and durable processing.</summary>
public static partial class HankoWebhooksRedisBuilderExtensions
{
    /// <summary>The name of the health check <see cref="UseDurableProcessing"/> registers: <c>hanko-webhooks-durable</c>.</summary>
    public const string HealthCheckName = "hanko-webhooks-durable";

    /// <summary>Uses Redis at <paramref name="configuration"/> (a StackExchange.Redis configuration string) for the replay claims.</summary>
    /// <param name="builder">The builder from <c>services.AddHankoWebhooks()</c>.</param>
    /// <param name="configuration">For example <c>localhost:6379</c>; <see langword="null"/> uses the <c>IConnectionMultiplexer</c> in DI.</param>
    /// <returns>The builder.</returns>
    public static HankoWebhooksBuilder UseRedis(this HankoWebhooksBuilder builder, string? configuration) =>
        builder.UseRedis(o => o.Configuration = configuration);

    /// <summary>
    /// Uses Redis for the replay claims: a delivery is claimed with <c>SET key owner NX PX</c> (until the token expires, plus
    /// the clock skew) and released, when its handlers fail, only by its owner (compare-and-delete in one script). Two or more
    /// instances receiving the same token at the same moment dispatch it once. Add <see cref="UseDurableProcessing"/> to
    /// store every delivery before answering.
    /// </summary>
    /// <param name="builder">The builder from <c>services.AddHankoWebhooks()</c>.</param>
    /// <param name="configure">Sets the connection and the key prefix.</param>
    /// <returns>The builder.</returns>
    public static HankoWebhooksBuilder UseRedis(this HankoWebhooksBuilder builder, Action<HankoRedisOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<HankoRedisOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(o => o.KeyPrefix is { Length: > 0 } p && KeyPrefixPattern().IsMatch(p), "HankoRedisOptions.KeyPrefix must be letters, digits and .-_: only (it goes inside a Redis Cluster hash tag).")
            .Validate(o => o.OperationTimeout > TimeSpan.Zero && o.OperationTimeout < TimeSpan.FromSeconds(10), "HankoRedisOptions.OperationTimeout must be positive and below Hanko's 10 s timeout.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<RedisConnection>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisConnector>());
        builder.Services.RemoveAll<IHankoReplayClaimStore>();
        builder.Services.AddSingleton<IHankoReplayClaimStore, RedisReplayClaimStore>();
        return builder;
    }

    /// <summary>
    /// Stores every verified delivery before answering, and processes it from there (needs <see cref="UseRedis(HankoWebhooksBuilder, Action{HankoRedisOptions}?)"/>).
    /// Receipt: verify, then claim and append to a Redis stream in one script, and only then answer <c>202</c> (<c>503</c> when
    /// Redis fails: never <c>2xx</c> for something not stored). The entry is protected with ASP.NET Core Data Protection; share
    /// the key ring between instances (<c>PersistKeysToStackExchangeRedis</c>). Workers in every instance read through one
    /// consumer group, retry failed handlers with backoff, take over the deliveries of an instance that died, and move what
    /// cannot succeed to the dead letters (<see cref="IHankoDeadLetters"/>; the health check <see cref="HealthCheckName"/> is
    /// Degraded while there are any). An authentic delivery whose data does not fit the SDK's models is stored there too, and
    /// answered <c>202</c>. Takes precedence over <c>UseBackgroundProcessing()</c>.
    /// </summary>
    /// <param name="builder">The builder from <c>services.AddHankoWebhooks()</c>.</param>
    /// <param name="configure">Sets attempts, delays, the visibility timeout, concurrency and retention.</param>
    /// <returns>The builder.</returns>
    public static HankoWebhooksBuilder UseDurableProcessing(this HankoWebhooksBuilder builder, Action<HankoDurableProcessingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<HankoDurableProcessingOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(o => o.MaxAttempts >= 1, "HankoDurableProcessingOptions.MaxAttempts must be at least 1.")
            .Validate(o => o.RetryDelays is { Count: > 0 } d && d.All(x => x >= TimeSpan.Zero), "HankoDurableProcessingOptions.RetryDelays must hold at least one delay, none negative.")
            .Validate(o => o.VisibilityTimeout >= TimeSpan.FromMilliseconds(300), "HankoDurableProcessingOptions.VisibilityTimeout must be at least 300 ms (it bounds how soon a dead instance's deliveries are taken over; running ones are renewed every third of it).")
            .Validate(o => o.Concurrency >= 1, "HankoDurableProcessingOptions.Concurrency must be at least 1.")
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.MaintenanceInterval > TimeSpan.Zero, "HankoDurableProcessingOptions.PollInterval and MaintenanceInterval must be positive.")
            .Validate(o => o.Retention >= TimeSpan.Zero, "HankoDurableProcessingOptions.Retention must not be negative.")
            .ValidateOnStart();

        if (!services.Any(d => d.ServiceType == typeof(RedisConnection)))
        {
            builder.UseRedis();
        }

        services.AddDataProtection();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new StoredDelivery(sp.GetRequiredService<IDataProtectionProvider>(), sp.GetRequiredService<IOptions<HankoRedisOptions>>().Value.KeyPrefix));
        services.TryAddSingleton(sp => new RedisDurableStore(
            sp.GetRequiredService<RedisConnection>(),
            sp.GetRequiredService<StoredDelivery>(),
            sp.GetRequiredService<IOptions<HankoWebhookOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RedisDurableStore>>()));
        services.RemoveAll<IHankoDurableHandOff>();
        services.AddSingleton<IHankoDurableHandOff>(sp => sp.GetRequiredService<RedisDurableStore>());
        services.TryAddSingleton<IHankoDeadLetters, RedisDeadLetters>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DurableWorker>());
        services.AddHealthChecks().Add(new HealthCheckRegistration(HealthCheckName, sp => new DurableHealthCheck(sp.GetRequiredService<RedisConnection>()), failureStatus: null, tags: null));
        return builder;
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]+$")]
    private static partial Regex KeyPrefixPattern();
}
