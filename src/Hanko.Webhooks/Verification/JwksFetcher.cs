using System.Collections.Frozen;
using System.Net.Http.Headers;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using Hanko.Webhooks.Diagnostics;
using Hanko.Webhooks.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Hanko.Webhooks.Verification;

/// <summary>
/// One JWKS request and what it holds: a GET with <see cref="HankoWebhookOptions.JwksFetchTimeout"/>, no redirect followed, at
/// most 512 KiB read, each key read on its own (one that cannot be used is skipped and logged, the others stay usable), and
/// the time to fetch again from <c>Cache-Control: max-age</c>. <see cref="JwksKeyStore"/> decides when to call it.
/// </summary>
internal sealed class JwksFetcher(Uri jwksUri, HankoWebhookOptions options, Func<HttpClient> createClient, TimeProvider time, ILogger logger)
{
    private const int MaxJwksBytes = 512 * 1024;
    private const int MinimumRsaKeySize = 2048;
    private const int Kid = 0; // the index of "kid" in JwkMembers: the name of the key in the log
    private static readonly string[] JwkMembers = ["kid", "kty", "use", "alg", "n", "e"];

    /// <summary>
    /// Fetches and reads the JWKS. A key of <paramref name="previous"/> with the same <c>kid</c> and the same key is kept as it
    /// is (it was checked when first read). Returns the keys and when to fetch them again.
    /// </summary>
    /// <exception cref="JwksFetchException">The answer is not a usable JWKS.</exception>
    public async Task<(FrozenDictionary<string, VerificationKey> Keys, TimeSpan RefreshIn)> FetchAsync(FrozenDictionary<string, VerificationKey>? previous)
    {
        using var timeout = new CancellationTokenSource(options.JwksFetchTimeout, time);
        using var request = new HttpRequestMessage(HttpMethod.Get, jwksUri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var client = createClient();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (status is >= 300 and < 400)
        {
            // Not followed: a redirect could lead from an allowed URL to plain http on another host.
            throw new JwksFetchException(
                $"the JWKS endpoint answered {status} with a redirect{(response.Headers.Location is { } location ? $" to {location}" : "")}; redirects are not followed for the JWKS, so set {HankoWebhookOptions.SectionName}:JwksUrl (or ApiUrl) to the final https URL",
                HankoTelemetryNames.JwksResults.Redirect);
        }

        if (response.RequestMessage?.RequestUri is { } final && !Uri.Equals(final, jwksUri))
        {
            // An HttpClient of the application's own that follows redirects.
            throw new JwksFetchException(
                $"the JWKS request was redirected to {final}; redirects are not followed for the JWKS, so set {HankoWebhookOptions.SectionName}:JwksUrl (or ApiUrl) to the final https URL",
                HankoTelemetryNames.JwksResults.Redirect);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new JwksFetchException($"the JWKS endpoint answered {status}", HankoTelemetryNames.JwksResults.HttpError);
        }

        var json = await ReadLimitedAsync(response.Content, timeout.Token).ConfigureAwait(false);
        return (ReadKeys(json, previous), ClampRefresh(response.Headers.CacheControl?.MaxAge));
    }

    /// <summary>The usable keys of the JWKS <paramref name="json"/>, read key by key.</summary>
    private FrozenDictionary<string, VerificationKey> ReadKeys(string json, FrozenDictionary<string, VerificationKey>? previous)
    {
        var keys = new Dictionary<string, VerificationKey>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var list)
                || list.ValueKind != JsonValueKind.Array)
            {
                throw new JwksFetchException("the JWKS is not valid JSON Web Key Set JSON (no \"keys\" array)", HankoTelemetryNames.JwksResults.InvalidJwks);
            }

