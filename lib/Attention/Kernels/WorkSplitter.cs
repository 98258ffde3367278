using System.Diagnostics;

namespace Attention.Kernels;

/// <summary>One unit of parallel work: typically (head, block of query rows).</summary>
internal interface IWorkItems
{
    void Run(int item);
}

/// <summary>
/// Runs work items on the calling thread or spread over <see cref="KernelThreads"/>. Three sizes of call (measured on
/// the course's 2-core virtual machine):
/// <list type="bullet">
/// <item>under <see cref="SharingMinimumFlops"/> (about half a microsecond of work), or one thread allowed: a plain loop;</item>
/// <item>under <see cref="WakingMinimumFlops"/>: helpers share the items if they are awake (still polling after the
/// previous loop), or if the previous call ended moments ago (a stream of calls, where one wake-up serves them all);
/// a lone small call never wakes a sleeping thread, which costs about 10 µs here, more than the call itself;</item>
/// <item>larger calls wake the helpers.</item>
/// </list>
/// </summary>
internal static class WorkSplitter
{
    /// <summary>Below this much arithmetic a call stays on the calling thread.</summary>
    public const double SharingMinimumFlops = 1e5;

    /// <summary>From this much arithmetic (about 10 µs of single-core work) a call wakes sleeping helpers.</summary>
    public const double WakingMinimumFlops = 2e6;

    /// <summary>Run items [0, items) with at most <paramref name="maxThreads"/> threads.</summary>
    public static void Run<TWork>(TWork work, int items, double flopsPerItem, int maxThreads) where TWork : struct, IWorkItems
    {
        double flops = items * flopsPerItem;
        if (maxThreads <= 1 || items <= 1 || flops < SharingMinimumFlops)
        {
            for (int item = 0; item < items; item++) work.Run(item);
            return;
        }
        bool inStream = Stopwatch.GetTimestamp() - Volatile.Read(ref _lastCallEnd) < StreamTicks;
        KernelThreads.Run(work, items, maxThreads, wakeSleeping: inStream || flops >= WakingMinimumFlops);
        Volatile.Write(ref _lastCallEnd, Stopwatch.GetTimestamp());
    }

    /// <summary>Calls that start within this long of the previous one's end count as a stream (the helpers' polling window).</summary>
    private static readonly long StreamTicks = Stopwatch.Frequency * KernelThreads.SpinMicroseconds / 1_000_000;

    private static long _lastCallEnd = long.MinValue / 2;
}
