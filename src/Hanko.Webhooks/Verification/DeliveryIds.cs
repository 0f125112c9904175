using System.Security.Cryptography;

namespace Hanko.Webhooks.Verification;

/// <summary>
/// Computes <see cref="HankoEvent.DeliveryId"/>: SHA-256 of the token's decoded signature bytes, as lowercase hex.
/// </summary>
/// <remarks>
/// <para>
/// RS256 (PKCS#1 v1.5) is deterministic, so for a given key the signature identifies the signing input
/// (<c>header.payload</c>) exactly. The <em>decoded</em> bytes are hashed, not the segment's text: the base64url decoder
/// skips whitespace, so <c>abc</c> and <c>a bc</c> verify alike, and hashing the text would let a re-sent copy with a space
/// in its signature pass as a new delivery (found by the envelope fuzz test). Changing any character of the header or
/// payload breaks the signature, so they need no such care.
/// </para>
/// <para>
/// Cost, measured for a 3.4 KB token with a 4096-bit key: SHA-256 of the whole token about 2.8 µs, decoding and hashing the
/// 512-byte signature about 1.2 µs, next to an RSA-4096 verification of roughly 100 µs.
/// </para>
/// </remarks>
internal static class DeliveryIds
{
    private const int MaxSignatureBytes = 1024;

    public static string Compute(ReadOnlySpan<byte> token, in CompactJws jws)
    {
        Span<byte> signature = stackalloc byte[MaxSignatureBytes];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        if (jws.TryDecodeSignature(token, signature, out var length))
        {
            SHA256.HashData(signature[..length], hash);
        }
        else
        {
            SHA256.HashData(token, hash); // not reached: the signature was decoded and verified before
        }

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
