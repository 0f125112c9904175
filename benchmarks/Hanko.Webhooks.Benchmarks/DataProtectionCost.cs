using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Hanko.Webhooks.Benchmarks;

/// <summary>
/// <c>--data-protection</c>: what Protect and Unprotect of a durable entry (4.5 KB, the size of a stored user.login)
/// cost with Data Protection's default (AES-256-CBC + HMACSHA256) and with AES-256-GCM, in alternating short batches in
/// one process (both see the same contention); prints the medians per operation and the per-pair ratio.
/// </summary>
internal static class DataProtectionCost
{
    public static void Run(int size = 4500, int pairs = 200, int batch = 200)
    {
        var entry = new byte[size];
        new Random(1).NextBytes(entry);
        var cbc = Protector(gcm: false);
        var gcm = Protector(gcm: true);
        var cbcProtected = cbc.Protect(entry);
        var gcmProtected = gcm.Protect(entry);
        for (var i = 0; i < 2000; i++)
        {
            cbc.Unprotect(cbc.Protect(entry));
            gcm.Unprotect(gcm.Protect(entry));
        }

        var results = new double[4][];
        for (var k = 0; k < 4; k++)
        {
            results[k] = new double[pairs];
        }

        for (var p = 0; p < pairs; p++)
        {
            results[0][p] = Time(() => cbc.Protect(entry), batch);
            results[1][p] = Time(() => gcm.Protect(entry), batch);
            results[2][p] = Time(() => cbc.Unprotect(cbcProtected), batch);
            results[3][p] = Time(() => gcm.Unprotect(gcmProtected), batch);
        }

        var protectRatio = Median(Enumerable.Range(0, pairs).Select(p => results[1][p] / results[0][p]).ToArray());
        var unprotectRatio = Median(Enumerable.Range(0, pairs).Select(p => results[3][p] / results[2][p]).ToArray());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Data Protection, {size} B entry, {pairs} pairs of {batch}:"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Protect    CBC+HMAC {Median(results[0]):0.0} µs   GCM {Median(results[1]):0.0} µs   GCM/CBC {protectRatio:0.00}   (protected: {cbcProtected.Length} B / {gcmProtected.Length} B)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Unprotect  CBC+HMAC {Median(results[2]):0.0} µs   GCM {Median(results[3]):0.0} µs   GCM/CBC {unprotectRatio:0.00}"));
    }

    private static IDataProtector Protector(bool gcm)
    {
        var services = new ServiceCollection();
        // A fresh key ring each (the algorithms apply to keys created afterwards; an ephemeral provider ignores them).
        var keys = Directory.CreateTempSubdirectory("hanko-bench-dp-");
        var dp = services.AddDataProtection().SetApplicationName("hanko-bench").PersistKeysToFileSystem(keys);
        if (gcm)
        {
            dp.UseCryptographicAlgorithms(new AuthenticatedEncryptorConfiguration
            {
                EncryptionAlgorithm = EncryptionAlgorithm.AES_256_GCM,
                ValidationAlgorithm = ValidationAlgorithm.HMACSHA256,
            });
        }

        // The same purposes as the durable store uses.
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("Hanko.Webhooks.Redis.StoredDelivery", "v1", "bench");
    }

    private static double Time(Action action, int batch)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < batch; i++)
        {
            action();
        }

        return clock.Elapsed.TotalMicroseconds / batch;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
