using Attention.Kernels;
using Attention.Tests.TestSupport;

namespace Attention.Tests.Kernels;

/// <summary>
/// The kernels' thread pool: every item of a loop runs exactly once whoever runs it, a helper that wakes after its
/// loop is over does nothing (it must not run a later loop's items twice or signal the wrong loop), a failure in any
/// item reaches the caller, and callers on several threads at once each get all their items run.
/// </summary>
[Collection(SequentialCollection.Name)]
public class KernelThreadsTests
{
    /// <summary>Counts how often each item ran; optionally throws on one item.</summary>
    private readonly struct CountingItems(int[] runs, int throwOn = -1) : IWorkItems
    {
        public void Run(int item, int nextItem)
        {
            Interlocked.Increment(ref runs[item]);
            if (item == throwOn) throw new InvalidOperationException($"item {item} failed");
            Thread.SpinWait(200);   // long enough for a helper to take some of the items
        }
    }

    /// <summary>Records each item's next-item hint.</summary>
    private readonly struct HintRecordingItems(int[] hints) : IWorkItems
    {
        public void Run(int item, int nextItem)
        {
            hints[item] = nextItem;
            Thread.SpinWait(200);
        }
    }

    /// <summary>
    /// The hint a projection prefetches by: on one thread each item's next is the one after it (the last has none);
    /// shared, it is -1 or a later item of the loop, never the item itself.
    /// </summary>
    [Fact]
    public void NextItemHintsAreLaterItemsOfTheLoop()
    {
        var hints = new int[13];
        WorkSplitter.RunHere(new HintRecordingItems(hints), 13);
        Assert.Equal([.. Enumerable.Range(1, 12), -1], hints);

        for (int loop = 0; loop < 100; loop++)
        {
            int items = 2 + loop % 30;
            hints = new int[items];
            KernelThreads.Run(new HintRecordingItems(hints), items, threads: 4);
            for (int item = 0; item < items; item++)
                Assert.True(hints[item] == -1 || (hints[item] > item && hints[item] < items),
                    $"loop {loop}: item {item} of {items} has the hint {hints[item]}");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EveryItemRunsExactlyOnceAcrossManyLoops(bool wakeSleeping)
    {
        var random = new Random(7);
        for (int loop = 0; loop < 300; loop++)
        {
            int items = random.Next(1, 40);
            var runs = new int[items];
            KernelThreads.Run(new CountingItems(runs), items, threads: 4, wakeSleeping);
            Assert.All(runs, (count, item) => Assert.True(count == 1, $"loop {loop}: item {item} of {items} ran {count} times"));
            if (loop % 50 == 0) Thread.Sleep(2);   // helpers fall asleep: the next loop may start before they wake
        }
    }

    /// <summary>
    /// CI runs the suite once with DOTNET_PROCESSOR_COUNT=4 on its 2-core machine, so that the loops above deal their items
    /// into 4 shares; this proves the setting took effect (one helper per processor but the caller's).
    /// </summary>
    [Fact]
    public void OneHelperPerProcessorButTheCaller()
    {
        Assert.Equal(Environment.ProcessorCount - 1, KernelThreads.HelperCount);
        if (Environment.GetEnvironmentVariable("DOTNET_PROCESSOR_COUNT") is { } declared)
            Assert.Equal(int.Parse(declared) - 1, KernelThreads.HelperCount);
    }

    [Fact]
    public void LateHelpersDoNotDisturbLaterLoops()
    {
        // Short loops right after a sleep: the caller usually claims every item before the helper is awake, closes the
        // loop, and starts the next one while that helper is still waking up.
        for (int loop = 0; loop < 200; loop++)
        {
            if (loop % 10 == 0) Thread.Sleep(1);
            var runs = new int[3];
            KernelThreads.Run(new CountingItems(runs), 3, threads: 4);
            Assert.Equal([1, 1, 1], runs);
        }
    }

    [Fact]
    public void AFailingItemThrowsToTheCallerAndTheNextLoopStillWorks()
    {
        for (int throwOn = 0; throwOn < 32; throwOn += 5)
        {
            var runs = new int[32];
            var error = Assert.Throws<InvalidOperationException>(() => KernelThreads.Run(new CountingItems(runs, throwOn), 32, threads: 4));
            Assert.Equal($"item {throwOn} failed", error.Message);

            var after = new int[32];
            KernelThreads.Run(new CountingItems(after), 32, threads: 4);
            Assert.All(after, count => Assert.Equal(1, count));
        }
    }

    [Fact]
    public void CallersOnSeveralThreadsEachGetAllTheirItems()
    {
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var callers = Enumerable.Range(0, 4).Select(caller => new Thread(() =>
        {
            for (int loop = 0; loop < 100; loop++)
            {
                var runs = new int[17];
                KernelThreads.Run(new CountingItems(runs), runs.Length, threads: 4);
                if (runs.Any(count => count != 1)) failures.Add($"caller {caller}, loop {loop}: [{string.Join(", ", runs)}]");
            }
        })).ToArray();
        foreach (var thread in callers) thread.Start();
        foreach (var thread in callers) thread.Join();
        Assert.Empty(failures);
    }
}
