using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// What is stored for a delivery: its verified parts as JSON, protected with Data Protection (authenticated encryption).
/// The purpose includes the key prefix and the project, so an entry of another app (or another project) sharing the Redis
/// does not open here. An opened entry is the project's: <see cref="HankoEventParts.Project"/> is set from the store's.
/// </summary>
internal sealed class StoredDelivery
{
    private const int Version = 1;
    private readonly IDataProtector _protector;
    private readonly string? _project;

    public StoredDelivery(IDataProtectionProvider provider, string keyPrefix, string? project)
    {
        _project = project;
        _protector = project is null
            ? provider.CreateProtector("Hanko.Webhooks.Redis.StoredDelivery", "v1", keyPrefix)
            : provider.CreateProtector("Hanko.Webhooks.Redis.StoredDelivery", "v1", keyPrefix, "project:" + project);
    }

    public byte[] Protect(HankoEventParts delivery)
    {
        var buffer = new ArrayBufferWriter<byte>(delivery.Data.Length + 512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", Version);
            json.WriteString("n", delivery.Name);
            json.WriteString("id", delivery.DeliveryId);
            json.WriteNumber("iat", delivery.IssuedAt.ToUnixTimeSeconds());
            json.WriteNumber("exp", delivery.ExpiresAt.ToUnixTimeSeconds());
            json.WriteStartArray("aud");
            foreach (var audience in delivery.Audience)
            {
                json.WriteStringValue(audience);
            }

            json.WriteEndArray();
            json.WritePropertyName("data");
            json.WriteRawValue(delivery.Data.Span, skipInputValidation: true); // the verifier parsed it
            json.WriteEndObject();
        }

        var plain = buffer.WrittenSpan.ToArray();
        try
        {
            return _protector.Protect(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain); // it holds OTP codes and metadata
        }
    }

    /// <summary>Opens a stored entry; false (with the reason) when it was tampered with, written with other keys, or is not ours.</summary>
    public bool TryUnprotect(byte[] protectedEntry, out HankoEventParts delivery, out string? error)
    {
        delivery = default;
        byte[] plain;
        try
        {
            plain = _protector.Unprotect(protectedEntry);
        }
        catch (CryptographicException ex)
        {
            error = $"The stored entry could not be unprotected (tampered with, or protected with other Data Protection keys): {ex.Message}";
            return false;
        }

        try
        {
            if (Read(plain) is not { } read)
            {
                error = "The stored entry has an unknown format version.";
                return false;
            }

            delivery = read with { Project = _project };
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            error = "The stored entry is not in the expected format.";
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>
    /// Reads what <see cref="Protect"/> wrote, in one pass (no document, no string copy of the data: the data is sliced out
    /// as it was written). Null for another format version; throws on anything malformed or missing. The data sits one level
    /// down, as in a token's payload, so the verifier's depth limit is the one that lets every delivery it accepted back out.
    /// </summary>
    private static HankoEventParts? Read(ReadOnlySpan<byte> plain)
    {
        var reader = new Utf8JsonReader(plain, new JsonReaderOptions { MaxDepth = HankoEventParts.MaxDataDepth });
        Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject);
        int? version = null;
        string? name = null, deliveryId = null;
        long? issuedAt = null, expiresAt = null;
        List<string>? audience = null;
        byte[]? data = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader;
            Expect(reader.Read());
            if (property.ValueTextEquals("v"u8))
            {
                version = reader.GetInt32();
            }
            else if (property.ValueTextEquals("n"u8))
            {
                name = reader.GetString();
            }
            else if (property.ValueTextEquals("id"u8))
            {
                deliveryId = reader.GetString();
            }
            else if (property.ValueTextEquals("iat"u8))
            {
                issuedAt = reader.GetInt64();
            }
            else if (property.ValueTextEquals("exp"u8))
            {
                expiresAt = reader.GetInt64();
            }
            else if (property.ValueTextEquals("aud"u8))
            {
                Expect(reader.TokenType == JsonTokenType.StartArray);
                audience = [];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    audience.Add(reader.GetString() ?? string.Empty);
                }
            }
            else if (property.ValueTextEquals("data"u8))
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                data = plain[start..(int)reader.BytesConsumed].ToArray();
            }
            else
            {
                reader.Skip();
            }
        }

        Expect(reader.TokenType == JsonTokenType.EndObject);
        if (version != Version)
        {
            Expect(version is not null);
            return null;
        }

        Expect(name is not null && deliveryId is not null && issuedAt is not null && expiresAt is not null && audience is not null && data is not null);
        return new HankoEventParts(name!, data!)
        {
            DeliveryId = deliveryId!,
            IssuedAt = DateTimeOffset.FromUnixTimeSeconds(issuedAt!.Value),
            ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(expiresAt!.Value),
            Audience = audience!.ToArray(),
        };
    }

    private static void Expect(bool condition)
    {
        if (!condition)
        {
            throw new FormatException("The stored entry is not in the expected format.");
        }
    }

    /// <summary>Fails start-up with a clear message when the protector cannot round-trip.</summary>
    public void EnsureRoundTrip()
    {
        byte[] probe = [(byte)'h', (byte)'a', (byte)'n', (byte)'k', (byte)'o'];
        try
        {
            if (_protector.Unprotect(_protector.Protect(probe)).AsSpan().SequenceEqual(probe))
            {
                return;
            }
        }
        catch (Exception ex) when (ex is CryptographicException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                "Hanko.Webhooks durable processing cannot start: ASP.NET Core Data Protection could not protect and unprotect a test value " +
                $"({ex.GetType().Name}: {ex.Message}). Stored deliveries are protected with it; configure it so that every instance shares " +
                "one key ring, e.g. services.AddDataProtection().SetApplicationName(\"my-app\").PersistKeysToStackExchangeRedis(redis, \"DataProtection-Keys\").", ex);
        }

        throw new InvalidOperationException(
            "Hanko.Webhooks durable processing cannot start: ASP.NET Core Data Protection returned something else than it was given for a test value. " +
            "Check the IDataProtectionProvider registered in DI.");
    }
}
