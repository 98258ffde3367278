using System.Diagnostics;

namespace Attention.Benchmarks.Peak;

/// <summary>
/// How far apart two cores are: the time for a cache line to go from one thread to another and back (each thread
/// waits for the other's write, then writes). On the course's VM the two vCPUs are sometimes placed close (~115 ns)
/// and sometimes far apart (~450 ns), for seconds at a time, and a two-thread call of a few microseconds is only worth
/// sharing in the first case; the report states the placement at the start and the end of the run.
/// </summary>
public static class CoreToCore
{
    /// <summary>Median round trip in nanoseconds over a few short samples, or null on a one-core machine.</summary>
    public static double? RoundTripNanoseconds(int samples = 5, int roundsPerSample = 2000)
    {
        if (Environment.ProcessorCount < 2) return null;
        var times = new double[samples];
        for (int s = 0; s < samples; s++) times[s] = Sample(roundsPerSample);
        Array.Sort(times);
        return times[samples / 2];
    }

    private static double Sample(int rounds)
    {
        var line = new long[32];                          // the counter at [8]: its own cache line, whatever the array's start
        var partner = new Thread(() =>
        {
            for (long i = 1; i <= rounds; i++)
            {
                while (Volatile.Read(ref line[8]) != 2 * i - 1) { }   // no pause: it would be part of what is measured
                Volatile.Write(ref line[8], 2 * i);
            }
        }) { IsBackground = true };
        partner.Start();
        while (!partner.IsAlive) Thread.Yield();
        Volatile.Write(ref line[8], 1);                   // the first round also waits for the partner to be running
        while (Volatile.Read(ref line[8]) != 2) Thread.SpinWait(1);
        long start = Stopwatch.GetTimestamp();
        for (long i = 2; i <= rounds; i++)
        {
            Volatile.Write(ref line[8], 2 * i - 1);
            while (Volatile.Read(ref line[8]) != 2 * i) { }
        }
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        partner.Join();
        return seconds * 1e9 / (rounds - 1);
    }

    /// <summary>"115 ns (close)" or "450 ns (far apart)": above 250 ns counts as far apart.</summary>
    public static string Describe(double? nanoseconds) => nanoseconds switch
    {
        null => "one core",
        double ns => $"{ns:F0} ns ({(ns > 250 ? "far apart" : "close")})",
    };
}
