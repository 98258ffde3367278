using System.Runtime.Intrinsics;
using Attention.Benchmarks.Peak;

namespace Attention.Benchmarks.Cases;

/// <summary>Vector width of the FMA probe.</summary>
public enum FmaWidth { Vector512, Vector256 }

/// <summary>One FMA-throughput measurement: a width, run on this many threads at once (each thread a full probe).</summary>
public sealed record PeakCase(FmaWidth Width, int Threads) : IComparable
{
    public double Flops => Threads * (Width == FmaWidth.Vector512 ? FmaProbe.Flops512 : FmaProbe.Flops256);

    public override string ToString() => $"FMA {Width} t={Threads}";

    public int CompareTo(object? other) => other is PeakCase o
        ? (Width, Threads).CompareTo((o.Width, o.Threads))
        : string.CompareOrdinal(ToString(), other?.ToString());

    /// <summary>Every accelerated width on 1 and all threads (a width the JIT does not accelerate would measure emulation).</summary>
    public static IEnumerable<PeakCase> Cases()
    {
        foreach (var width in Enum.GetValues<FmaWidth>())
            if (width == FmaWidth.Vector512 ? Vector512.IsHardwareAccelerated : Vector256.IsHardwareAccelerated)
                foreach (int threads in BenchSettings.ThreadCounts)
                    yield return new PeakCase(width, threads);
    }
}