            // Key by key: one entry that cannot be used is skipped and logged, the others stay usable.
            foreach (var jwk in list.EnumerateArray())
            {
                if (!TryCreateKey(jwk, out var key, out var keyId, out var reason))
                {
                    Log.JwksKeySkipped(logger, keyId, reason);
                    continue;
                }

                if (previous is not null && previous.TryGetValue(key.KeyId, out var known) && known.HasSameKey(key))
                {
                    key = known;
                }
                else if (!key.CanVerify(out reason))
                {
                    Log.JwksKeySkipped(logger, key.KeyId, reason);
                    continue;
                }

                if (!keys.TryAdd(key.KeyId, key))
                {
                    Log.JwksKeySkipped(logger, key.KeyId, "another key has the same kid");
                }
            }
        }
        catch (JsonException ex)
        {
            throw new JwksFetchException("the JWKS is not valid JSON Web Key Set JSON", HankoTelemetryNames.JwksResults.InvalidJwks, ex);
        }

        if (keys.Count == 0)
        {
            throw new JwksFetchException("the JWKS holds no usable RSA signing key", HankoTelemetryNames.JwksResults.NoUsableKey);
        }

        return keys.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Reads one JWK; <paramref name="keyId"/> is what to call it in the log when it is skipped.</summary>
    private static bool TryCreateKey(JsonElement jwk, out VerificationKey key, out string keyId, out string reason)
    {
        key = null!;
        keyId = "(none)";
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            reason = "it is not a JSON object";
            return false;
        }

        // The members this SDK reads, each at most once and a string; others are ignored.
        var values = new string?[JwkMembers.Length];
        foreach (var member in jwk.EnumerateObject())
        {
            var index = Array.IndexOf(JwkMembers, member.Name);
            if (index < 0)
            {
                continue;
            }

            if (member.Value.ValueKind != JsonValueKind.String)
            {
                keyId = index == Kid ? "(not a string)" : values[Kid] ?? keyId;
                reason = $"its \"{member.Name}\" is not a string";
                return false;
            }

            if (values[index] is not null)
            {
                reason = $"it has \"{member.Name}\" twice";
                return false;
            }

            try
            {
                values[index] = member.Value.GetString();
            }
            catch (InvalidOperationException)
            {
                reason = $"its \"{member.Name}\" is not valid Unicode text";
                return false;
            }

            if (index == Kid)
            {
                keyId = values[Kid]!;
            }
        }

        var (kid, kty, use, alg, n, e) = (values[0], values[1], values[2], values[3], values[4], values[5]);
        if (string.IsNullOrEmpty(kid))
        {
            reason = "it has no kid";
            return false;
        }

        if (!string.Equals(kty, "RSA", StringComparison.Ordinal))
        {
            reason = $"its kty is {kty ?? "missing"}, not RSA";
            return false;
        }

        if (!string.IsNullOrEmpty(use) && !string.Equals(use, "sig", StringComparison.Ordinal))
        {
            reason = $"its use is {use}, not sig";
            return false;
        }

        if (string.IsNullOrEmpty(n) || string.IsNullOrEmpty(e))
        {
            reason = "it has no modulus or exponent";
            return false;
        }

        byte[] modulus, exponent;
        try
        {
            modulus = Base64UrlEncoder.DecodeBytes(n);
            exponent = Base64UrlEncoder.DecodeBytes(e);
        }
        catch (FormatException)
        {
            reason = "its modulus or exponent is not base64url";
            return false;
        }

        // The real sizes: RFC 7518 §6.3.1.1 forbids leading zero octets, so padding must not make a small key look big.
        var n0 = modulus.AsSpan().TrimStart((byte)0);
        var e0 = exponent.AsSpan().TrimStart((byte)0);
        var bits = (int)new BigInteger(n0, isUnsigned: true, isBigEndian: true).GetBitLength();
        if (bits < MinimumRsaKeySize)
        {
            reason = $"its modulus has {bits} bits; at least {MinimumRsaKeySize} are required";
            return false;
        }

        // RFC 8017 §3.1: e is odd and at least 3 (OpenSSL refuses e = 0, 1, 2 only when a signature is checked).
        if (e0.IsEmpty || (e0.Length == 1 && e0[0] < 3) || (e0[^1] & 1) == 0)
        {
            reason = "its exponent e is not an odd number of at least 3";
            return false;
        }

        key = new VerificationKey(kid, string.IsNullOrEmpty(alg) ? null : alg, new RSAParameters { Modulus = n0.ToArray(), Exponent = e0.ToArray() }, bits);
        reason = string.Empty;
        return true;
    }

    private static async Task<string> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken) =>
        await BodyReader.ReadAsync(content, MaxJwksBytes, cancellationToken).ConfigureAwait(false) is { } body
            ? System.Text.Encoding.UTF8.GetString(body.Span)
            : throw new JwksFetchException($"the JWKS is larger than {MaxJwksBytes} bytes", HankoTelemetryNames.JwksResults.TooLarge);

    /// <summary>When to fetch again: <c>max-age</c> within the configured bounds, else the refresh interval.</summary>
    private TimeSpan ClampRefresh(TimeSpan? maxAge)
    {
        if (maxAge is not { } age)
        {
            return options.JwksRefreshInterval;
        }

        return age < options.JwksMinimumRefreshInterval ? options.JwksMinimumRefreshInterval
            : age > options.JwksMaximumRefreshInterval ? options.JwksMaximumRefreshInterval
            : age;
    }

    /// <summary>A failed fetch, in words, for the log and the health check.</summary>
    public static string Describe(Exception ex) => ex switch
    {
        JwksFetchException => ex.Message,
        OperationCanceledException => "the JWKS request timed out",
        HttpRequestException http => $"the JWKS request failed ({http.HttpRequestError})",
        _ => $"the JWKS request failed ({ex.GetType().Name})",
    };

    /// <summary>The <c>hanko.webhook.jwks.result</c> of a failed fetch.</summary>
    public static string ResultOf(Exception ex) => ex switch
    {
        JwksFetchException fetch => fetch.Result,
        OperationCanceledException => HankoTelemetryNames.JwksResults.Timeout,
        HttpRequestException => HankoTelemetryNames.JwksResults.NetworkError,
        _ => HankoTelemetryNames.JwksResults.Error,
    };
}
