using Attention.Benchmarks.Cases;
using Attention.Benchmarks.Runners;

namespace Attention.Benchmarks.Report;

/// <summary>One row's ratio measured by <see cref="PairedRatio"/>: the library against the row's best peer.</summary>
public sealed record PairedResult(string Peer, double Ratio, int Pairs);

/// <summary>
/// After BenchmarkDotNet: every kernel row with n ≤ <see cref="MaxLength"/>, and every layer row, whose library path and
/// best peer were both measured is measured again as a <see cref="PairedRatio"/>, in this process; rows on more threads
/// with a quiet gap before each slice (<see cref="PairedRatio.QuietGap"/>: each side's worker threads spin for a while
/// after a call). The one-thread rows at n = <see cref="MaxLength"/> are also paired with the one-core FMA probe
/// (<see cref="FmaProbeRunner"/>): their share of the peak from slices in the same phase. The targets are still judged
/// on BenchmarkDotNet's medians; the paired figures say how much of a row's verdict the machine's slow phases can explain.
/// </summary>
public static class PairedRatios
{
    /// <summary>Longest sequence paired (n = 16384 takes seconds a call: too few slices in a reasonable time).</summary>
    public const int MaxLength = 4096;

    public static void Measure(Results results, bool quick, TextWriter log)
    {
        foreach (var k in KernelComparison.From(results))
        {
            bool withPeer = k.BestPeer is not null && k.BestPeerImpl is not null, withPeak = k.N == MaxLength && k.Threads == 1;
            if (k.Library is null || k.N > MaxLength || !(withPeer || withPeak)) continue;   // nothing to pair this row with
            var libraryCase = new KernelCase(k.LibraryImpl, k.N, k.D, k.Causal, k.Threads);
            var inputs = new KernelInputs(libraryCase);
            using var library = new LibraryKernelRunner(libraryCase, inputs);
            string row = $"n={k.N} d={k.D} {(k.Causal ? "causal" : "full")} t={k.Threads}";
            if (k.BestPeer is Measurement bestPeer && k.BestPeerImpl is KernelImpl peerImpl)
            {
                using var peer = new OnnxKernelRunner(libraryCase with { Impl = peerImpl }, inputs, check: false);
                results.Paired[(k.N, k.D, k.Causal, k.Threads)] = Pair(library, peer, k.Library, bestPeer, peerImpl.ToString(), k.Threads > 1, quick, log,
                    $"{row}: {peerImpl} / {k.LibraryImpl}");
            }
            if (withPeak)
                results.PairedPeak[(k.N, k.D, k.Causal, k.Threads)] = PairWithPeak(library, k.Flops, k.Library, quick, log, $"{row}: {k.LibraryImpl}");
        }
        foreach (var l in LayerComparison.From(results))
        {
            if (l.Library is null || l.BestPeer is null || l.BestPeerImpl is not LayerImpl peerImpl) continue;
            var libraryCase = new LayerCase(l.LibraryImpl, l.N, l.Threads);
            var inputs = new LayerInputs(libraryCase);
            using var library = new LibraryLayerRunner(libraryCase, inputs);
            using var peer = new OnnxLayerRunner(libraryCase with { Impl = peerImpl }, inputs);
            results.PairedLayers[(l.N, l.Threads)] = Pair(library, peer, l.Library, l.BestPeer, peerImpl.ToString(), l.Threads > 1, quick, log,
                $"layer n={l.N} t={l.Threads}: {peerImpl} / {l.LibraryImpl}");
        }
    }

    /// <summary>One row's paired ratio, logged beside BenchmarkDotNet's.</summary>
    private static PairedResult Pair(IBenchRunner library, IBenchRunner peer, Measurement measuredLibrary, Measurement measuredPeer,
        string peerName, bool threaded, bool quick, TextWriter log, string row)
    {
        var budget = Budget(measuredLibrary.MedianNs + measuredPeer.MedianNs, quick);
        var (ratio, pairs, libraryMs, peerMs) = PairedRatio.Measure(library, peer, budget, threaded);
        log.WriteLine($"Paired {row} = {ratio:F2} ({pairs} pairs, medians {peerMs:G4} / {libraryMs:G4} ms; " +
                      $"BenchmarkDotNet's {measuredPeer.MedianMs:G4} / {measuredLibrary.MedianMs:G4} ms = {measuredPeer.MedianNs / measuredLibrary.MedianNs:F2})");
        return new PairedResult(peerName, ratio, pairs);
    }

    /// <summary>The library's share of the one-core FMA peak, from slices alternating with the probe.</summary>
    private static PairedResult PairWithPeak(IBenchRunner library, double flops, Measurement measuredLibrary, bool quick, TextWriter log, string row)
    {
        using var probe = new FmaProbeRunner(TimeSpan.FromMilliseconds(measuredLibrary.MedianMs));
        var (ratio, pairs, libraryMs, probeMs) = PairedRatio.Measure(library, probe, Budget(2 * measuredLibrary.MedianNs, quick));
        // ratio = probe's time / library's time per call, so the library's GFLOP/s over the probe's is ratio · flops / probe flops.
        double fraction = ratio * flops / probe.Flops;
        log.WriteLine($"Paired {row} against the {probe.Width} FMA probe = {fraction * 100:F1} % of the peak ({pairs} pairs, medians " +
                      $"{flops / libraryMs / 1e6:F1} / {probe.Flops / probeMs / 1e6:F1} GFLOP/s)");
        return new PairedResult($"FMA probe {probe.Width}", fraction, pairs);
    }

    /// <summary>About 20 pairs of calls, from 1.5 s of timed work (many slices of small calls) to 10 s (n = 4096: a few hundred ms a call).</summary>
    private static TimeSpan Budget(double pairNs, bool quick) => TimeSpan.FromSeconds(quick ? 0.3 : Math.Clamp(20 * pairNs / 1e9, 1.5, 10));
}
