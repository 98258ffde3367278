namespace Attention.Benchmarks;

/// <summary>
/// The run mode, read by every benchmark class when BenchmarkDotNet asks for its parameters. The suite runs in
/// process (see <see cref="BenchConfig"/>), so what <see cref="Program"/> sets here is what the classes see.
/// A class that wants a smaller set in the smoke run checks <see cref="Quick"/> in its [ParamsSource].
/// </summary>
public static class BenchSettings
{
    /// <summary>True for <c>--quick</c>: a representative subset, short iterations (the CI smoke run).</summary>
    public static bool Quick { get; set; }

    /// <summary>"all threads": every core of the machine.</summary>
    public static int AllThreads => Environment.ProcessorCount;

    /// <summary>Thread counts measured: one, and all cores (just one entry on a one-core machine).</summary>
    public static int[] ThreadCounts => AllThreads > 1 ? [1, AllThreads] : [1];
}
