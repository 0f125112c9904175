using System.Diagnostics;
using System.Globalization;

namespace Hanko.Webhooks.Benchmarks;

/// <summary>
/// A cross-check for shared or noisy machines: raw RSA and the pipeline run in alternating short batches in one
/// process, so that both see the same contention; prints the median of the per-pair ratios.
/// </summary>
internal static class Interleaved
{
    public static async Task RunAsync(string payload, int pairs = 300, int batch = 100)
    {
        using var fixture = DeliveryFixture.Create(payload);
        for (var i = 0; i < 2000; i++)
        {
            fixture.RawRsa();
            await fixture.PipelineAsync();
        }

        var ratios = new double[pairs];
        var raw = new double[pairs];
        var pipe = new double[pairs];
        var allocatedBefore = 0L;
        var allocated = 0L;
        for (var p = 0; p < pairs; p++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < batch; i++)
            {
                fixture.RawRsa();
            }

            raw[p] = clock.Elapsed.TotalMicroseconds / batch;
            allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            clock.Restart();
            for (var i = 0; i < batch; i++)
            {
                await fixture.PipelineAsync();
            }

            pipe[p] = clock.Elapsed.TotalMicroseconds / batch;
            allocated += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            ratios[p] = raw[p] / pipe[p];
        }

        fixture.ReportSteadyState($"interleaved/{payload}");
        Array.Sort(ratios);
        Array.Sort(raw);
        Array.Sort(pipe);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{payload}: interleaved pipeline/raw-rsa throughput ratio (median of {pairs} pairs): {ratios[pairs / 2]:0.00}, " +
            $"allocated: {allocated / (pairs * batch)} B/delivery (median pipeline {pipe[pairs / 2]:0.0} µs, raw RSA {raw[pairs / 2]:0.0} µs)"));
    }
}
