using System.Collections.Concurrent;
using Attention.Benchmarks.Runners;

namespace Attention.Benchmarks.Benchmarks;

/// <summary>
/// Bytes a warm call allocates on the calling thread (GC.GetAllocatedBytesForCurrentThread around one call after the
/// benchmark's own runs), per case: the steady-state figure the targets ask for. BenchmarkDotNet's MemoryDiagnoser
/// counts the whole process instead, which includes whatever else runs meanwhile (tiered JIT, ONNX Runtime's threads).
/// </summary>
public static class AllocationLog
{
    private static readonly ConcurrentDictionary<object, long> BytesPerCall = new();

    /// <summary>
    /// Run two more calls of a warm runner and record what the second allocated on this thread (the first warms this
    /// thread's own pools: BenchmarkDotNet may run the cleanup on another thread than the benchmark).
    /// </summary>
    public static void Measure(object benchmarkCase, IBenchRunner runner)
    {
        runner.Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        runner.Run();
        long after = GC.GetAllocatedBytesForCurrentThread();
        // Not `BytesPerCall[c] = GC.Get…() − before`: C# loads the indexer's receiver first, so in the process's first
        // measurement this class's static constructor (the dictionary, 512 bytes) ran inside the measured span, and
        // the first case of every run showed 512 bytes that the call never allocated.
        BytesPerCall[benchmarkCase] = after - before;
    }

    public static long? Get(object? benchmarkCase) =>
        benchmarkCase is not null && BytesPerCall.TryGetValue(benchmarkCase, out long bytes) ? bytes : null;
}
