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
    /// <summary>Shortest slice on one thread: long enough for the timer, short enough to alternate many times within one phase.</summary>
    private static readonly TimeSpan SliceLength = TimeSpan.FromMilliseconds(3);

    /// <summary>Shortest slice on more threads: each is preceded by a quiet gap and untimed calls, so fewer and longer.</summary>
    private static readonly TimeSpan ThreadedSliceLength = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// The quiet gap before each slice on more threads, the calling thread spinning. After a call both sides' worker
    /// threads keep spinning for the next one: the library's for 100 µs, ONNX Runtime's for about 50 ms (measured on
    /// the course VM: a second core busy 40–50 ms after its last call, idle after that). A slice that starts inside the other side's spin would run
    /// against it on the same cores (n = 4096 on two threads came out 0.99 paired that way against 1.29).
    /// </summary>
    public static readonly TimeSpan QuietGap = TimeSpan.FromMilliseconds(100);

    /// <summary>Untimed calls after the quiet gap, at least one: they wake the side's workers and bring its data back to the caches.</summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Peer's time / library's time (&gt; 1: the library is faster) as the median over pairs of slices, alternating
    /// which side goes first, for about <paramref name="budget"/> of timed work (at least 5 pairs). With
    /// <paramref name="threaded"/> every slice starts after <see cref="QuietGap"/> with untimed calls
    /// (<see cref="WarmUp"/>), which wake its side's worker threads: the calls that are timed then run back to back,
    /// as under BenchmarkDotNet.
    /// </summary>
    public static (double Ratio, int Pairs, double LibraryMs, double PeerMs) Measure(IBenchRunner library, IBenchRunner peer, TimeSpan budget, bool threaded = false)
    {
        for (int i = 0; i < 3; i++) { library.Run(); peer.Run(); }                   // warm: JIT, pools, sessions
        var longerCall = TimeSpan.FromTicks(Math.Max(Time(library, 1, false).Ticks, Time(peer, 1, false).Ticks));
        int calls = (int)Math.Clamp(Math.Ceiling((threaded ? ThreadedSliceLength : SliceLength) / longerCall), 1, 1000);
        var ratios = new List<double>();
        var libraryMs = new List<double>();
        var peerMs = new List<double>();
        var timed = TimeSpan.Zero;
        for (int pair = 0; pair < 5 || timed < budget; pair++)
        {
            // Whichever side runs second may find the caches warmer or the phase changed: take turns.
            bool libraryFirst = pair % 2 == 0;
            TimeSpan first = Time(libraryFirst ? library : peer, calls, threaded), second = Time(libraryFirst ? peer : library, calls, threaded);
            var (libraryTime, peerTime) = libraryFirst ? (first, second) : (second, first);
            ratios.Add(peerTime / libraryTime);
            libraryMs.Add(libraryTime.TotalMilliseconds / calls);
            peerMs.Add(peerTime.TotalMilliseconds / calls);
            timed += first + second;
        }
        return (Median(ratios), ratios.Count, Median(libraryMs), Median(peerMs));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static TimeSpan Time(IBenchRunner runner, int calls, bool threaded)
    {
        if (threaded)
        {
            // The calling thread spins through the gap: when it slept, both sides' calls ran 20–35 % slower for a whole
            // slice afterwards (a 1 ms layer call at n = 128: 1.23–1.52 ms against BenchmarkDotNet's 1.0–1.13).
            for (long gap = Stopwatch.GetTimestamp(); Stopwatch.GetElapsedTime(gap) < QuietGap;) Thread.SpinWait(100);
            long warm = Stopwatch.GetTimestamp();
            do runner.Run();                                                       // wakes this side's workers; not timed
            while (Stopwatch.GetElapsedTime(warm) < WarmUp);
        }
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++) runner.Run();
        return Stopwatch.GetElapsedTime(start);
    }
}
