using System.Text.RegularExpressions;
using Hanko.Webhooks;
using Hanko.Webhooks.Redis.Internal;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Redis for <see cref="HankoWebhooksBuilder"/>: exactly-once claims, and durable processing.</summary>
public static partial class HankoWebhooksRedisBuilderExtensions
{
    /// <summary>
    /// The name of the health check <see cref="UseDurableProcessing"/> registers: <c>hanko-webhooks-durable</c>; a named
    /// project's is <c>{DefaultHealthCheckName}-{project}</c>, for example <c>hanko-webhooks-durable-eu</c>.
    /// </summary>
    public const string DefaultHealthCheckName = "hanko-webhooks-durable";

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
        var services = builder.Services;
        var project = builder.Project;
        var name = OptionsName(project);
        var options = services.AddOptions<HankoRedisOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(o => o.KeyPrefix is { Length: > 0 } p && KeyPrefixPattern().IsMatch(p), Message(project, "HankoRedisOptions.KeyPrefix must be letters, digits and .-_: only (it goes inside a Redis Cluster hash tag)."))
            .Validate(o => o.MinReplicasToAcknowledge >= 0, Message(project, "HankoRedisOptions.MinReplicasToAcknowledge must be 0 or more."))
            .ValidateOnStart();
        if (!IsRegistered<RedisConnection>(services, project))
        {
            services.TryAddSingleton<RedisMultiplexers>();
            services.Add(ServiceDescriptor.KeyedSingleton(project, (sp, _) => new RedisConnection(
                sp.GetRequiredService<IOptionsMonitor<HankoRedisOptions>>().Get(name),
                project,
                sp.GetRequiredService<RedisMultiplexers>(),
                sp)));
            services.AddSingleton<IHostedService>(sp => new RedisConnector(Resolve<RedisConnection>(sp, project)));
        }

        // The unnamed project's store is the app's (named projects without UseRedis() of their own use it, each under its own
        // namespace); a named project's is keyed by its name and uses the project's own keys.
        services.RemoveAllKeyed<IHankoReplayClaimStore>(project);
        services.Add(ServiceDescriptor.KeyedSingleton<IHankoReplayClaimStore>(project, (sp, _) => new RedisReplayClaimStore(Resolve<RedisConnection>(sp, project))));

