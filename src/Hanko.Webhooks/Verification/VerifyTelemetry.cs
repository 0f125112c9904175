using System.Diagnostics;
using Hanko.Webhooks.Diagnostics;

namespace Hanko.Webhooks.Verification;

/// <summary>The verify span of <see cref="WebhookVerifier"/>: what a verification decided, named for Diagnostics.</summary>
internal static class VerifyTelemetry
{
    /// <summary>
    /// Ends the verify span when <paramref name="pending"/> completes, and restores the span that was current for the caller
    /// at once (the verification may still be running).
    /// </summary>
    public static ValueTask<HankoVerificationResult> End(Activity span, Activity? previous, ValueTask<HankoVerificationResult> pending)
    {
        if (pending.IsCompletedSuccessfully)
        {
            var result = pending.Result;
            CompleteVerify(span, result);
            Activity.Current = previous;
            return new(result);
        }

        Activity.Current = previous;
        return AwaitVerifyAsync(span, pending);
    }

    private static async ValueTask<HankoVerificationResult> AwaitVerifyAsync(Activity span, ValueTask<HankoVerificationResult> pending)
    {
        try
        {
            var result = await pending.ConfigureAwait(false);
            CompleteVerify(span, result);
            return result;
        }
        catch (Exception ex)
        {
            HankoSpans.Fail(span, ex);
            throw;
        }
    }

    private static void CompleteVerify(Activity span, HankoVerificationResult result)
    {
        if (result.IsValid)
        {
            HankoSpans.CompleteVerified(span, result.Event.Name, result.Event.DeliveryId);
        }
        else
        {
            HankoSpans.CompleteRefused(span, HankoWebhookFailureNames.Of(result.Failure));
        }
    }
}
