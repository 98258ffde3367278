using System.Diagnostics;

namespace Attention.Kernels;

/// <summary>One unit of parallel work: typically (head, block of query rows).</summary>
internal interface IWorkItems
{
    /// <param name="item">The item to run.</param>
    /// <param name="nextItem">
    /// The item this thread is expected to run next (the next of its share), or −1: a hint, for a work type that can
    /// bring the next item's data into the cache while it runs this one (a projection's next weight panel).
    /// </param>
    void Run(int item, int nextItem);
}

/// <summary>
/// Runs work items on the calling thread or spread over <see cref="KernelThreads"/>. Three sizes of call (measured on
/// the course's 2-core virtual machine):
/// <list type="bullet">
/// <item>under <see cref="SharingMinimumFlops"/> (about half a microsecond of work), or one thread allowed: a plain loop;</item>
/// <item>under <see cref="WakingMinimumFlops"/>: shared or not as <see cref="SharingPolicy"/> has measured to be faster
/// (on the VM that depends on where its vCPUs are placed); when shared, the helpers share the items if they are awake
/// (still polling after the previous loop), or if the previous call ended moments ago (a stream of calls, where one
/// wake-up serves them all): a lone small call never wakes a sleeping thread, which costs about 10 µs here, more than
/// the call itself;</item>
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
        if (maxThreads <= 1 || items <= 1 || flops < SharingMinimumFlops || KernelThreads.HelperCount == 0)
        {
            RunHere(work, items);
            return;
        }
        long start = Stopwatch.GetTimestamp();
        if (flops >= WakingMinimumFlops)
        {
            KernelThreads.Run(work, items, maxThreads, wakeSleeping: true);
            Volatile.Write(ref _lastCallEnd, Stopwatch.GetTimestamp());
            return;
        }

        var policy = SharingPolicy.For<TWork>();
        int sizeClass = SharingPolicy.ClassOf(flops);
        var choice = policy.Choose(sizeClass);
        int helped = 0;
        if (choice.Share)
        {
            bool inStream = start - Volatile.Read(ref _lastCallEnd) < StreamTicks;
            helped = KernelThreads.Run(work, items, maxThreads, wakeSleeping: inStream || choice.WakeHelper);
        }
        else
            RunHere(work, items);
        long end = Stopwatch.GetTimestamp();
        if (choice.Share) Volatile.Write(ref _lastCallEnd, end);
        // A call meant to be shared that no helper joined says nothing about either way.
        if (choice.Measure && (helped > 0 || !choice.Share))
            policy.Record(sizeClass, shared: helped > 0, (end - start) * NanosecondsPerTick, flops);
    }

    /// <summary>Every item on the calling thread, in order.</summary>
    public static void RunHere<TWork>(in TWork work, int items) where TWork : struct, IWorkItems
    {
        for (int item = 0; item < items; item++) work.Run(item, item + 1 < items ? item + 1 : -1);
    }

    /// <summary>Calls that start within this long of the previous one's end count as a stream (the helpers' polling window).</summary>
    private static readonly long StreamTicks = Stopwatch.Frequency * KernelThreads.SpinMicroseconds / 1_000_000;

    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    private static long _lastCallEnd = long.MinValue / 2;
}
