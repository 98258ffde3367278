using Attention.Benchmarks.Cases;

namespace Attention.Benchmarks.Report;

/// <summary>One layer shape (n, threads): the library's layer against the faster ONNX Runtime graph.</summary>
public sealed class LayerComparison
{
    private LayerComparison(int n, int threads, Dictionary<LayerImpl, Measurement> byImpl)
    {
        (N, Threads, ByImpl) = (n, threads, byImpl);
        Flops = new LayerCase(LayerImpl.Library, n, threads).Flops;
        Library = byImpl.GetValueOrDefault(LayerImpl.Library);
        BestPeer = byImpl.Where(p => p.Key != LayerImpl.Library).Select(p => p.Value).MinBy(m => m.MedianNs);
    }

    public int N { get; }
    public int Threads { get; }
    public double Flops { get; }
    public IReadOnlyDictionary<LayerImpl, Measurement> ByImpl { get; }
    public Measurement? Library { get; }
    public Measurement? BestPeer { get; }

    public double? Ratio => Library is null || BestPeer is null ? null : BestPeer.MedianNs / Library.MedianNs;
    public string? Verdict => Ratio is double r ? Target.LayerEndToEnd.Verdict(r) : null;
    public string? NoAllocation => Library?.AllocatedBytes is long b ? Target.NoAllocation.VerdictAtMost(b, strictlyBelow: false) : null;
    public string Label => $"n={N} t={Threads}";

    public static List<LayerComparison> From(Results results) =>
        [.. results.Layers
            .GroupBy(l => (l.Case.N, l.Case.Threads))
            .OrderBy(g => g.Key.N).ThenBy(g => g.Key.Threads)
            .Select(g => new LayerComparison(g.Key.N, g.Key.Threads, g.ToDictionary(l => l.Case.Impl, l => l.M)))];
}
