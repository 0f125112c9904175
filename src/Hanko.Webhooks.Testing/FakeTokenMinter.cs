using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace Hanko.Webhooks.Testing;

/// <summary>
/// Mints webhook tokens byte-for-byte in Hanko's format: the header, the sorted claims with the default payload whose times
/// follow <c>iat</c>, Go-style JSON, and the signature, each as <see cref="FakeDeliveryOptions"/> says.
/// </summary>
internal sealed class FakeTokenMinter(TimeProvider timeProvider, IReadOnlyList<string> audiences)
{
    /// <summary>Signs a token for <paramref name="eventName"/> as <paramref name="o"/> says, with <c>o.Key</c> or else <paramref name="signingKey"/>.</summary>
    public MintedToken Mint(string eventName, FakeDeliveryOptions o, FakeHankoKey signingKey)
    {
        var key = o.Key ?? signingKey;

        var header = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal)
        {
            ["alg"] = o.Algorithm,
            ["typ"] = "JWT",
        };
        if (!o.OmitKeyId)
        {
            header["kid"] = o.KeyIdOverride ?? key.KeyId;
        }

        foreach (var (name, value) in o.ExtraHeader)
        {
            header[name] = value?.DeepClone();
        }

        var claims = BuildClaims(eventName, o);
        var headerSegment = Base64UrlEncoder.Encode(GoJson.Write(writer => WriteObject(writer, header)));
        var payloadSegment = Encode(claims);
        var signature = Sign(o.Algorithm, key, Encoding.ASCII.GetBytes(headerSegment + "." + payloadSegment));
        return new MintedToken(headerSegment, payloadSegment, Base64UrlEncoder.Encode(signature), claims);
    }

    private SortedDictionary<string, JsonNode?> BuildClaims(string eventName, FakeDeliveryOptions o)
    {
        var issuedAtTime = o.IssuedAt ?? timeProvider.GetUtcNow();
        var issuedAt = issuedAtTime.ToUnixTimeSeconds();
        var claims = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal)
        {
            ["aud"] = new JsonArray((o.Audience ?? audiences).Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
            ["exp"] = issuedAt + (long)o.Lifetime.TotalSeconds,
            ["iat"] = issuedAt,
        };

        if (!o.OmitData)
        {
            var data = o.Data?.DeepClone() ?? DefaultDataFor(eventName, o.Variant, issuedAtTime);
            if (o.EditData is not null && data is JsonObject dataObject)
            {
                o.EditData(dataObject);
            }

            claims["data"] = data;
        }

        if (!o.OmitEventClaim)
        {
            claims["evt"] = o.EventClaim ?? eventName;
        }

        if (o.Subject is not null)
        {
            claims["sub"] = o.Subject;
        }

        foreach (var (name, value) in o.ExtraClaims)
        {
            claims[name] = value?.DeepClone();
        }

        return claims;
    }

    /// <summary>The default payload, its times moved to follow the token's issue time (a passcode is valid 5 minutes from then, …).</summary>
    private static JsonObject DefaultDataFor(string eventName, string? variant, DateTimeOffset issuedAt)
    {
        if (variant is null && DefaultPayloads.Resolve(eventName, null) is null)
        {
            return []; // an event the fake has no payload for: still deliverable
        }

        return DefaultPayloads.Load(DefaultPayloads.NameOf(eventName, variant), issuedAt);
    }

    /// <summary>The base64url payload segment of <paramref name="claims"/>, in Hanko's JSON (members sorted, Go escaping).</summary>
    public static string Encode(SortedDictionary<string, JsonNode?> claims) =>
        Base64UrlEncoder.Encode(GoJson.Write(writer => WriteObject(writer, claims)));

    private static void WriteObject(Utf8JsonWriter writer, SortedDictionary<string, JsonNode?> members)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in members)
        {
            writer.WritePropertyName(name);
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    private static byte[] Sign(string algorithm, FakeHankoKey key, byte[] input)
    {
        switch (algorithm)
        {
            case "none":
                return [];
            case "HS256":
                return HMACSHA256.HashData(key.Modulus, input);
        }

        var (hash, padding) = algorithm switch
        {
            "RS256" => (HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "RS384" => (HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            "RS512" => (HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
            "PS256" => (HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            "PS384" => (HashAlgorithmName.SHA384, RSASignaturePadding.Pss),
            "PS512" => (HashAlgorithmName.SHA512, RSASignaturePadding.Pss),
            _ => throw new ArgumentException(
                $"FakeDeliveryOptions.Algorithm '{algorithm}' is not supported; use RS256, RS384, RS512, PS256, PS384, PS512, none or HS256."),
        };

        lock (key.SignLock)
        {
            return key.Rsa.SignData(input, hash, padding);
        }
    }
}
