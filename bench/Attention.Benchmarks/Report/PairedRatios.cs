using Attention.Benchmarks.Cases;
using Attention.Benchmarks.Runners;

namespace Attention.Benchmarks.Report;

/// <summary>One row's ratio measured by <see cref="PairedRatio"/>: the library against the row's best peer.</summary>
public sealed record PairedResult(string Peer, double Ratio, int Pairs);

/// <summary>
/// After BenchmarkDotNet: every one-thread kernel row with n ≤ <see cref="MaxLength"/>, and every one-thread layer row,
/// whose library path and best peer were both measured is measured again as a <see cref="PairedRatio"/>, in this process. The targets are still judged
/// on BenchmarkDotNet's medians; the paired ratio says how much of a row's verdict the machine's slow phases can explain.
/// Rows on more threads are not paired: both sides' worker threads keep spinning for a while after a call (the
/// library's for 100 µs, ONNX Runtime's longer), so alternating slices would run each side against the other's
/// spinning threads on the same cores (tried: n = 4096 on two threads came out 0.99 paired against 1.29).
/// </summary>
public static class PairedRatios
{
    /// <summary>Longest sequence paired (n = 16384 takes seconds a call: too few slices in a reasonable time).</summary>
    public const int MaxLength = 4096;

    public static void Measure(Results results, bool quick, TextWriter log)
    {
        foreach (var k in KernelComparison.From(results))
        {
            if (k.Library is null || k.BestPeer is null || k.BestPeerImpl is not KernelImpl peerImpl || k.N > MaxLength || k.Threads != 1) continue;
            var libraryCase = new KernelCase(k.LibraryImpl, k.N, k.D, k.Causal, k.Threads);
            var inputs = new KernelInputs(libraryCase);
            using var library = new LibraryKernelRunner(libraryCase, inputs);
            using var peer = new OnnxKernelRunner(libraryCase with { Impl = peerImpl }, inputs, check: false);
            results.Paired[(k.N, k.D, k.Causal, k.Threads)] = Pair(library, peer, k.Library, k.BestPeer, peerImpl.ToString(), quick, log,
                $"n={k.N} d={k.D} {(k.Causal ? "causal" : "full")} t={k.Threads}: {peerImpl} / {k.LibraryImpl}");
        }
        foreach (var l in LayerComparison.From(results))
        {
            if (l.Library is null || l.BestPeer is null || l.BestPeerImpl is not LayerImpl peerImpl || l.Threads != 1) continue;
            var libraryCase = new LayerCase(l.LibraryImpl, l.N, l.Threads);
            var inputs = new LayerInputs(libraryCase);
            using var library = new LibraryLayerRunner(libraryCase, inputs);
            using var peer = new OnnxLayerRunner(libraryCase with { Impl = peerImpl }, inputs);
            results.PairedLayers[(l.N, l.Threads)] = Pair(library, peer, l.Library, l.BestPeer, peerImpl.ToString(), quick, log,
                $"layer n={l.N} t={l.Threads}: {peerImpl} / {l.LibraryImpl}");
        }
    }

    /// <summary>One row's paired ratio, logged beside BenchmarkDotNet's.</summary>
    private static PairedResult Pair(IBenchRunner library, IBenchRunner peer, Measurement measuredLibrary, Measurement measuredPeer,
        string peerName, bool quick, TextWriter log, string row)
    {
        // About 20 pairs of calls, from 1.5 s (many slices of small calls) to 10 s (n = 4096: a few hundred ms a call).
        double pairSeconds = (measuredLibrary.MedianNs + measuredPeer.MedianNs) / 1e9;
        var budget = TimeSpan.FromSeconds(quick ? 0.3 : Math.Clamp(20 * pairSeconds, 1.5, 10));
        var (ratio, pairs, libraryMs, peerMs) = PairedRatio.Measure(library, peer, budget);
        log.WriteLine($"Paired {row} = {ratio:F2} ({pairs} pairs, medians {peerMs:G4} / {libraryMs:G4} ms; " +
                      $"BenchmarkDotNet's {measuredPeer.MedianMs:G4} / {measuredLibrary.MedianMs:G4} ms = {measuredPeer.MedianNs / measuredLibrary.MedianNs:F2})");
        return new PairedResult(peerName, ratio, pairs);
    }
}
