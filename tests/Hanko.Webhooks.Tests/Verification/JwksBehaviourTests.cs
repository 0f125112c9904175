using FluentAssertions;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.Tests.TestSupport;
using Hanko.Webhooks.Verification;
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
    public async Task ThousandDifferentForgedKidsIn10Seconds_CauseAtMostOneFetchPerCooldown()
    {
        using var h = new VerifierHarness();
        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"))).IsValid.Should().BeTrue();
        var started = h.Time.GetUtcNow();

        // One forged kid every 10 ms for 10 s; each new kid waits for the next allowed fetch, which they share.
        var pending = new List<Task<HankoVerificationResult>>();
        for (var i = 0; i < 1000; i++)
        {
            var forged = h.Hanko.CreateDelivery("user.create", o => o.KeyIdOverride = "forged-" + i);
            pending.Add(h.VerifyAsync(forged).AsTask());
            await AdvanceAsync(h, TimeSpan.FromMilliseconds(10));
            await ServedWaitersReturnedAsync(h);
        }

        while (pending.Any(t => !t.IsCompleted))
        {
            await AdvanceAsync(h, TimeSpan.FromMilliseconds(100));
            await ServedWaitersReturnedAsync(h);
        }

        var results = await Task.WhenAll(pending);
        var span = h.Time.GetUtcNow() - started;
        results.Should().OnlyContain(r => r.Failure == HankoWebhookFailure.UnknownKey);

        // The documented bound: fetches are at least JwksRefetchCooldown apart, so over a span S at most 1 + S / cooldown.
        var bound = 1 + (int)(span / h.Options.JwksRefetchCooldown);
        TestContext.Out.WriteLine($"{h.Hanko.JwksRequestCount} JWKS requests over {span.TotalSeconds:F1} s (bound {bound})");
        h.Hanko.JwksRequestCount.Should().BeInRange(2, bound, "1,000 forged kids share one fetch per cooldown");
        h.Verifier.Keys.WaiterCount.Should().Be(0);
    }

    [Test]
    public async Task ForgedKidFlood_WithinOneCooldown_SharesOneFetch()
    {
        using var h = new VerifierHarness();
        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"))).IsValid.Should().BeTrue();

        var pending = Enumerable.Range(0, 500)
            .Select(i => h.VerifyAsync(h.Hanko.CreateDelivery("user.create", o => o.KeyIdOverride = "forged-" + i)).AsTask())
            .ToList();
        pending.Should().OnlyContain(t => !t.IsCompleted, "within the cooldown they wait for the next allowed fetch");
        h.Verifier.Keys.WaiterCount.Should().Be(500);
        await AdvanceAsync(h, h.Options.JwksRefetchCooldown);

        (await Task.WhenAll(pending)).Should().OnlyContain(r => r.Failure == HankoWebhookFailure.UnknownKey);
        h.Hanko.JwksRequestCount.Should().Be(2, "the 500 deliveries shared one fetch");

        // Now known to be absent: the same forged kids are refused at once, without a fetch, however often they come.
        foreach (var i in Enumerable.Range(0, 500))
        {
            var again = h.VerifyAsync(h.Hanko.CreateDelivery("user.create", o => o.KeyIdOverride = "forged-" + i));
            again.IsCompleted.Should().BeTrue("a kid a later fetch did not contain is refused at once");
            (await again).Failure.Should().Be(HankoWebhookFailure.UnknownKey);
        }

        h.Hanko.JwksRequestCount.Should().Be(2);
    }

    [Test]
    public async Task OneForgedKidTenTimes_CausesOneFetch_AndEveryAnswerComesAtOnce()
    {
        using var h = new VerifierHarness();
        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"))).IsValid.Should().BeTrue();
        h.Time.Advance(h.Options.JwksRefetchCooldown); // a fetch is allowed at once

        var answers = new List<HankoVerificationResult>();
        for (var i = 0; i < 10; i++)
        {
            var verification = h.VerifyAsync(h.Hanko.CreateDelivery("user.create", o => o.KeyIdOverride = "forged-kid"));
            if (i > 0)
            {
                verification.IsCompleted.Should().BeTrue($"copy {i + 1} of a kid already refused needs no fetch");
            }

            // The clock never moves here: the first answer needs only the fetch it starts at once, the others nothing.
            answers.Add(await verification.AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        }

        answers.Should().OnlyContain(r => r.Failure == HankoWebhookFailure.UnknownKey);
        h.Hanko.JwksRequestCount.Should().Be(2, "one fetch at start, one for the forged kid");
        h.Verifier.Keys.AbsentKeyIdCount.Should().Be(1);
    }

    [Test]
    public async Task OneForgedKidTenTimes_WithinTheCooldown_WaitsOnceThenIsRefusedAtOnce()
    {
        using var h = new VerifierHarness();
        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"))).IsValid.Should().BeTrue();
        h.Time.Advance(TimeSpan.FromMilliseconds(100));

        var first = h.VerifyAsync(h.Hanko.CreateDelivery("user.create", o => o.KeyIdOverride = "forged-kid")).AsTask();
        first.IsCompleted.Should().BeFalse("it waits for the next allowed fetch");
        await AdvanceAsync(h, h.Options.JwksRefetchCooldown);
        (await first).Failure.Should().Be(HankoWebhookFailure.UnknownKey);

        for (var i = 0; i < 9; i++)
        {
            var again = h.VerifyAsync(h.Hanko.CreateDelivery("user.create", o => o.KeyIdOverride = "forged-kid"));
            again.IsCompleted.Should().BeTrue();
            (await again).Failure.Should().Be(HankoWebhookFailure.UnknownKey);
        }

        h.Hanko.JwksRequestCount.Should().Be(2);
    }

    [Test]
    public async Task Rotation100msAfterTheStartUpFetch_IsAcceptedOnTheFirstDelivery()
    {
        using var h = new VerifierHarness();
        await h.Verifier.Keys.RefreshAsync(CancellationToken.None); // the host's start-up fetch
        h.Time.Advance(TimeSpan.FromMilliseconds(100));
        h.Hanko.RotateKey();

        var delivery = h.VerifyAsync(h.Hanko.CreateDelivery("user.login")).AsTask();
        delivery.IsCompleted.Should().BeFalse("the cooldown has not passed: it waits for the next allowed fetch");
        h.Hanko.JwksRequestCount.Should().Be(1);
        await AdvanceAsync(h, h.Options.JwksRefetchCooldown - TimeSpan.FromMilliseconds(100));

        var result = await delivery;
        result.IsValid.Should().BeTrue(result.FailureMessage);
        h.Hanko.JwksRequestCount.Should().Be(2);
    }

    [Test]
    public async Task Rotation100msAfterAScheduledRefresh_IsAcceptedOnTheFirstDelivery()
    {
        using var h = new VerifierHarness();
        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"))).IsValid.Should().BeTrue();
        h.Time.Advance(TimeSpan.FromSeconds(601)); // FakeHanko sends max-age=600
        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"))).IsValid.Should().BeTrue();
        await VerifierHarness.WaitUntilAsync(() => h.Hanko.JwksRequestCount == 2 && !h.Verifier.Keys.IsFetching, "the scheduled refresh runs in the background");
        h.Time.Advance(TimeSpan.FromMilliseconds(100));
        h.Hanko.RotateKey();

        var delivery = h.VerifyAsync(h.Hanko.CreateDelivery("user.login")).AsTask();
        delivery.IsCompleted.Should().BeFalse();
        await AdvanceAsync(h, h.Options.JwksRefetchCooldown);

        var result = await delivery;
        result.IsValid.Should().BeTrue(result.FailureMessage);
        h.Hanko.JwksRequestCount.Should().Be(3);
    }

    [Test]
    public async Task ConcurrentWaiters_AreBounded_OneMoreIsAnswered503AtOnce()
    {
        using var h = new VerifierHarness();
        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"))).IsValid.Should().BeTrue();
        var waiting = Enumerable.Range(0, JwksKeyStore.MaxWaiters)
            .Select(i => h.VerifyAsync(h.Hanko.CreateDelivery("user.create", o => o.KeyIdOverride = "forged-" + i)).AsTask())
            .ToList();
        h.Verifier.Keys.WaiterCount.Should().Be(JwksKeyStore.MaxWaiters);

        var oneMore = h.VerifyAsync(h.Hanko.CreateDelivery("user.create", o => o.KeyIdOverride = "one-more"));
        var known = h.VerifyAsync(h.Hanko.CreateDelivery("user.create"));

        oneMore.IsCompleted.Should().BeTrue("at the bound a delivery is not queued");
        var refused = await oneMore;
        refused.Failure.Should().Be(HankoWebhookFailure.KeysUnavailable);
        refused.FailureMessage.Should().Contain($"{JwksKeyStore.MaxWaiters} deliveries already wait");
        known.IsCompleted.Should().BeTrue("deliveries whose key is held never wait");
        (await known).IsValid.Should().BeTrue();

        await AdvanceAsync(h, h.Options.JwksRefetchCooldown);
        (await Task.WhenAll(waiting)).Should().OnlyContain(r => r.Failure == HankoWebhookFailure.UnknownKey);
        h.Verifier.Keys.WaiterCount.Should().Be(0);
        h.Hanko.JwksRequestCount.Should().Be(2);
    }

    [Test]
    public async Task CooldownLongerThanADeliveryCanWait_UnknownKidIsRefusedAtOnce()
    {
        using var h = new VerifierHarness(o => o.JwksRefetchCooldown = TimeSpan.FromSeconds(30));
        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"))).IsValid.Should().BeTrue();
        h.Hanko.RotateKey();

        var result = h.VerifyAsync(h.Hanko.CreateDelivery("user.login"));

        result.IsCompleted.Should().BeTrue("waiting 30 s would outlast Hanko's 10 s timeout");
        var refused = await result;
        refused.Failure.Should().Be(HankoWebhookFailure.UnknownKey);
        refused.FailureMessage.Should().Contain("may not be fetched again before").And.Contain("JwksRefetchCooldown");
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
    public async Task NoKeysEver_ThenTheJwksRecovers_TheNextAttemptComesSoonNotAWholeCooldownLater()
    {
        using var h = new VerifierHarness(o => o.JwksRefetchCooldown = TimeSpan.FromSeconds(10));
        h.Hanko.JwksBehavior = FakeJwksBehavior.ServerError;
        var refused = await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"));
        refused.Failure.Should().Be(HankoWebhookFailure.KeysUnavailable);
        refused.FailureMessage.Should().Contain("answered 500")
            .And.Contain($"the next attempt may start at {VerifierHarness.Start.AddMilliseconds(250):O} (in 0.25 s)");
        h.Hanko.JwksBehavior = FakeJwksBehavior.Normal;

        // 250 ms later, not 10 s: a delivery waits for that attempt and is accepted.
        var next = h.VerifyAsync(h.Hanko.CreateDelivery("user.create")).AsTask();
        next.IsCompleted.Should().BeFalse();
        await AdvanceAsync(h, TimeSpan.FromMilliseconds(250));
        (await next).IsValid.Should().BeTrue((await next).FailureMessage);
        h.Hanko.JwksRequestCount.Should().Be(2);
    }

    [Test]
    public async Task NoKeysEver_FailuresBackOffByDoubling_UpToTheCooldown()
    {
        using var h = new VerifierHarness(o => o.JwksRefetchCooldown = TimeSpan.FromSeconds(1));
        h.Hanko.JwksBehavior = FakeJwksBehavior.ServerError;
        var delays = new List<TimeSpan>();
        (await h.VerifyAsync(h.Hanko.CreateDelivery("user.create"))).Failure.Should().Be(HankoWebhookFailure.KeysUnavailable);
        for (var i = 0; i < 5; i++)
        {
            var last = h.Time.GetUtcNow();
            delays.Add(h.Verifier.Keys.NextFetchAllowedAt - last);
            var waiting = h.VerifyAsync(h.Hanko.CreateDelivery("user.create")).AsTask();
            await AdvanceAsync(h, delays[^1]);
            (await waiting).Failure.Should().Be(HankoWebhookFailure.KeysUnavailable);
        }

        delays.Select(d => d.TotalMilliseconds).Should().Equal(250, 500, 1000, 1000, 1000);
        h.Hanko.JwksRequestCount.Should().Be(6);
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

        // The removed kid was first seen after the refresh: it waits for one more fetch, then is refused.
        var removed = h.VerifyAsync(h.Hanko.CreateDelivery("user.create", o => o.Key = oldKey)).AsTask();
        await AdvanceAsync(h, h.Options.JwksRefetchCooldown);
        (await removed).Failure.Should().Be(HankoWebhookFailure.UnknownKey);
        h.Hanko.JwksRequestCount.Should().Be(3);
    }

    /// <summary>Moves the fake clock, then lets any JWKS request that started run to its end (in real time).</summary>
    /// <summary>
    /// With one waiter per kid: every waiter a finished fetch answered has returned (they return on the thread pool; a clock
    /// moved on 5 s first fires their wait's timeout instead: KeysUnavailable, seen once in a loaded clean-clone CI).
    /// </summary>
    private static Task ServedWaitersReturnedAsync(VerifierHarness h) =>
        VerifierHarness.WaitUntilAsync(() => h.Verifier.Keys.WaiterCount <= h.Verifier.Keys.PendingKeyIdCount, "the waiters a fetch answered have returned");

    private static async Task AdvanceAsync(VerifierHarness h, TimeSpan by)
    {
        h.Time.Advance(by);
        await Task.Yield();
        // Also a scheduled fetch whose time has come must have started (and ended): under load its continuation can lag,
        // and moving the clock on before it starts would time out its waiters (KeysUnavailable) instead of UnknownKey.
        await VerifierHarness.WaitUntilAsync(() => !h.Verifier.Keys.IsFetchingOrDue, "the JWKS request ends");
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
