using Attention.Benchmarks.Cases;
using Attention.Benchmarks.Peak;
using BenchmarkDotNet.Attributes;

namespace Attention.Benchmarks.Benchmarks;

/// <summary>FMA throughput, the machine's arithmetic peak, measured in the same run as the kernels (artifacts/bench/peak.csv).</summary>
public class PeakBenchmarks
{
    private float _sink;

    public static IEnumerable<PeakCase> Cases() => PeakCase.Cases();

    [ParamsSource(nameof(Cases))]
    public PeakCase Case { get; set; } = null!;

    [Benchmark]
    public float Fma()
    {
        Func<float> probe = Case.Width == FmaWidth.Vector512 ? FmaProbe.Run512 : FmaProbe.Run256;
        if (Case.Threads == 1) return probe();
        Parallel.For(0, Case.Threads, new ParallelOptions { MaxDegreeOfParallelism = Case.Threads }, _ => _sink = probe());
        return _sink;
    }
}
