using FluentAssertions;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.Tests.TestSupport;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Verification;

/// <summary>How the JWKS cache behaves under rotation, floods and outages, counted at the fake JWKS endpoint.</summary>
public sealed class JwksBehaviourTests
{
    [Test]
    public async Task Rotation_NewKid_CausesExactlyOneRefetchAndIsAccepted()
    {
        using var h = new VerifierHarness();
        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"))).IsValid.Should().BeTrue();
        h.Time.Advance(TimeSpan.FromSeconds(30));

        h.Hanko.RotateKey();
        var first = await h.VerifyAsync(h.Hanko.CreateDelivery("user.login"));
        var second = await h.VerifyAsync(h.Hanko.CreateDelivery("user.delete"));

        first.IsValid.Should().BeTrue(first.FailureMessage);
        second.IsValid.Should().BeTrue(second.FailureMessage);
        h.Hanko.JwksRequestCount.Should().Be(2);
    }

    [Test]
    public async Task Rotation_OldKeyStaysValidWhileStillPublished()
    {
        using var h = new VerifierHarness();
        var old = h.Hanko.CreateDelivery("user.create");
        h.Hanko.RotateKey();

        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"))).IsValid.Should().BeTrue();
        (await h.VerifyAsync(old)).IsValid.Should().BeTrue();
        h.Hanko.JwksRequestCount.Should().Be(1);
    }

    [Test]
    public async Task UnknownKid_WhenTheRefetchFails_IsKeysUnavailableNotUnknownKey()
    {
        using var h = new VerifierHarness();
        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"))).IsValid.Should().BeTrue();
        h.Time.Advance(TimeSpan.FromSeconds(11));
        h.Hanko.JwksBehavior = FakeJwksBehavior.ServerError;
        h.Hanko.RotateKey();

        var result = await h.VerifyAsync(h.Hanko.CreateDelivery("user.login"));

        result.Failure.Should().Be(HankoWebhookFailure.KeysUnavailable, "the key could not be checked: 503 tells Hanko's operator something is down");
        result.FailureMessage.Should().Contain("could not be fetched again");
    }

    [Test]
    public async Task HundredConcurrentDeliveriesWithANewKid_ShareOneFetch()
    {
        using var h = new VerifierHarness();
        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"))).IsValid.Should().BeTrue();
        h.Time.Advance(TimeSpan.FromMinutes(1));
        h.Hanko.RotateKey();
        var deliveries = Enumerable.Range(0, 100).Select(_ => h.Hanko.CreateDelivery("email.send")).ToList();

        var results = await Task.WhenAll(deliveries.Select(d => Task.Run(async () => await h.VerifyAsync(d))));

        results.Should().OnlyContain(r => r.IsValid);
        h.Hanko.JwksRequestCount.Should().Be(2, "one fetch at start, one shared by all 100 deliveries with the new kid");
    }

    [Test]
    public async Task ThousandForgedKids_CauseAtMostOneFetchPerCooldown()
    {
        using var h = new VerifierHarness();
        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"))).IsValid.Should().BeTrue();

        for (var i = 0; i < 1000; i++)
        {
            var forged = h.Hanko.CreateDelivery("user.create", o => o.KeyIdOverride = Guid.NewGuid().ToString());
            (await h.VerifyAsync(forged)).Failure.Should().Be(HankoWebhookFailure.UnknownKey);
            h.Time.Advance(TimeSpan.FromMilliseconds(50));
        }

        // 1000 × 50 ms = 50 s of forged traffic with a 10 s cooldown: at most 5 refetches after the first fetch.
        h.Hanko.JwksRequestCount.Should().BeInRange(2, 6);
    }

    [Test]
    public async Task ForgedKidFlood_WithinOneCooldown_CausesNoFetchAtAll()
    {
        using var h = new VerifierHarness();
        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"))).IsValid.Should().BeTrue();

        for (var i = 0; i < 1000; i++)
        {
            var forged = h.Hanko.CreateDelivery("user.create", o => o.KeyIdOverride = "forged-" + i);
            (await h.VerifyAsync(forged)).Failure.Should().Be(HankoWebhookFailure.UnknownKey);
        }

        h.Hanko.JwksRequestCount.Should().Be(1);
    }

