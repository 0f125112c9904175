using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Hanko.Webhooks.Testing;

/// <summary>
/// An RSA signing key of a <see cref="FakeHanko"/>, like one row of Hanko's <c>jwks</c> table.
/// Only the public half is exposed; the private key stays inside the fake.
/// </summary>
public sealed class FakeHankoKey
{
    private volatile bool _isPublished;

    internal FakeHankoKey(string keyId, RSA rsa, bool isPublished)
    {
        KeyId = keyId;
        Rsa = rsa;
        KeySize = rsa.KeySize;
        _isPublished = isPublished;
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        Modulus = parameters.Modulus!;
        Exponent = parameters.Exponent!;
        PublicJwkJson = GoJson.Write(writer =>
        {
            // Members sorted by name, as jwx writes them; exactly the members Hanko publishes.
            writer.WriteStartObject();
            writer.WriteString("alg", "RS256");
            writer.WriteString("e", Base64UrlEncoder.Encode(Exponent));
            writer.WriteString("kid", keyId);
            writer.WriteString("kty", "RSA");
            writer.WriteString("n", Base64UrlEncoder.Encode(Modulus));
            writer.WriteString("use", "sig");
            writer.WriteEndObject();
        });
    }

    /// <summary>The key id: a UUID string for keys Hanko generates, or whatever was passed to <see cref="FakeHanko.RotateKey"/>.</summary>
    public string KeyId { get; }

    /// <summary>The RSA key size in bits.</summary>
    public int KeySize { get; }

    /// <summary>Whether the key appears in the fake's JWKS.</summary>
    public bool IsPublished
    {
        get => _isPublished;
        internal set => _isPublished = value;
    }

    internal RSA Rsa { get; }

    internal object SignLock { get; } = new();

    internal byte[] Modulus { get; }

    internal byte[] Exponent { get; }

    internal string PublicJwkJson { get; }

    /// <summary>
    /// Returns the public key as the JWK Hanko publishes: <c>{"alg":"RS256","e":…,"kid":…,"kty":"RSA","n":…,"use":"sig"}</c> (compact, members sorted).
    /// </summary>
    /// <returns>The JWK JSON text.</returns>
    public string GetPublicJwkJson() => PublicJwkJson;

    /// <summary>
    /// Returns the public key as an IdentityModel key (with <see cref="SecurityKey.KeyId"/> set), for tests that configure a verifier with a fixed key.
    /// </summary>
    /// <returns>A new <see cref="RsaSecurityKey"/> holding only the public parameters.</returns>
    public RsaSecurityKey GetPublicSecurityKey() =>
        new(new RSAParameters { Modulus = (byte[])Modulus.Clone(), Exponent = (byte[])Exponent.Clone() }) { KeyId = KeyId };

    /// <inheritdoc />
    public override string ToString() => $"{KeyId} (RSA-{KeySize}, {(IsPublished ? "published" : "unpublished")})";
}
