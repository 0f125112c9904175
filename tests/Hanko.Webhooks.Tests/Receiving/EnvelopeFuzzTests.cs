using FluentAssertions;
using Hanko.Webhooks.Testing;
using Hanko.Webhooks.TestSupport;
using NUnit.Framework;

namespace Hanko.Webhooks.Tests.Receiving;

/// <summary>
/// Property: for thousands of seeded mutations of genuine deliveries, the verifier and the receiver never throw, never
/// dispatch, and either refuse (a 4xx-class reason) or recognise the very same delivery, as an independent oracle confirms.
/// </summary>
public sealed class EnvelopeFuzzTests
{
    private const int Seed = 20261127;
    private const int Cases = 5_000;

    [Test]
    public async Task MutatedDeliveries_NeverThrowNeverDispatch_RefusedOrProvablyTheSameDelivery()
    {
        // A mutant whose kid changed waits for the next allowed JWKS fetch; a short cooldown and a clock moved while it
        // waits keep the originals well inside their five minutes.
        await using var h = ReceiverHarness.Create(o => o.JwksRefetchCooldown = TimeSpan.FromMilliseconds(10));
        var originals = FakeHanko.EventNames.Select(name => h.Hanko.CreateDelivery(name)).ToList();
        foreach (var original in originals)
        {
            (await h.Receiver.ReceiveAsync(original.BodyBytes)).Outcome.Should().Be(HankoReceiveOutcome.Dispatched);
        }

        var verifier = h.Provider.GetService(typeof(IHankoWebhookVerifier)) as IHankoWebhookVerifier;
        var rng = new Random(Seed);
        var refusals = new Dictionary<HankoWebhookFailure, int>();
        var kinds = new Dictionary<string, int>();
        var same = 0;
        for (var i = 0; i < Cases; i++)
        {
            var original = originals[rng.Next(originals.Count)];
            var (kind, body) = EnvelopeMutator.Mutate(rng, original, originals);
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            var because = $"case {i} (seed {Seed}): {kind} of {original.EventName}";

            HankoVerificationResult verified;
            HankoReceiveResult received;
            try
            {
                verified = await SettleAsync(h, verifier!.VerifyAsync(body));
                received = await SettleAsync(h, h.Receiver.ReceiveAsync(body));
            }
            catch (Exception ex)
            {
                Assert.Fail($"{because} threw {ex}");
                return;
            }

            received.Verification.Failure.Should().Be(verified.Failure, because);
            if (!verified.IsValid)
            {
                verified.Failure.Should().NotBe(HankoWebhookFailure.KeysUnavailable, because); // the one 5xx-class reason
                received.Outcome.Should().Be(HankoReceiveOutcome.Refused, because);
                refusals[verified.Failure] = refusals.GetValueOrDefault(verified.Failure) + 1;
                continue;
            }

            var sameAs = EnvelopeMutator.SameDeliveryAs(body, originals);
            sameAs.Should().NotBeNull($"{because} was verified, so it must still be a genuine delivery: {System.Text.Encoding.UTF8.GetString(body)[..Math.Min(body.Length, 60)]}…{System.Text.Encoding.UTF8.GetString(body)[Math.Max(0, body.Length - 60)..]}");
            verified.Event.DeliveryId.Should().Be((await verifier.VerifyAsync(sameAs!.BodyBytes)).Event!.DeliveryId, because);
            received.Outcome.Should().Be(HankoReceiveOutcome.Duplicate, because);
            same++;
        }

        h.Counter.Total.Should().Be(originals.Count, "no mutant was dispatched");
        TestContext.Out.WriteLine($"{Cases} mutants (seed {Seed}): {same} still the same delivery (acknowledged as duplicates), {Cases - same} refused.");
        TestContext.Out.WriteLine("refused as: " + string.Join(", ", refusals.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value}")));
        TestContext.Out.WriteLine("mutations: " + string.Join(", ", kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value}")));
        same.Should().BeGreaterThan(0, "JSON escapes and whitespace between members keep a delivery valid, and the oracle must see them");
        refusals.Keys.Should().Contain([HankoWebhookFailure.MalformedBody, HankoWebhookFailure.MalformedToken, HankoWebhookFailure.BadSignature, HankoWebhookFailure.EventMismatch, HankoWebhookFailure.BodyTooLarge]);
    }

    /// <summary>Awaits <paramref name="pending"/>, moving the fake clock while it waits (for a JWKS fetch after the cooldown).</summary>
    private static async Task<T> SettleAsync<T>(ReceiverHarness h, ValueTask<T> pending)
    {
        if (pending.IsCompleted)
        {
            return await pending;
        }

        var task = pending.AsTask();
        while (!task.IsCompleted)
        {
            h.Time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.WhenAny(task, Task.Delay(5));
        }

        return await task;
    }
}
