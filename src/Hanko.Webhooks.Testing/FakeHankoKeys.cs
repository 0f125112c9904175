using System.Security.Cryptography;

namespace Hanko.Webhooks.Testing;

/// <summary>
/// Where a <see cref="FakeHanko"/> gets the RSA keys it signs with, and where it gives them back when it no longer holds
/// them. Without a <see cref="Source"/> (always, for users of the package) each key is generated new and disposed with its
/// fake. This repository's test assemblies (a friend assembly) install a source that hands out again the key material of
/// fakes already disposed: an RSA-2048 generation costs 0.1 to 0.2 s of CPU, and most of their tests create a fake.
/// </summary>
internal static class FakeHankoKeys
{
    private static volatile IFakeHankoKeySource? _source;

    /// <summary>The source of keys, or <see langword="null"/> to generate each key new.</summary>
    internal static IFakeHankoKeySource? Source
    {
        get => _source;
        set => _source = value;
    }

    /// <summary>A key of <paramref name="keySize"/> bits that no live fake holds.</summary>
    internal static RSA Rent(int keySize) => _source is { } source ? source.Rent(keySize) : RSA.Create(keySize);

    /// <summary>Gives back a key from <see cref="Rent"/> that no fake holds any more, and disposes it.</summary>
    internal static void Return(RSA rsa)
    {
        if (_source is { } source)
        {
            source.Return(rsa);
        }
        else
        {
            rsa.Dispose();
        }
    }
}

/// <summary>Hands out RSA keys to fakes (see <see cref="FakeHankoKeys"/>).</summary>
internal interface IFakeHankoKeySource
{
    /// <summary>A key of <paramref name="keySize"/> bits whose material no key handed out and not yet returned has.</summary>
    RSA Rent(int keySize);

    /// <summary>Takes back a key from <see cref="Rent"/> (or any other key, which it only disposes) and disposes it.</summary>
    void Return(RSA rsa);
}
