using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Hanko.Webhooks.Redis.Internal;

/// <summary>
/// What is stored for a delivery: its verified parts in the core's stored form (<see cref="HankoEventParts.ToBytes"/>),
/// protected with Data Protection (authenticated encryption).
/// The purpose includes the key prefix and the project, so an entry of another app (or another project) sharing the Redis
/// does not open here. An opened entry is handed to this project's receiver, which
/// rebuilds the event as its own project's.
/// </summary>
internal sealed class StoredDelivery
{
    private readonly IDataProtector _protector;

    public StoredDelivery(IDataProtectionProvider provider, string keyPrefix, string? project)
    {
        _protector = project is null
            ? provider.CreateProtector("Hanko.Webhooks.Redis.StoredDelivery", "v1", keyPrefix)
            : provider.CreateProtector("Hanko.Webhooks.Redis.StoredDelivery", "v1", keyPrefix, "project:" + project);
    }

    public byte[] Protect(HankoEventParts delivery)
    {
        var plain = delivery.ToBytes();
        try
        {
            return _protector.Protect(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain); // it holds OTP codes and metadata
        }
    }

    /// <summary>
    /// Opens a stored entry; false (with the reason) when it was tampered with, written with other keys, or is not ours.
    /// <paramref name="keys"/> is true when it did not decrypt (other keys: another instance may hold them), false when it
    /// decrypted but is not in the stored form.
    /// </summary>
    public bool TryUnprotect(byte[] protectedEntry, out HankoEventParts delivery, out string? error, out bool keys)
    {
        keys = false;
        delivery = default;
        byte[] plain;
        try
        {
            plain = _protector.Unprotect(protectedEntry);
        }
        catch (CryptographicException ex)
        {
            keys = true;
            error = $"The stored entry could not be unprotected (tampered with, or protected with other Data Protection keys): {ex.Message}";
            return false;
        }

        try
        {
            // The core's stored form, read with the verifier's limits.
            if (!HankoEventParts.TryFromBytes(plain, out var read))
            {
                error = "The stored entry is not in the expected format (or of an unknown format version).";
                return false;
            }

            delivery = read;
            error = null;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>A probe for <see cref="KeyRingProbe"/>: a marker naming <paramref name="instance"/>, protected like an entry.</summary>
    public byte[] ProtectProbe(string instance) => _protector.Protect(System.Text.Encoding.UTF8.GetBytes(ProbeMarker + instance));

    /// <summary>Whether another instance's probe opens here (the same key ring and purpose).</summary>
    public bool OpensProbe(byte[] probe, string instance)
    {
        try
        {
            return _protector.Unprotect(probe).AsSpan().SequenceEqual(System.Text.Encoding.UTF8.GetBytes(ProbeMarker + instance));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private const string ProbeMarker = "hanko-webhooks-probe:";

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
