using Attention.Benchmarks.Cases;

namespace Attention.Benchmarks.Report;

/// <summary>
/// One layer shape (n, threads): the library's layer against the faster ONNX Runtime graph. The target is judged on the
/// layer with packed weights (ONNX Runtime packs its constant weights too); the live-weights ratio is shown beside it.
/// </summary>
public sealed class LayerComparison
{
    private LayerComparison(int n, int threads, Dictionary<LayerImpl, Measurement> byImpl, Results results)
    {
        (N, Threads, ByImpl) = (n, threads, byImpl);
        Flops = new LayerCase(LayerImpl.Library, n, threads).Flops;
        Live = byImpl.GetValueOrDefault(LayerImpl.Library);
        LibraryImpl = byImpl.ContainsKey(LayerImpl.LibraryPackedWeights) ? LayerImpl.LibraryPackedWeights : LayerImpl.Library;
        Library = byImpl.GetValueOrDefault(LibraryImpl);
        var peers = byImpl.Where(p => !new LayerCase(p.Key, n, threads).IsLibrary).ToList();
        if (peers.Count > 0)
        {
            var best = peers.MinBy(p => p.Value.MedianNs);
            (BestPeerImpl, BestPeer) = (best.Key, best.Value);
        }
        Paired = results.PairedLayers.GetValueOrDefault((n, threads));
    }

    public int N { get; }
    public int Threads { get; }
    public double Flops { get; }
    public IReadOnlyDictionary<LayerImpl, Measurement> ByImpl { get; }
    /// <summary>The library's layer as judged: packed weights if measured, else live.</summary>
    public Measurement? Library { get; }
    public LayerImpl LibraryImpl { get; }
    public LayerImpl? BestPeerImpl { get; }
    /// <summary>The judged ratio from alternating slices in one process (<see cref="PairedRatios"/>), where measured.</summary>
    public PairedResult? Paired { get; }
    /// <summary>The library's layer reading the live weight arrays.</summary>
    public Measurement? Live { get; }
    public Measurement? BestPeer { get; }

    public double? Ratio => Library is null || BestPeer is null ? null : BestPeer.MedianNs / Library.MedianNs;
    public double? LiveRatio => Live is null || BestPeer is null ? null : BestPeer.MedianNs / Live.MedianNs;
    public string? Verdict => Ratio is double r ? Target.LayerEndToEnd.Verdict(r) : null;
    public string? NoAllocation => Library?.AllocatedBytes is long b ? Target.NoAllocation.VerdictAtMost(b, strictlyBelow: false) : null;
    public string Label => $"n={N} t={Threads}";

    public static List<LayerComparison> From(Results results) =>
        [.. results.Layers
            .GroupBy(l => (l.Case.N, l.Case.Threads))
            .OrderBy(g => g.Key.N).ThenBy(g => g.Key.Threads)
            .Select(g => new LayerComparison(g.Key.N, g.Key.Threads, g.ToDictionary(l => l.Case.Impl, l => l.M), results))];
}
