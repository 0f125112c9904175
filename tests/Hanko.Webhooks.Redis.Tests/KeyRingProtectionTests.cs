using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FluentAssertions;
using Hanko.Webhooks.Redis.Tests.TestSupport;
using Hanko.Webhooks.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Hanko.Webhooks.Redis.Tests;

/// <summary>
/// The stored deliveries are only as secret as the Data Protection keys that protect them, and those usually lie in the same
/// Redis: outside Development, durable processing warns at start when the key ring is stored without an XML encryptor.
/// </summary>
[NonParallelizable]
public sealed class KeyRingProtectionTests : RedisTests
{
    private const int KeyRingNotEncrypted = 320;
    private const int KeyRingOfAGoneInstance = 339;

    private static string NewPrefix() => "k-" + Guid.NewGuid().ToString("N")[..8];

    [Test]
    public async Task Production_KeyRingWithoutAnXmlEncryptor_IsWarnedAboutOnceAtStart_NamingTheProject()
    {
        await using var app = await DurableHost.StartAsync(Redis, new FakeHanko(), NewPrefix(), new Outcomes(), environment: Environments.Production);

        var warnings = app.Logs.GetSnapshot().Where(r => r.Id.Id == KeyRingNotEncrypted).ToList();
        warnings.Should().ContainSingle();
        warnings[0].Level.Should().Be(LogLevel.Warning);
        warnings[0].Message.Should().Contain("(unnamed)").And.Contain("ProtectKeysWithCertificate");
    }

    [Test]
    public async Task Production_KeyRingProtectedWithACertificate_IsNotWarnedAbout_AndDeliveriesAreStoredAndProcessed()
    {
        using var rsa = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=Hanko.Webhooks key ring test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var outcomes = new Outcomes();
        await using var app = await DurableHost.StartAsync(
            Redis,
            new FakeHanko(),
            NewPrefix(),
            outcomes,
            services: s => s.AddDataProtection().ProtectKeysWithCertificate(certificate),
            environment: Environments.Production);
        var delivery = app.Hanko.CreateDelivery(HankoEventNames.UserCreate);

        using var response = await app.PostAsync(delivery);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        await Outcomes.WaitForAsync(() => outcomes.SuccessCount(Deliveries.IdOf(delivery)) == 1, "a delivery protected with the encrypted key ring is processed");
        app.Logged(KeyRingNotEncrypted).Should().BeFalse();
    }

    [Test]
    public async Task TwoInstancesWithSeparateKeyRings_TheSecondFailsStart_SayingToShareTheKeyRing()
    {
        var prefix = NewPrefix();
        var hanko = new FakeHanko();
        await using var first = await DurableHost.StartAsync(Redis, hanko, prefix, new Outcomes(), services: s => s.AddDataProtection().PersistKeysToFileSystem(Directory.CreateTempSubdirectory("hanko-keys-a-")));

        var second = () => DurableHost.StartAsync(Redis, hanko, prefix, new Outcomes(), services: s => s.AddDataProtection().PersistKeysToFileSystem(Directory.CreateTempSubdirectory("hanko-keys-b-")));

        (await second.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should()
            .Contain("Data Protection keys this instance does not have")
            .And.Contain("PersistKeysToStackExchangeRedis")
            .And.Contain("{" + prefix + "}:probe");
    }

    [Test]
    public async Task InstanceGoneLongerThanTheVisibilityTimeout_ItsProbeInAnotherKeyRing_OnlyWarns_AndTheNextStartStarts()
    {
        var prefix = NewPrefix();
        await using (await DurableHost.StartAsync(Redis, new FakeHanko(), prefix, new Outcomes(), services: s => s.AddDataProtection().PersistKeysToFileSystem(Directory.CreateTempSubdirectory("hanko-keys-a-"))))
        {
        }

        await Task.Delay(TimeSpan.FromSeconds(2.5)); // the test host's visibility timeout is 1 s: the first instance is gone

        var hanko = new FakeHanko();
        var outcomes = new Outcomes();
        await using var restarted = await DurableHost.StartAsync(Redis, hanko, prefix, outcomes, services: s => s.AddDataProtection().PersistKeysToFileSystem(Directory.CreateTempSubdirectory("hanko-keys-b-")));

        restarted.Logged(KeyRingOfAGoneInstance).Should().BeTrue("the other key ring is named, with what it means for what that instance stored");
        var delivery = hanko.CreateDelivery(HankoEventNames.UserCreate);
        (await restarted.PostAsync(delivery)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await Outcomes.WaitForAsync(() => outcomes.SuccessCount(Deliveries.IdOf(delivery)) == 1, "the restarted instance receives and processes");
    }

    [Test]
    public async Task TwoInstancesSharingAKeyRing_BothStart_EachLeavesItsProbe()
    {
        var prefix = NewPrefix();
        var hanko = new FakeHanko();

        await using var first = await DurableHost.StartAsync(Redis, hanko, prefix, new Outcomes());
        await using var second = await DurableHost.StartAsync(Redis, hanko, prefix, new Outcomes());

        (await Db.StreamLengthAsync("{" + prefix + "}:probe")).Should().Be(2);
    }

    [Test]
    public async Task Development_KeyRingWithoutAnXmlEncryptor_IsNotWarnedAbout()
    {
        await using var app = await DurableHost.StartAsync(Redis, new FakeHanko(), NewPrefix(), new Outcomes(), environment: Environments.Development);

        app.Logged(KeyRingNotEncrypted).Should().BeFalse();
    }
}
