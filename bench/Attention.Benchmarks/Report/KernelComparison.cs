using Attention.Benchmarks.Cases;

namespace Attention.Benchmarks.Report;

/// <summary>
/// One shape (n, d, causal, threads) with every implementation measured on it: the library's path that Auto picks,
/// the fastest ONNX Runtime peer, their ratio and the verdict of each target that applies (null where it does not).
/// </summary>
public sealed class KernelComparison
{
    private KernelComparison(int n, int d, bool causal, int threads, Dictionary<KernelImpl, Measurement> byImpl, Results results)
    {
        (N, D, Causal, Threads, ByImpl) = (n, d, causal, threads, byImpl);
        var shape = new AttentionShape(KernelCase.Heads, n, n, d, kvHeads: KernelCase.KvHeads);
        var options = new AttentionOptions { Mask = causal ? AttentionMask.CausalMask() : AttentionMask.None };
        LibraryImpl = ScaledDotProductAttention.ChoosePath(shape, options) == KernelPath.Simd ? KernelImpl.Simd : KernelImpl.Tiled;
        Flops = new KernelCase(LibraryImpl, n, d, causal, threads).Flops;

        Library = byImpl.GetValueOrDefault(LibraryImpl);
        var peers = byImpl.Where(p => !new KernelCase(p.Key, n, d, causal, threads).IsLibrary).ToList();
        if (peers.Count > 0)
        {
            var best = peers.MinBy(p => p.Value.MedianNs);
            (BestPeerImpl, BestPeer) = (best.Key, best.Value);
        }
        PeakGflops = results.PeakGflops(threads);
        Paired = results.Paired.GetValueOrDefault((n, d, causal, threads));
        PairedFractionOfPeak = results.PairedPeak.GetValueOrDefault((n, d, causal, threads))?.Ratio;
    }

    public int N { get; }
    public int D { get; }
    public bool Causal { get; }
    public int Threads { get; }
    public double Flops { get; }
    public IReadOnlyDictionary<KernelImpl, Measurement> ByImpl { get; }

    /// <summary>The path <see cref="KernelPath.Auto"/> runs for this shape (Simd for tiny calls, Tiled otherwise).</summary>
    public KernelImpl LibraryImpl { get; }
    public Measurement? Library { get; }
    public KernelImpl? BestPeerImpl { get; }
    public Measurement? BestPeer { get; }
    public double? PeakGflops { get; }

    /// <summary>The same ratio from alternating slices in one process (<see cref="PairedRatios"/>), where measured.</summary>
    public PairedResult? Paired { get; }

    /// <summary>The library's share of the one-core FMA peak from slices alternating with the probe, where measured.</summary>
    public double? PairedFractionOfPeak { get; }

    public double? LibraryGflops => Library?.Gflops(Flops);

    /// <summary>Best peer's time / library's time (> 1: the library is faster).</summary>
    public double? Ratio => Library is null || BestPeer is null ? null : BestPeer.MedianNs / Library.MedianNs;

    public double? FractionOfPeak => LibraryGflops is double g && PeakGflops is double p ? g / p : null;

    /// <summary>The best peer's share of the FMA peak at this thread count.</summary>
    public double? BestPeerFractionOfPeak => BestPeer is not null && PeakGflops is double p ? BestPeer.Gflops(Flops) / p : null;

    /// <summary>
    /// The share of the FMA peak the library would need to meet <paramref name="target"/>'s ratio on this row: above
    /// about 90 % no kernel that also computes a softmax can get there (the exponentials alone take ~5 % of the
    /// multiply-add slots at d = 64).
    /// </summary>
    public double? NeededFractionOfPeak(Target target) => BestPeerFractionOfPeak * target.Required;

    /// <summary>The ratio target that applies to this row, if any (n ≤ 64, or n ≥ 256: 2× when causal, 1.1× otherwise).</summary>
    public Target? RatioTarget => N <= 64 ? Target.SmallCalls : N >= 256 ? (Causal ? Target.CausalSkips : Target.BeatsPeers) : null;

    public string? BeatsPeers => N >= 256 && Ratio is double r ? Target.BeatsPeers.Verdict(r) : null;
    public string? CausalSkips => Causal && N >= 256 && Ratio is double r ? Target.CausalSkips.Verdict(r) : null;
    public string? NearPeak => IsNearPeakRow && FractionOfPeak is double f ? Target.NearPeak.Verdict(f) : null;
    private bool IsNearPeakRow => N == 4096 && D == 64 && !Causal && Threads == 1;

    /// <summary>The row's ratio target judged on the paired figure instead of the medians (null where not paired).</summary>
    public bool? MeetsByPairing(Target target) => (target == Target.NearPeak ? PairedFractionOfPeak : Paired?.Ratio) is double v ? v >= target.Required : null;
    public string? SmallCalls => N <= 64 && Ratio is double r ? Target.SmallCalls.Verdict(r) : null;
    public string? NoAllocation => Library?.AllocatedBytes is long b ? Target.NoAllocation.VerdictAtMost(b, strictlyBelow: false) : null;

    public static List<KernelComparison> From(Results results) =>
        [.. results.Kernels
            .GroupBy(k => (k.Case.N, k.Case.D, k.Case.Causal, k.Case.Threads))
            .OrderBy(g => g.Key.N).ThenBy(g => g.Key.D).ThenBy(g => g.Key.Causal).ThenBy(g => g.Key.Threads)
            .Select(g => new KernelComparison(g.Key.N, g.Key.D, g.Key.Causal, g.Key.Threads,
                g.ToDictionary(k => k.Case.Impl, k => k.M), results))];
}
