using System.Collections.Frozen;

namespace Hanko.Webhooks.Verification;

/// <summary>The keys of one successful JWKS fetch, and when it answered; replaced whole by the next one.</summary>
internal sealed class KeySnapshot(FrozenDictionary<string, VerificationKey> keys, DateTimeOffset fetchedAt)
{
    public FrozenDictionary<string, VerificationKey> Keys { get; } = keys;

    public DateTimeOffset FetchedAt { get; } = fetchedAt;
}
