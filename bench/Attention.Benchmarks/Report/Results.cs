using Attention.Benchmarks.Cases;
using Attention.Benchmarks.Memory;

namespace Attention.Benchmarks.Report;

/// <summary>All measurements of one run, sorted by kind.</summary>
public sealed class Results(List<Measurement> measurements, List<MemoryResult> memory, List<string> failures)
{
    public IReadOnlyList<(KernelCase Case, Measurement M)> Kernels { get; } =
        [.. measurements.Where(m => m.Case is KernelCase).Select(m => ((KernelCase)m.Case!, m))];

    public IReadOnlyList<(LayerCase Case, Measurement M)> Layers { get; } =
        [.. measurements.Where(m => m.Case is LayerCase).Select(m => ((LayerCase)m.Case!, m))];

    public IReadOnlyList<(PeakCase Case, Measurement M)> Peaks { get; } =
        [.. measurements.Where(m => m.Case is PeakCase).Select(m => ((PeakCase)m.Case!, m))];

    /// <summary>Benchmarks of other classes (e.g. RealModel/): listed in other.csv as BenchmarkDotNet reports them.</summary>
    public IReadOnlyList<Measurement> Others { get; } =
        [.. measurements.Where(m => m.Case is not (KernelCase or LayerCase or PeakCase))];

    public IReadOnlyList<MemoryResult> Memory { get; } = memory;

    public IReadOnlyList<string> Failures { get; } = failures;

    /// <summary>Kernel rows measured again as paired ratios (<see cref="PairedRatios"/>), by (n, d, causal, threads).</summary>
    public Dictionary<(int N, int D, bool Causal, int Threads), PairedResult> Paired { get; } = [];

    /// <summary>
    /// One-thread kernel rows paired with the one-core FMA probe, by (n, d, causal, threads): <see cref="PairedResult.Ratio"/>
    /// is the library's share of the peak.
    /// </summary>
    public Dictionary<(int N, int D, bool Causal, int Threads), PairedResult> PairedPeak { get; } = [];

    /// <summary>Layer rows measured again as paired ratios, by (n, threads).</summary>
    public Dictionary<(int N, int Threads), PairedResult> PairedLayers { get; } = [];

    /// <summary>The highest FMA throughput measured on this many threads (any width), or null if not measured.</summary>
    public double? PeakGflops(int threads)
    {
        var peaks = Peaks.Where(p => p.Case.Threads == threads).Select(p => p.M.Gflops(p.Case.Flops)).ToList();
        return peaks.Count == 0 ? null : peaks.Max();
    }
}
