namespace Attention.Tests.TestSupport;

/// <summary>What a warm call allocates on the calling thread.</summary>
public static class Allocations
{
    /// <summary>
    /// The fewest bytes any of <paramref name="trials"/> calls allocated on this thread. A call that allocates does so
    /// every time, while the runtime now and then allocates on the thread for itself (tiered compilation installing a
    /// method's next tier), which one measured call alone would blame on the code under test.
    /// </summary>
    public static long FewestBytes(Action call, int trials = 5) => Fewest(call, trials, collectFirst: false);

    /// <summary>
    /// <see cref="FewestBytes"/> with a full, compacting garbage collection before each call: what the runtime keeps
    /// only weakly (reflection caches, for one) is gone then, and a call that rebuilds it allocates after every
    /// collection, which back-to-back calls never show.
    /// </summary>
    public static long FewestBytesAfterFullCollections(Action call, int trials = 3) => Fewest(call, trials, collectFirst: true);

    private static long Fewest(Action call, int trials, bool collectFirst)
    {
        long fewest = long.MaxValue;
        for (int trial = 0; trial < trials; trial++)
        {
            if (collectFirst)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
            call();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
