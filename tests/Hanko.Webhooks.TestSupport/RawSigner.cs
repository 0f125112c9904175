using System.Security.Cryptography;
using System.Text;
using Hanko.Webhooks.Testing;
using Microsoft.IdentityModel.Tokens;

namespace Hanko.Webhooks.TestSupport;

/// <summary>
/// Signs exactly the header and payload bytes it is given (FakeHanko only writes well-formed JSON), with an RSA key of
/// any size, and writes that key's JWK in any shape: for tokens and key sets that Hanko would never produce.
/// </summary>
public sealed class RawSigner : IDisposable
{
    public RawSigner(int keySize = 2048, string? keyId = null)
    {
        Rsa = FakeHankoKeys.Rent(keySize); // new, or recycled from a disposed key when RecycledFakeHankoKeys is installed
        KeyId = keyId ?? Guid.NewGuid().ToString();
    }

    public RSA Rsa { get; }

    public string KeyId { get; }

    /// <summary>The public JWK; <paramref name="modulusBytes"/> pads <c>n</c> with leading zeros, <paramref name="exponent"/> replaces <c>e</c>.</summary>
    public string Jwk(int modulusBytes = 0, byte[]? exponent = null, string? kidJson = null)
    {
        var parameters = Rsa.ExportParameters(false);
        var modulus = parameters.Modulus!;
        if (modulusBytes > modulus.Length)
        {
            modulus = [.. new byte[modulusBytes - modulus.Length], .. modulus];
        }

        return $$"""{"alg":"RS256","e":"{{Base64UrlEncoder.Encode(exponent ?? parameters.Exponent!)}}","kid":{{kidJson ?? $"\"{KeyId}\""}},"kty":"RSA","n":"{{Base64UrlEncoder.Encode(modulus)}}","use":"sig"}""";
    }

    public static string Jwks(params string[] jwks) => "{\"keys\":[" + string.Join(",", jwks) + "]}";

    /// <summary>The header Hanko writes, for this key.</summary>
    public string Header => $$"""{"alg":"RS256","kid":"{{KeyId}}","typ":"JWT"}""";

    /// <summary>Hanko's claims around <paramref name="dataJson"/>, sorted as jwx writes them, issued at <paramref name="issuedAt"/>.</summary>
    public static string Claims(DateTimeOffset issuedAt, string dataJson, string eventName = "user.login", string audienceJson = "[\"localhost\"]")
    {
        var iat = issuedAt.ToUnixTimeSeconds();
        return $$"""{"aud":{{audienceJson}},"data":{{dataJson}},"evt":"{{eventName}}","exp":{{iat + 300}},"iat":{{iat}},"sub":"hanko webhooks"}""";
    }

    public string Sign(string payloadJson) => Sign(Encoding.UTF8.GetBytes(Header), Encoding.UTF8.GetBytes(payloadJson));

    public string Sign(string headerJson, string payloadJson) => Sign(Encoding.UTF8.GetBytes(headerJson), Encoding.UTF8.GetBytes(payloadJson));

    /// <summary>Signs the raw bytes (which need not be valid UTF-8 or JSON).</summary>
    public string Sign(byte[] header, byte[] payload)
    {
        var input = Base64UrlEncoder.Encode(header) + "." + Base64UrlEncoder.Encode(payload);
        var signature = Rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return input + "." + Base64UrlEncoder.Encode(signature);
    }

    /// <summary>The body Hanko posts for <paramref name="token"/>.</summary>
    public static string Body(string token, string eventName = "user.login") => $$"""{"token":"{{token}}","event":"{{eventName}}"}""";

    public void Dispose() => FakeHankoKeys.Return(Rsa);
}
