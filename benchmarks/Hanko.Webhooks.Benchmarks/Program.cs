using System.Globalization;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Hanko.Webhooks.Benchmarks;

// No arguments: the headline run (DeliveryBenchmarks) followed by one summary line per payload.
// With arguments: BenchmarkDotNet's switcher, e.g. `--filter *StageBenchmarks*` for the per-stage profile.
var report = Path.Combine(Path.GetTempPath(), $"hanko-bench-{Environment.ProcessId}.tsv");
Environment.SetEnvironmentVariable(Program.ReportEnvironmentVariable, report);
try
{
    if (args is ["--data-protection", ..])
    {
        DataProtectionCost.Run(); // the durable entry's Data Protection cost: default CBC+HMAC vs AES-256-GCM
        return 0;
    }

    if (args is ["--interleaved", ..])
    {
        foreach (var payload in new[] { "email.send", "user.login" })
        {
            await Interleaved.RunAsync(payload);
        }

        return 0;
    }

    var summaries = args.Length == 0
        ? [BenchmarkRunner.Run<DeliveryBenchmarks>()]
        : BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

    Console.WriteLine();
    var failed = false;
    var deliveries = summaries.Where(Program.HasDeliveryFixture).ToArray();
    foreach (var summary in deliveries)
    {
        failed |= Program.PrintRatios(summary);
    }

    if (deliveries.Length == 0)
    {
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0; // e.g. PayloadBenchmarks alone
    }

    var steady = File.Exists(report) ? File.ReadAllLines(report) : [];
    var requests = steady.Select(l => int.Parse(l.Split('\t')[1].Split('=')[1], CultureInfo.InvariantCulture)).ToArray();
    Console.WriteLine($"JWKS requests in steady state (FakeHanko.JwksRequestCount after warm-up): {requests.Sum()} over {requests.Length} benchmark processes");
    if (requests.Length == 0 || requests.Any(r => r != 0))
    {
        Console.WriteLine("FAILED: expected reports from every benchmark process and zero JWKS requests after warm-up.");
        failed = true;
    }

    return failed ? 1 : 0;
}
finally
{
    File.Delete(report);
}

public static partial class Program
{
    public const string ReportEnvironmentVariable = "HANKO_BENCH_STEADY_STATE_REPORT";

    /// <summary>Whether the summary's benchmarks run a <see cref="DeliveryFixture"/> (they report the JWKS requests and a ratio).</summary>
    public static bool HasDeliveryFixture(Summary summary)
        => summary.BenchmarksCases.Any(c => c.Descriptor.Type != typeof(PayloadBenchmarks));

    /// <summary>Prints "pipeline/raw-rsa throughput ratio" per payload; returns whether a case is missing.</summary>
    public static bool PrintRatios(Summary summary)
    {
        var failed = false;
        foreach (var group in summary.Reports.GroupBy(r => r.BenchmarkCase.Parameters["Payload"]?.ToString() ?? "?"))
        {
            var raw = group.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == "RawRsa");
            var pipeline = group.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == "Pipeline");
            if (raw?.ResultStatistics is null || pipeline?.ResultStatistics is null)
            {
                Console.WriteLine($"{group.Key}: no result for RawRsa or Pipeline");
                failed = true;
                continue;
            }

            var ratio = raw.ResultStatistics.Mean / pipeline.ResultStatistics.Mean;
            var allocated = pipeline.GcStats.GetBytesAllocatedPerOperation(pipeline.BenchmarkCase) ?? -1;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{group.Key}: pipeline/raw-rsa throughput ratio: {ratio:0.00}, allocated: {allocated} B/delivery " +
                $"(pipeline {pipeline.ResultStatistics.Mean / 1000:0.0} µs, raw RSA {raw.ResultStatistics.Mean / 1000:0.0} µs)"));
        }

        return failed;
    }
}
