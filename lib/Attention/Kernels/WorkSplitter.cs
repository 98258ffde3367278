namespace Attention.Kernels;

/// <summary>One unit of parallel work: typically (head, block of query rows).</summary>
internal interface IWorkItems
{
    void Run(int item);
}

/// <summary>
/// Runs work items on the calling thread or spread over <see cref="KernelThreads"/>. Waking a helper costs some
/// microseconds here, so small calls (under <see cref="ParallelMinimumFlops"/> in total) and single-thread calls use a
/// plain loop.
/// </summary>
internal static class WorkSplitter
{
    /// <summary>Below this much arithmetic a call stays on one thread (about 10 µs of single-core work).</summary>
    public const double ParallelMinimumFlops = 2e6;

    /// <summary>Run items [0, items) with at most <paramref name="maxThreads"/> threads.</summary>
    public static void Run<TWork>(TWork work, int items, double flopsPerItem, int maxThreads) where TWork : struct, IWorkItems
    {
        if (maxThreads <= 1 || items <= 1 || items * flopsPerItem < ParallelMinimumFlops)
        {
            for (int item = 0; item < items; item++) work.Run(item);
            return;
        }
        KernelThreads.Run(work, items, maxThreads);
    }
}
