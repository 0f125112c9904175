using System.Security.Cryptography;
using Hanko.Webhooks.Testing;

namespace Hanko.Webhooks.TestSupport;

/// <summary>
/// Hands the RSA key material of disposed <see cref="FakeHanko"/>s to new ones, so that the test assemblies do not spend an
/// RSA generation (0.1 to 0.2 s of CPU each, for RSA-2048) on nearly every test. Material is handed out again only after
/// the key that held it was given back (its fake disposed, or the one-off key of an unknown-kid delivery used): keys held
/// at the same time are always different keys, as with new keys. Each test assembly installs it once (its SetUpFixture).
/// </summary>
public sealed class RecycledFakeHankoKeys : IFakeHankoKeySource
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, Stack<RSAParameters>> _free = [];
    private readonly Dictionary<RSA, (int KeySize, RSAParameters Parameters)> _rented = new(ReferenceEqualityComparer.Instance);

    private RecycledFakeHankoKeys()
    {
    }

    /// <summary>The number of keys generated new so far.</summary>
    public static int Generated => Installed?._generated ?? 0;

    private static RecycledFakeHankoKeys? Installed => FakeHankoKeys.Source as RecycledFakeHankoKeys;

    private int _generated;

    /// <summary>Makes every <see cref="FakeHanko"/> of this process take its keys from one instance.</summary>
    public static void Install()
    {
        if (Installed is null)
        {
            FakeHankoKeys.Source = new RecycledFakeHankoKeys();
        }
    }

    RSA IFakeHankoKeySource.Rent(int keySize)
    {
        RSAParameters parameters;
        lock (_gate)
        {
            if (!_free.TryGetValue(keySize, out var free) || !free.TryPop(out parameters))
            {
                parameters = default;
            }
        }

        if (parameters.Modulus is null)
        {
            using var generated = RSA.Create(keySize);
            parameters = generated.ExportParameters(includePrivateParameters: true);
            Interlocked.Increment(ref _generated);
        }

        var rsa = RSA.Create(parameters);
        lock (_gate)
        {
            _rented.Add(rsa, (keySize, parameters));
        }

        return rsa;
    }

    void IFakeHankoKeySource.Return(RSA rsa)
    {
        lock (_gate)
        {
            if (_rented.Remove(rsa, out var rented))
            {
                if (!_free.TryGetValue(rented.KeySize, out var free))
                {
                    _free[rented.KeySize] = free = new Stack<RSAParameters>();
                }

                free.Push(rented.Parameters);
            }
        }

        rsa.Dispose();
    }
}
