namespace Hanko.Webhooks.Verification;

/// <summary>
/// The answer of <see cref="JwksKeyStore.FindAsync"/>: the key, or the refusal the verifier gives when there is none. The
/// refusal is written where the store knows why there is no key: <see cref="HankoWebhookFailure.UnknownKey"/> (401) when
/// the key is not Hanko's, <see cref="HankoWebhookFailure.KeysUnavailable"/> (503) when it could not be checked.
/// </summary>
internal readonly record struct KeyLookup
{
    private KeyLookup(VerificationKey? key, HankoWebhookFailure failure, string? refusal)
    {
        Key = key;
        Failure = failure;
        Refusal = refusal;
    }

    /// <summary>The key, or <see langword="null"/> when the delivery is refused.</summary>
    public VerificationKey? Key { get; }

    /// <summary>Why there is no key; meaningless when <see cref="Key"/> is set.</summary>
    public HankoWebhookFailure Failure { get; }

    /// <summary>The refusal's message (names the <c>kid</c> only when it is short and plain); <see langword="null"/> when <see cref="Key"/> is set.</summary>
    public string? Refusal { get; }

    public static KeyLookup Found(VerificationKey key) => new(key, default, null);

    /// <summary>A fetch that started after the <c>kid</c> was first seen did not contain it.</summary>
    public static KeyLookup Unknown(string keyId) =>
        new(null, HankoWebhookFailure.UnknownKey, $"The key {WebhookVerifier.Describe(keyId)} is not in the Hanko JWKS.");

    /// <summary>Keys are held, but not this one, and the cooldown forbids a fetch within <see cref="JwksKeyStore.MaxKeyWait"/>.</summary>
    public static KeyLookup UnknownRateLimited(string keyId, DateTimeOffset nextFetchAllowedAt, TimeSpan refetchCooldown) =>
        new(null, HankoWebhookFailure.UnknownKey, $"The key {WebhookVerifier.Describe(keyId)} is not among the cached Hanko keys, and the JWKS may not be fetched again before {nextFetchAllowedAt:O} (Hanko:Webhooks:JwksRefetchCooldown is {refetchCooldown}).");

    /// <summary>Keys are held, but not this one, and fetching the JWKS again failed: it could not be checked.</summary>
    public static KeyLookup RefetchFailed(string keyId, string? lastError, DateTimeOffset nextFetchAllowedAt, DateTimeOffset now) =>
        new(null, HankoWebhookFailure.KeysUnavailable, $"The key {WebhookVerifier.Describe(keyId)} is not among the cached Hanko keys, and the JWKS could not be fetched again ({lastError ?? "no answer"}); {DescribeNextFetch(nextFetchAllowedAt, now)}.");

    /// <summary>No keys are held: the JWKS could not be fetched.</summary>
    public static KeyLookup Unavailable(string? lastError, DateTimeOffset nextFetchAllowedAt, DateTimeOffset now) =>
        new(null, HankoWebhookFailure.KeysUnavailable, $"No Hanko signing keys are available: the JWKS could not be fetched ({lastError ?? "no answer yet"}); {DescribeNextFetch(nextFetchAllowedAt, now)}.");

    /// <summary><see cref="JwksKeyStore.MaxWaiters"/> deliveries already wait for a fetch.</summary>
    public static KeyLookup Busy(string keyId) =>
        new(null, HankoWebhookFailure.KeysUnavailable, $"The key {WebhookVerifier.Describe(keyId)} is not among the cached Hanko keys, and {JwksKeyStore.MaxWaiters} deliveries already wait for the JWKS to be fetched again.");

    /// <summary>The fetch did not answer within <see cref="JwksKeyStore.MaxKeyWait"/> of the delivery's arrival.</summary>
    public static KeyLookup TimedOut(string keyId) =>
        new(null, HankoWebhookFailure.KeysUnavailable, $"The key {WebhookVerifier.Describe(keyId)} is not among the cached Hanko keys, and the JWKS did not answer within {JwksKeyStore.MaxKeyWait.TotalSeconds:0} s.");

    private static string DescribeNextFetch(DateTimeOffset next, DateTimeOffset now)
    {
        var wait = next - now;
        return wait > TimeSpan.Zero
            ? $"the next attempt may start at {next:O} (in {wait.TotalSeconds:0.###} s)"
            : "the next delivery fetches it again";
    }
}
