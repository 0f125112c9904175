using System.Collections.Frozen;

namespace Hanko.Webhooks.Verification;

/// <summary>The names of <see cref="HankoWebhookFailure"/> as logs and telemetry write them, beside the enum.</summary>
internal static class HankoWebhookFailureNames
{
    // Read from the enum once, so that naming a failure allocates nothing (an enum's ToString does) and a new member needs no edit here.
    private static readonly FrozenDictionary<HankoWebhookFailure, string> Names =
        Enum.GetValues<HankoWebhookFailure>().ToFrozenDictionary(f => f, f => f.ToString());

    /// <summary>The member's name (<c>BadSignature</c>), or <c>Other</c> for a value that is no member.</summary>
    public static string Of(HankoWebhookFailure failure) => Names.TryGetValue(failure, out var name) ? name : "Other";
}