    [TestCase(FakeJwksBehavior.ServerError)]
    [TestCase(FakeJwksBehavior.InvalidJson)]
    [TestCase(FakeJwksBehavior.Empty)]
    [TestCase(FakeJwksBehavior.Hang)]
    public async Task JwksFailingAfterAGoodFetch_CachedKeysStillVerify(FakeJwksBehavior behaviour)
    {
        using var h = new VerifierHarness();
        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"))).IsValid.Should().BeTrue();
        h.Hanko.JwksBehavior = behaviour;
        h.Time.Advance(TimeSpan.FromMinutes(11));

        var during = await h.VerifyAsync(h.Hanko.CreateDelivery("user.login"));
        await VerifierHarness.WaitUntilAsync(() => h.Hanko.JwksRequestCount == 2, "the refresh is attempted in the background");
        if (behaviour == FakeJwksBehavior.Hang)
        {
            await Task.Delay(50);
            h.Time.Advance(h.Options.JwksFetchTimeout);
        }

        await VerifierHarness.WaitUntilAsync(() => h.Verifier.Keys.Status.LastError is not null, "the failed refresh is recorded");
        var after = await h.VerifyAsync(h.Hanko.CreateDelivery("email.send"));

        during.IsValid.Should().BeTrue(during.FailureMessage);
        after.IsValid.Should().BeTrue(after.FailureMessage);
        h.Verifier.Keys.Status.IsStale.Should().BeTrue();
        h.Verifier.Keys.Status.KeyCount.Should().Be(1);
    }

    [TestCase(FakeJwksBehavior.ServerError, "answered 500")]
    [TestCase(FakeJwksBehavior.InvalidJson, "not valid")]
    [TestCase(FakeJwksBehavior.Empty, "no usable RSA signing key")]
    public async Task NoKeysEver_IsKeysUnavailable(FakeJwksBehavior behaviour, string reason)
    {
        using var h = new VerifierHarness();
        h.Hanko.JwksBehavior = behaviour;

        var result = await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"));

        result.Failure.Should().Be(HankoWebhookFailure.KeysUnavailable);
        result.FailureMessage.Should().Contain("could not be fetched");
        h.Verifier.Keys.Status.LastError.Should().Contain(reason);
        h.Verifier.Keys.Status.KeyCount.Should().Be(0);
    }

    [Test]
    public async Task NoKeysEver_ThenTheJwksRecovers_DeliveriesAreAcceptedAfterTheCooldown()
    {
        using var h = new VerifierHarness();
        h.Hanko.JwksBehavior = FakeJwksBehavior.ServerError;
        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"))).Failure.Should().Be(HankoWebhookFailure.KeysUnavailable);
        h.Hanko.JwksBehavior = FakeJwksBehavior.Normal;

        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"))).Failure.Should().Be(HankoWebhookFailure.KeysUnavailable, "the cooldown holds back a refetch");
        h.Time.Advance(h.Options.JwksRefetchCooldown);
        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"))).IsValid.Should().BeTrue();
        h.Hanko.JwksRequestCount.Should().Be(2);
    }

    [Test]
    public async Task MaxAge_IsHonoured_AndARemovedKeyStopsBeingAcceptedAfterTheRefresh()
    {
        using var h = new VerifierHarness();
        var oldKey = h.Hanko.SigningKey;
        h.Hanko.RotateKey();
        var byOldKey = h.Hanko.CreateDelivery("user.create", o => o.Key = oldKey);
        (await h.VerifyAsync(byOldKey)).IsValid.Should().BeTrue();
        h.Hanko.Unpublish(oldKey);

        h.Time.Advance(TimeSpan.FromSeconds(599));
        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create", o => o.Key = oldKey))).IsValid.Should().BeTrue("max-age=600 has not passed");
        h.Hanko.JwksRequestCount.Should().Be(1);

        h.Time.Advance(TimeSpan.FromSeconds(2));
        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"))).IsValid.Should().BeTrue();
        await VerifierHarness.WaitUntilAsync(() => h.Verifier.Keys.Status.KeyCount == 1, "the background refresh replaces the keys");

        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create", o => o.Key = oldKey))).Failure.Should().Be(HankoWebhookFailure.UnknownKey);
        h.Hanko.JwksRequestCount.Should().Be(2);
    }

    [Test]
    public async Task SteadyState_MakesNoJwksRequests()
    {
        using var h = new VerifierHarness();
        for (var i = 0; i < 200; i++)
        {
            (await h.VerifyAsync(h.Hanko.CreateDelivery(FakeHanko.EventNames[i % FakeHanko.EventNames.Count]))).IsValid.Should().BeTrue();
            h.Time.Advance(TimeSpan.FromSeconds(1));
        }

        h.Hanko.JwksRequestCount.Should().Be(1);
    }
}
