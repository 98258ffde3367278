using System.Diagnostics;

namespace Attention.Benchmarks.Runners;

/// <summary>
/// The library and a peer timed in one process, alternately, a few milliseconds each: the ratio of each neighbouring
/// pair of slices, then the median of those ratios. On a shared virtual machine whole minutes can run 30–60 % slow
/// (a neighbour's load); BenchmarkDotNet measures one implementation after the other, a second or two each, so such a
/// phase can land on one side of a ratio only. Alternating slices put both sides in the same phase.
/// </summary>
public static class PairedRatio
{
    /// <summary>Shortest slice: long enough for the timer, short enough to alternate many times within one phase.</summary>
    private static readonly TimeSpan SliceLength = TimeSpan.FromMilliseconds(3);

    /// <summary>
    /// Peer's time / library's time (&gt; 1: the library is faster) as the median over pairs of slices, alternating
    /// which side goes first, for about <paramref name="budget"/> (at least 5 pairs).
    /// </summary>
    public static (double Ratio, int Pairs, double LibraryMs, double PeerMs) Measure(IBenchRunner library, IBenchRunner peer, TimeSpan budget)
    {
        for (int i = 0; i < 3; i++) { library.Run(); peer.Run(); }                   // warm: JIT, pools, sessions
        var longerCall = TimeSpan.FromTicks(Math.Max(Time(library, 1).Ticks, Time(peer, 1).Ticks));
        int calls = (int)Math.Clamp(Math.Ceiling(SliceLength / longerCall), 1, 1000);
        var ratios = new List<double>();
        var libraryMs = new List<double>();
        var peerMs = new List<double>();
        var total = Stopwatch.StartNew();
        for (int pair = 0; pair < 5 || total.Elapsed < budget; pair++)
        {
            // Whichever side runs second may find the caches warmer or the phase changed: take turns.
            bool libraryFirst = pair % 2 == 0;
            TimeSpan first = Time(libraryFirst ? library : peer, calls), second = Time(libraryFirst ? peer : library, calls);
            var (libraryTime, peerTime) = libraryFirst ? (first, second) : (second, first);
            ratios.Add(peerTime / libraryTime);
            libraryMs.Add(libraryTime.TotalMilliseconds / calls);
            peerMs.Add(peerTime.TotalMilliseconds / calls);
        }
        return (Median(ratios), ratios.Count, Median(libraryMs), Median(peerMs));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static TimeSpan Time(IBenchRunner runner, int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++) runner.Run();
        return Stopwatch.GetElapsedTime(start);
    }
}
