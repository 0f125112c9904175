using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Hanko.Webhooks.Verification;

/// <summary>
/// One public key from the JWKS with the IdentityModel signature provider that checks tokens against it.
/// Providers are created once per key and algorithm and reused by every delivery (they are thread-safe).
/// </summary>
internal sealed class VerificationKey
{
    private readonly object _gate = new();
    private KeyValuePair<string, SignatureProvider>[] _providers = [];

    /// <param name="keyId">The JWK's <c>kid</c>.</param>
    /// <param name="algorithm">The JWK's <c>alg</c>, or <see langword="null"/>.</param>
    /// <param name="parameters">The modulus and exponent, without leading zero octets.</param>
    /// <param name="keySize">The modulus's real length in bits.</param>
    public VerificationKey(string keyId, string? algorithm, RSAParameters parameters, int keySize)
    {
        KeyId = keyId;
        Algorithm = algorithm;
        Modulus = parameters.Modulus!;
        Exponent = parameters.Exponent!;
        KeySize = keySize;
        SecurityKey = new RsaSecurityKey(parameters) { KeyId = keyId };
    }

    public string KeyId { get; }

    /// <summary>The JWK's <c>alg</c>, when it names one: the key may then only verify that algorithm.</summary>
    public string? Algorithm { get; }

    public byte[] Modulus { get; }

    public byte[] Exponent { get; }

    /// <summary>The modulus's length in bits (leading zeros not counted).</summary>
    public int KeySize { get; }

    public RsaSecurityKey SecurityKey { get; }

    public bool HasSameKey(VerificationKey other) =>
        KeyId == other.KeyId && Algorithm == other.Algorithm
        && Modulus.AsSpan().SequenceEqual(other.Modulus) && Exponent.AsSpan().SequenceEqual(other.Exponent);

    /// <summary>
    /// Imports the key and checks one signature with it, as a delivery would, so that a key the platform's cryptography
    /// refuses is found when the JWKS is read, not when a delivery names it.
    /// </summary>
    public bool CanVerify(out string reason)
    {
        try
        {
            var provider = GetProvider(Algorithm ?? HankoWebhookOptions.DefaultAlgorithm);
            var signature = new byte[Modulus.Length];
            _ = provider.Verify([0], signature);
            reason = string.Empty;
            return true;
        }
#pragma warning disable CA1031 // Whatever the key's import or use throws, the key is skipped with the reason.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            reason = $"it cannot be used to check a signature ({ex.GetType().Name}: {ex.Message})";
            return false;
        }
    }

    /// <summary>The provider that verifies <paramref name="algorithm"/> with this key.</summary>
    public SignatureProvider GetProvider(string algorithm)
    {
        var providers = _providers;
        foreach (var pair in providers)
        {
            if (pair.Key == algorithm)
            {
                return pair.Value;
            }
        }

        lock (_gate)
        {
            foreach (var pair in _providers)
            {
                if (pair.Key == algorithm)
                {
                    return pair.Value;
                }
            }

            var provider = SecurityKey.CryptoProviderFactory.CreateForVerifying(SecurityKey, algorithm, cacheProvider: false);
            _providers = [.. _providers, new(algorithm, provider)];
            return provider;
        }
    }
}
