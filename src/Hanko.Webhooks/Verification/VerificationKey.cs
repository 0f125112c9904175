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

    public VerificationKey(string keyId, string? algorithm, RSAParameters parameters)
    {
        KeyId = keyId;
        Algorithm = algorithm;
        Modulus = parameters.Modulus!;
        Exponent = parameters.Exponent!;
        SecurityKey = new RsaSecurityKey(parameters) { KeyId = keyId };
    }

    public string KeyId { get; }

    /// <summary>The JWK's <c>alg</c>, when it names one: the key may then only verify that algorithm.</summary>
    public string? Algorithm { get; }

    public byte[] Modulus { get; }

    public byte[] Exponent { get; }

    public int KeySize => Modulus.Length * 8;

    public RsaSecurityKey SecurityKey { get; }

    public bool HasSameKey(VerificationKey other) =>
        KeyId == other.KeyId && Algorithm == other.Algorithm
        && Modulus.AsSpan().SequenceEqual(other.Modulus) && Exponent.AsSpan().SequenceEqual(other.Exponent);

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
