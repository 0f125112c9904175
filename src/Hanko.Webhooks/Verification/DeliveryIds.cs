using System.Security.Cryptography;

namespace Hanko.Webhooks.Verification;

/// <summary>
/// Computes <see cref="HankoEvent.DeliveryId"/>: SHA-256 of the token's signature segment, as lowercase hex.
/// </summary>
/// <remarks>
/// RS256 (PKCS#1 v1.5) is deterministic, so for a given key the signature identifies the signing input
/// (<c>header.payload</c>); and the base64url decoder refuses non-canonical encodings (stray trailing bits), so a
/// verified token has exactly one signature segment. Hashing that segment (~0.7 KB for Hanko's 4096-bit keys) instead
/// of the whole ~3.4 KB token costs about 1.2 µs instead of 2.8 µs, measured on the CI machine, next to an RSA-4096
/// verification of roughly 100 µs; either would do.
/// </remarks>
internal static class DeliveryIds
{
    public static string Compute(ReadOnlySpan<byte> token, in CompactJws jws)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(token[(jws.SecondDot + 1)..], hash);
        return string.Create(hash.Length * 2, hash.ToArray(), static (chars, bytes) =>
        {
            const string Hex = "0123456789abcdef";
            for (var i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = Hex[bytes[i] >> 4];
                chars[(2 * i) + 1] = Hex[bytes[i] & 0xF];
            }
        });
    }
}
