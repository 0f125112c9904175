using System.Net;
using Hanko.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;

// Environment: JWKS_URL, REDIS, PREFIX, HANDLER_MS, VISIBILITY_MS, MIN_REPLICAS, PROCESSED_FILE. Listens on a port of its
// own choosing (no race for a port picked by the test) and prints "ready <webhook URL>" when it does.
var prefix = Environment.GetEnvironmentVariable("PREFIX")!;
var redis = await ConnectionMultiplexer.ConnectAsync(Environment.GetEnvironmentVariable("REDIS")!);

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
builder.Services.AddSingleton<IConnectionMultiplexer>(redis);

// As documented: one key ring for every instance, in the same Redis.
builder.Services.AddDataProtection().SetApplicationName("hanko-crash-test").PersistKeysToStackExchangeRedis(redis, prefix + ":dp-keys");
builder.Services.AddHankoWebhooks(o =>
    {
        o.JwksUrl = Environment.GetEnvironmentVariable("JWKS_URL");
        o.Audience = "localhost";
    })
    .AddHandler<CountingHandler>()
    .UseRedis(o =>   // the IConnectionMultiplexer from DI
    {
        o.KeyPrefix = prefix;
        o.MinReplicasToAcknowledge = int.Parse(Environment.GetEnvironmentVariable("MIN_REPLICAS") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
    })
    .UseDurableProcessing(o =>
    {
        o.VisibilityTimeout = TimeSpan.FromMilliseconds(int.Parse(Environment.GetEnvironmentVariable("VISIBILITY_MS") ?? "2000", System.Globalization.CultureInfo.InvariantCulture));
        o.MaintenanceInterval = TimeSpan.FromMilliseconds(200);
        o.PollInterval = TimeSpan.FromMilliseconds(50);
        o.RetryDelays = [.. Enumerable.Repeat(TimeSpan.FromMilliseconds(100), 5)]; // six runs, as by default
        o.Concurrency = 8;
    });

var app = builder.Build();
app.MapHankoWebhooks("/webhook");
await app.StartAsync();
var address = app.Urls.First(); // the address Kestrel bound
Console.WriteLine("ready " + address + "/webhook");
await app.WaitForShutdownAsync();

/// <summary>
/// Works for HANDLER_MS, then records its success: HINCRBY {prefix}:processed deliveryId 1, or with PROCESSED_FILE a line
/// with the delivery id in that file (outside Redis, for tests in which Redis itself fails over).
/// </summary>
internal sealed class CountingHandler(IConnectionMultiplexer redis, HankoDeliveryContext delivery) : IHankoEventHandler<HankoEvent>
{
    private static readonly int WorkMs = int.Parse(Environment.GetEnvironmentVariable("HANDLER_MS") ?? "100", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly string Processed = Environment.GetEnvironmentVariable("PREFIX") + ":processed";
    private static readonly string? ProcessedFile = Environment.GetEnvironmentVariable("PROCESSED_FILE");
    private static readonly Lock FileLock = new();

    public async Task HandleAsync(HankoEvent @event, CancellationToken cancellationToken)
    {
        await Task.Delay(WorkMs, cancellationToken);
        if (ProcessedFile is null)
        {
            await redis.GetDatabase().HashIncrementAsync(Processed, delivery.DeliveryId);
            return;
        }

        lock (FileLock)
        {
            File.AppendAllText(ProcessedFile, delivery.DeliveryId + "\n");
        }
    }
}
