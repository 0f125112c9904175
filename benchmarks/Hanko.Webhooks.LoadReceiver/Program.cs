using System.Net;
using Hanko.Webhooks.LoadReceiver;

// Two modes:
//   (default)            the load-test receiver of the bench kit's contract: 127.0.0.1:$PORT, keys from $JWKS_URL,
//                        audience "localhost", POST /webhook, quiet, stops on SIGTERM.
//   --first-delivery     starts a JWKS server and this receiver in-process, posts one delivery, prints the timings;
//                        add --no-warm-up to turn HankoWebhookOptions.FetchKeysOnStart off.
if (args.Contains("--first-delivery"))
{
    return await FirstDelivery.RunAsync(warmUp: !args.Contains("--no-warm-up"));
}

var port = int.Parse(Environment.GetEnvironmentVariable("PORT") ?? "13000", System.Globalization.CultureInfo.InvariantCulture);
var jwksUrl = Environment.GetEnvironmentVariable("JWKS_URL") ?? "http://127.0.0.1:18000/.well-known/jwks.json";
var app = Receiver.Build(args, port, jwksUrl, fetchKeysOnStart: true);
await app.RunAsync();
return 0;

namespace Hanko.Webhooks.LoadReceiver
{
    /// <summary>The receiver as a user writes it, plus the production settings this benchmark measured.</summary>
    internal static class Receiver
    {
        public static WebApplication Build(string[] args, int port, string jwksUrl, bool fetchKeysOnStart)
        {
            var builder = WebApplication.CreateSlimBuilder(args);

            // Quiet: no per-request logs. Warning keeps the SDK's refusals and failures visible.
            // HANKO_RECEIVER_LOG_LEVEL=Information reproduces the framework default, for comparison.
            var level = Enum.Parse<LogLevel>(Environment.GetEnvironmentVariable("HANKO_RECEIVER_LOG_LEVEL") ?? "Warning");
            builder.Logging.SetMinimumLevel(level);

            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, port);
                kestrel.AddServerHeader = false;
                // Hanko posts a few KB; refuse anything large before it is read (the SDK's own limit is 1 MiB).
                kestrel.Limits.MaxRequestBodySize = 64 * 1024;
            });

            builder.Services.AddHankoWebhooks(options =>
            {
                options.JwksUrl = jwksUrl;
                options.Audience = "localhost";
                options.FetchKeysOnStart = fetchKeysOnStart;

                // The bench kit mints one token for the whole run (ttl = duration + warm-up + 120 s, at least 300 s).
                options.MaxTokenLifetime = TimeSpan.FromHours(1);

                // On by default. The bench kit posts the same token over and over, which the replay guard answers as a
                // duplicate (200, not dispatched); HANKO_RECEIVER_REPLAY_PROTECTION=false dispatches every one of them.
                options.ReplayProtection = Environment.GetEnvironmentVariable("HANKO_RECEIVER_REPLAY_PROTECTION") != "false";
            }).AddHandler<NoOpHandler>();
            DurableMode.ConfigureIfRequested(builder.Services.AddHankoWebhooks()); // HANKO_RECEIVER_DURABLE=<redis>: durable processing

            var app = builder.Build();
            app.MapHankoWebhooks("/webhook");
            return app;
        }
    }

    /// <summary>Acknowledges every event and does nothing else.</summary>
    internal sealed class NoOpHandler : IHankoEventHandler<HankoEvent>
    {
        public Task HandleAsync(HankoEvent @event, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
