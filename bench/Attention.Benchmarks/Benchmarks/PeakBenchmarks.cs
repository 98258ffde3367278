using Attention.Benchmarks.Cases;
using Attention.Benchmarks.Peak;
using BenchmarkDotNet.Attributes;

namespace Attention.Benchmarks.Benchmarks;

/// <summary>FMA throughput, the machine's arithmetic peak, measured in the same run as the kernels (artifacts/bench/peak.csv).</summary>
public class PeakBenchmarks
{
    private FmaTeam? _team;
    private Func<float> _probe = FmaProbe.Run512;

    public static IEnumerable<PeakCase> Cases() => PeakCase.Cases();

    [ParamsSource(nameof(Cases))]
    public PeakCase Case { get; set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        _team = new FmaTeam(Case.Threads);
        _probe = Case.Width == FmaWidth.Vector512 ? FmaProbe.Run512 : FmaProbe.Run256;
    }

    [Benchmark]
    public float Fma() => _team!.Run(_probe);

    [GlobalCleanup]
    public void Cleanup()
    {
        _team?.Dispose();
        _team = null;
    }
}
