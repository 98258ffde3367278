namespace Attention.Tests.TestSupport;

/// <summary>What a warm call allocates on the calling thread.</summary>
public static class Allocations
{
    /// <summary>
    /// The fewest bytes any of <paramref name="trials"/> calls allocated on this thread. A call that allocates does so
    /// every time, while the runtime now and then allocates on the thread for itself (tiered compilation installing a
    /// method's next tier), which one measured call alone would blame on the code under test.
    /// </summary>
    public static long FewestBytes(Action call, int trials = 5)
    {
        long fewest = long.MaxValue;
        for (int trial = 0; trial < trials; trial++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            call();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