        // The SDK's own shared values (the Subscriptions package's catch-up heartbeat) in this Redis; the app's cache is untouched.
        services.TryAdd(ServiceDescriptor.KeyedSingleton<Microsoft.Extensions.Caching.Distributed.IDistributedCache>(
            RedisSdkCache.ServiceKeyFor(project), (sp, _) => new RedisSdkCache(Resolve<RedisConnection>(sp, project))));
        return builder;
    }

    /// <summary>
    /// Stores every verified delivery before answering, and processes it from there (needs <see cref="UseRedis(HankoWebhooksBuilder, Action{HankoRedisOptions}?)"/>).
    /// Receipt: verify, then claim and append to a Redis stream in one script, and only then answer <c>202</c> (<c>503</c> when
    /// Redis fails: never <c>2xx</c> for something not stored). The entry is protected with ASP.NET Core Data Protection; share
    /// the key ring between instances (<c>PersistKeysToStackExchangeRedis</c>) and encrypt it at rest (<c>ProtectKeysWithCertificate</c>;
    /// outside Development, a key ring without an XML encryptor is warned about at start, log id 320). Workers in every instance read through one
    /// consumer group, retry failed handlers with backoff, take over the deliveries of an instance that died, and move what
    /// cannot succeed to the dead letters (<see cref="IHankoDeadLetters"/>; the health check <see cref="DefaultHealthCheckName"/> is
    /// Degraded while there are any, while the oldest pending delivery has waited longer than twice the visibility timeout, at
    /// least 1 minute, and while fewer replicas are online than <see cref="HankoRedisOptions.MinReplicasToAcknowledge"/>, which
    /// is also warned about, log id 321). An authentic delivery whose data does not fit the SDK's models is stored there too, and
    /// answered <c>202</c>. Takes precedence over <c>UseBackgroundProcessing()</c>.
    /// </summary>
    /// <remarks>
    /// On a named project's builder (<c>AddHankoWebhooks("eu")</c>) this is that project's: its own stream, consumer group,
    /// retries and dead letters under the key prefix <c>{KeyPrefix}:eu</c>, its own workers (dispatching with the project's
    /// handlers), a Data Protection purpose that names the project, <see cref="IHankoDeadLetters"/> as a keyed service
    /// (key <c>"eu"</c>), and the health check <c>hanko-webhooks-durable-eu</c>.
    /// </remarks>
    /// <param name="builder">The builder from <c>services.AddHankoWebhooks()</c>.</param>
    /// <param name="configure">Sets the retry delays, the visibility timeout, concurrency and retention.</param>
    /// <returns>The builder.</returns>
    public static HankoWebhooksBuilder UseDurableProcessing(this HankoWebhooksBuilder builder, Action<HankoDurableProcessingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var project = builder.Project;
        var name = OptionsName(project);
        var options = services.AddOptions<HankoDurableProcessingOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(o => o.RetryDelays is { } d && d.All(x => x >= TimeSpan.Zero), Message(project, "HankoDurableProcessingOptions.RetryDelays must not be null or hold a negative delay."))
            .Validate(o => o.VisibilityTimeout >= TimeSpan.FromMilliseconds(300), Message(project, "HankoDurableProcessingOptions.VisibilityTimeout must be at least 300 ms (it bounds how soon a dead instance's deliveries are taken over; running ones are renewed every third of it)."))
            .Validate(o => o.Concurrency >= 0, Message(project, "HankoDurableProcessingOptions.Concurrency must be 0 (receive only) or more."))
            .Validate(o => o.Retention >= TimeSpan.Zero, Message(project, "HankoDurableProcessingOptions.Retention must not be negative."))
            .ValidateOnStart();

        if (!IsRegistered<RedisConnection>(services, project))
        {
            builder.UseRedis();
        }

        services.AddDataProtection();
        services.TryAddSingleton(TimeProvider.System);
        if (IsRegistered<RedisDurableStore>(services, project))
        {
            return builder; // a second call only configures the options
        }

        services.Add(ServiceDescriptor.KeyedSingleton(project, (sp, _) =>
        {
            var redis = Resolve<RedisConnection>(sp, project);
            return new StoredDelivery(sp.GetRequiredService<IDataProtectionProvider>(), redis.Keys.Prefix, project);
        }));
        services.Add(ServiceDescriptor.KeyedSingleton(project, (sp, _) => new RedisDurableStore(
            Resolve<RedisConnection>(sp, project),
            Resolve<StoredDelivery>(sp, project),
            sp.GetRequiredService<IOptionsMonitor<HankoWebhookOptions>>().Get(name),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RedisDurableStore).FullName!))));
        services.RemoveAllKeyed<IHankoHandOff>(project); // takes precedence over an in-memory queue (UseBackgroundProcessing)
        services.Add(ServiceDescriptor.KeyedSingleton<IHankoHandOff>(project, (sp, _) => Resolve<RedisDurableStore>(sp, project)));
        services.TryAdd(ServiceDescriptor.KeyedSingleton<IHankoDeadLetters>(project, (sp, _) => new RedisDeadLetters(
            Resolve<RedisConnection>(sp, project),
            Resolve<RedisDurableStore>(sp, project),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RedisDeadLetters).FullName!))));
        services.AddSingleton<IHostedService>(sp => new DurableWorker(
            Resolve<RedisConnection>(sp, project),
            Resolve<RedisDurableStore>(sp, project),
            Resolve<StoredDelivery>(sp, project),
            Resolve<IHankoWebhookReceiver>(sp, project),
            sp.GetRequiredService<IOptionsMonitor<HankoDurableProcessingOptions>>().Get(name),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DurableWorker).FullName!)));
        services.AddSingleton<IHostedService>(sp => new DurableMonitor(
            Resolve<RedisConnection>(sp, project),
            sp.GetRequiredService<IOptionsMonitor<HankoDurableProcessingOptions>>().Get(name),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DurableMonitor).FullName!)));
        services.AddSingleton<IHostedService>(sp => new KeyRingCheck(
            sp.GetRequiredService<IOptions<KeyManagementOptions>>(),
            sp.GetService<IHostEnvironment>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KeyRingCheck).FullName!),
            project));
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            project is null ? DefaultHealthCheckName : $"{DefaultHealthCheckName}-{project}",
            sp => new DurableHealthCheck(
                Resolve<RedisConnection>(sp, project),
                Resolve<RedisDurableStore>(sp, project),
                sp.GetRequiredService<IOptionsMonitor<HankoDurableProcessingOptions>>().Get(name),
                sp.GetRequiredService<TimeProvider>()),
            failureStatus: null,
            tags: null));
        return builder;
    }

    private static string OptionsName(string? project) => project ?? Microsoft.Extensions.Options.Options.DefaultName;

    private static string Message(string? project, string message) => project is null ? message : $"Hanko project \"{project}\": {message}";

    private static bool IsRegistered<T>(IServiceCollection services, string? project) =>
        services.Any(d => d.ServiceType == typeof(T) && Equals(d.ServiceKey, project));

    private static T Resolve<T>(IServiceProvider services, string? project)
        where T : notnull =>
        project is null ? services.GetRequiredService<T>() : services.GetRequiredKeyedService<T>(project);

    [GeneratedRegex("^[A-Za-z0-9._:-]+$")]
    private static partial Regex KeyPrefixPattern();
}
