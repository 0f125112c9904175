// The handler logs as a user writes it in Program.cs (as the README's quick start does), not through [LoggerMessage].
#pragma warning disable CA1848, CA1873
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hanko.Webhooks.Tests.Docs;

/// <summary>
/// The README's production <c>Program.cs</c> ("Running in production"), between <c>var builder = …</c> and <c>app.Run()</c>,
/// so that ProductionProgramTests runs it on a real redis-server; ProductionProgramTests.Readme_… keeps the README equal to
/// it, and the package tests build the README's whole file from the packed packages.
/// </summary>
internal static class ProductionProgram
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        #region readme-production-program
        builder.WebHost.ConfigureKestrel(kestrel => // the endpoint answers strangers before it knows who posted
        {
            kestrel.Limits.MaxConcurrentConnections = 1_000;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1_024, gracePeriod: TimeSpan.FromSeconds(5));
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        });

        // One Redis (with AOF on) for the replay claims, the stored deliveries and the Data Protection key ring.
        var redisConfiguration = builder.Configuration.GetConnectionString("redis")!;
        var redis = ConnectionMultiplexer.Connect(redisConfiguration);

        // Stored deliveries are encrypted with Data Protection: one key ring shared by every instance, itself encrypted
        // with a certificate kept outside Redis; AES-256-GCM costs half of the default.
        builder.Services.AddDataProtection()
            .SetApplicationName("my-app")
            .PersistKeysToStackExchangeRedis(redis, "my-app:DataProtection-Keys")
            .ProtectKeysWithCertificate(X509CertificateLoader.LoadPkcs12FromFile(
                builder.Configuration["DataProtection:CertificatePath"]!, builder.Configuration["DataProtection:CertificatePassword"]))
            .UseCryptographicAlgorithms(new AuthenticatedEncryptorConfiguration
            {
                EncryptionAlgorithm = EncryptionAlgorithm.AES_256_GCM,
                ValidationAlgorithm = ValidationAlgorithm.HMACSHA256, // not used by GCM; required by the API
            });

        builder.Services.AddHankoWebhooks()                // Hanko:Webhooks:TenantId and Audience
            .AddHandler<SyncUsers>()
            .AddHealthCheck()                              // "hanko-webhooks": signing keys held and current
            .UseRedis(o => (o.Configuration, o.KeyPrefix) = (redisConfiguration, "my-app-hanko")) // connections of its own
            .UseDurableProcessing()                        // stored before the 202, retried, dead letters: "hanko-webhooks-durable"
            .AddSubscriptions(o =>                         // Hanko:Webhooks:Subscriptions:ApiKey and CallbackUrl
            {
                o.EnsureOnStart = true;                    // create, extend or re-enable the hook at start
                o.WatchInterval = TimeSpan.FromMinutes(5); // and watch it
            })
            .AddSubscriptionHealthCheck();                 // "hanko-webhooks-subscription": disabled, failing, missing events

        var app = builder.Build();
        app.MapHankoWebhooks("/webhooks/hanko");           // no UseHttpsRedirection() in front of it: a redirect loses events
        app.MapHealthChecks("/healthz", new() { ResponseWriter = HankoWebhooksHealthChecks.WriteJsonResponse }); // each check and its data
        #endregion
        return app;
    }
}

#region readme-production-handler
public sealed class SyncUsers(HankoDeliveryContext delivery, ILogger<SyncUsers> logger) : IHankoEventHandler<UserEvent>
{
    public Task HandleAsync(UserEvent @event, CancellationToken cancellationToken)
    {
        // At least once: key your side effects by delivery.DeliveryId (the same for every attempt and every copy).
        logger.LogInformation("{Event} for user {User}, attempt {Attempt}", @event.Name, @event.User.Id, delivery.Attempt);
        return Task.CompletedTask;
    }
}
#endregion
