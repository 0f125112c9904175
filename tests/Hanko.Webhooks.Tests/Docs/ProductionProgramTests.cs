using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using FluentAssertions;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.Tests.TestSupport;
using Hanko.Webhooks.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using StackExchange.Redis;

namespace Hanko.Webhooks.Tests.Docs;

/// <summary>
/// The README's production Program.cs, run as written on a real redis-server in the Production environment: a delivery is
/// stored and answered 202, handled once by the durable worker, the key ring lands in Redis encrypted with the certificate,
/// and /healthz answers the three health checks as JSON with their data.
/// </summary>
[NonParallelizable]
public sealed class ProductionProgramTests
{
    [Test]
    public void Readme_ProductionProgram_IsTheCodeThatRunsHere()
    {
        ReadmeRegions.ShouldShowRegion("ProductionProgram.cs", "readme-production-program", "production-program:begin");
        ReadmeRegions.ShouldShowRegion("ProductionProgram.cs", "readme-production-handler", "production-program:begin");
        var block = MarkdownCodeBlocks.Marked(ReadmeRegions.Root(), "<!-- production-program:begin -->");
        Path.GetFileName(block.File).Should().Be("README.md", "the production checklist's Program.cs is in the README itself");
        block.Code.Should().StartWith("using ").And.Contain("var builder = WebApplication.CreateBuilder(args);").And.Contain("app.Run();");
    }

    [Test]
    public async Task ProductionProgram_OnRedis_StoresHandlesOnce_EncryptsTheKeyRing_AndWritesEveryHealthCheckAsJson()
    {
        using var redis = RedisServer.StartOrIgnore();
        using var hanko = new FakeHanko();
        var directory = Directory.CreateTempSubdirectory("hanko-production-program-").FullName;
        try
        {
            var certificate = Path.Combine(directory, "dataprotection.pfx");
            await File.WriteAllBytesAsync(certificate, SelfSignedPkcs12("a secret"));
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders().AddFakeLogging();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:redis"] = redis.Configuration,
                ["DataProtection:CertificatePath"] = certificate,
                ["DataProtection:CertificatePassword"] = "a secret",
                ["Hanko:Webhooks:JwksUrl"] = "https://hanko.test/.well-known/jwks.json", // TenantId in production; the fake's JWKS here
                ["Hanko:Webhooks:Audience"] = "localhost",
                ["Hanko:Webhooks:Subscriptions:AdminApiUrl"] = $"http://127.0.0.1:{ClosedPort()}/admin", // an Admin API that does not answer
                ["Hanko:Webhooks:Subscriptions:CallbackUrl"] = "https://app.example.com/webhooks/hanko",
            });
            // The fake serves the JWKS; PostConfigure runs after the SDK's own setup of its named client.
            builder.Services.PostConfigure<HttpClientFactoryOptions>(HankoWebhookOptions.HttpClientName,
                o => o.HttpMessageHandlerBuilderActions.Add(handlers => handlers.PrimaryHandler = hanko.CreateJwksHandler()));

            await using var app = ProductionProgram.Build(builder);
            await app.StartAsync();
            using var client = app.GetTestClient();
            var logs = app.Services.GetFakeLogCollector();

            var userId = Guid.NewGuid();
            var delivery = hanko.CreateDelivery("user.create", o => o.EditData = user => user["id"] = userId.ToString());
            var stored = await client.PostAsync("/webhooks/hanko", delivery.ToHttpContent());
            stored.StatusCode.Should().Be(HttpStatusCode.Accepted, "stored in Redis before the answer: " + await stored.Content.ReadAsStringAsync());
            (await client.PostAsync("/webhooks/hanko", delivery.ToHttpContent())).StatusCode.Should().Be(HttpStatusCode.OK, "a copy is a duplicate");
            await WaitForAsync(() => logs.GetSnapshot().Any(r => r.Category == typeof(SyncUsers).FullName), "the durable worker runs the handler");
            logs.GetSnapshot().Where(r => r.Category == typeof(SyncUsers).FullName).Select(r => r.Message)
                .Should().ContainSingle().Which.Should().Be($"user.create for user {userId}, attempt 1");

            logs.GetSnapshot().Should().NotContain(r => r.Id.Id == 320, "the key ring is encrypted, so durable processing does not warn");
            await using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration))
            {
                var keys = await connection.GetDatabase().ListRangeAsync("my-app:DataProtection-Keys");
                keys.Should().NotBeEmpty("the key ring is shared through Redis");
                keys.Should().OnlyContain(k => k.ToString().Contains("EncryptedData", StringComparison.Ordinal) && !k.ToString().Contains("<masterKey", StringComparison.Ordinal),
                    "every key is stored encrypted with the certificate");
            }

            using var health = JsonDocument.Parse(await client.GetStringAsync("/healthz"));
            var entries = health.RootElement.GetProperty("entries");
            entries.EnumerateObject().Select(e => e.Name).Should().BeEquivalentTo("hanko-webhooks", "hanko-webhooks-durable", "hanko-webhooks-subscription");
            entries.GetProperty("hanko-webhooks").GetProperty("status").GetString().Should().Be("Healthy");
            entries.GetProperty("hanko-webhooks").GetProperty("data").GetProperty("keyCount").GetInt32().Should().Be(1);
            entries.GetProperty("hanko-webhooks-durable").GetProperty("status").GetString().Should().Be("Healthy", "no dead letters, Redis answers");
            var subscription = entries.GetProperty("hanko-webhooks-subscription");
            subscription.GetProperty("status").GetString().Should().Be("Degraded", "the Admin API could not be asked");
            subscription.GetProperty("data").GetProperty("callback").GetString().Should().Be("https://app.example.com/webhooks/hanko");
            health.RootElement.GetProperty("status").GetString().Should().Be("Degraded");
            await app.StopAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static byte[] SelfSignedPkcs12(string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=my-app data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return certificate.Export(X509ContentType.Pkcs12, password);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForAsync(Func<bool> condition, string because)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); !condition(); await Task.Delay(50))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out: {because}");
            }
        }
    }
}
