using Attention.Tests.TestSupport;

namespace Attention.Tests.Kernels;

/// <summary>
/// The fast paths keep their scratch memory across calls (pooled packed keys, thread-local tiles, the kernel threads'
/// reusable jobs), so once warm a call allocates nothing on the calling thread: no garbage for the collector, no fresh
/// pages to touch.
/// </summary>
[Collection(SequentialCollection.Name)]
public class SteadyStateAllocationTests
{
    public static TheoryData<KernelPath, int, bool, int> Calls()
    {
        var data = new TheoryData<KernelPath, int, bool, int>();
        foreach (var path in new[] { KernelPath.Tiled, KernelPath.Simd, KernelPath.Auto })
            foreach (int n in new[] { 16, 130 })
                foreach (bool causal in new[] { false, true })
                    foreach (int threads in new[] { 1, 4 })   // 130 rows with 4 threads is above the parallel threshold
                        data.Add(path, n, causal, threads);
        return data;
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public void WarmCallAllocatesNothing(KernelPath path, int n, bool causal, int threads)
    {
        var shape = new AttentionShape(8, n, n, 64, kvHeads: 2);
        var c = new AttentionCase(shape, seed: n);
        var output = new float[shape.OutputElements];
        var options = new AttentionOptions { Path = path, MaxThreads = threads, Mask = causal ? AttentionMask.CausalMask() : AttentionMask.None };
        for (int i = 0; i < 3; i++) ScaledDotProductAttention.Forward(c.Q, c.K, c.V, output, shape, options);   // warm: JIT, pools

        Assert.Equal(0, Allocations.FewestBytes(() => ScaledDotProductAttention.Forward(c.Q, c.K, c.V, output, shape, options)));
        // Also the first call after a full collection (Enum.IsDefined in the argument checks once allocated 248 B there).
        Assert.Equal(0, Allocations.FewestBytesAfterFullCollections(() => ScaledDotProductAttention.Forward(c.Q, c.K, c.V, output, shape, options)));
        Assert.All(output, x => Assert.True(float.IsFinite(x)));   // the call did run
    }
}
