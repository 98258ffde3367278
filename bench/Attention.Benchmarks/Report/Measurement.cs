using BenchmarkDotNet.Reports;

namespace Attention.Benchmarks.Report;

/// <summary>One benchmark's result: its class and method, its "Case" parameter (null for classes without one), median and allocations per call.</summary>
public sealed record Measurement(string Type, string Method, object? Case, string Parameters, double MedianNs, long? AllocatedBytes)
{
    public double MedianMs => MedianNs / 1e6;

    /// <summary>GFLOP/s for <paramref name="flops"/> operations per call.</summary>
    public double Gflops(double flops) => flops / MedianNs;

    /// <summary>Every successful report of every summary; failed benchmarks are listed in <paramref name="failures"/>.</summary>
    public static List<Measurement> From(IEnumerable<Summary> summaries, List<string> failures)
    {
        var measurements = new List<Measurement>();
        foreach (var summary in summaries)
            foreach (var report in summary.Reports)
            {
                var bc = report.BenchmarkCase;
                string parameters = bc.Parameters.DisplayInfo;
                var stats = report.ResultStatistics;
                if (stats is null || !report.Success)
                {
                    failures.Add($"{bc.Descriptor.Type.Name}.{bc.Descriptor.WorkloadMethod.Name} {parameters}");
                    continue;
                }
                object? c = bc.Parameters.Items.FirstOrDefault(p => p.Name == "Case")?.Value;
                // Allocations: the calling thread's bytes in one warm call where the class logged them, else BenchmarkDotNet's
                // process-wide average per operation.
                measurements.Add(new Measurement(bc.Descriptor.Type.Name, bc.Descriptor.WorkloadMethod.Name, c, parameters,
                    stats.Median, Benchmarks.AllocationLog.Get(c) ?? report.GcStats.GetBytesAllocatedPerOperation(bc)));
            }
        return measurements;
    }
}
