using Attention.Kernels;
using Attention.Kernels.Tiled;
using Attention.Tests.TestSupport;

namespace Attention.Tests.Kernels;

/// <summary>
/// A tiled call shared by the kernel threads computes each work item exactly as one thread would, so its output equals
/// the one-thread output bit for bit: whichever thread runs an item, whether K (and V) were packed up front by the
/// caller or by each thread for the heads its items use (short calls, <see cref="HeadPanels{TW, TVec}"/>), call after
/// call (a thread's panels from an earlier call of another shape must never be taken for this call's).
/// </summary>
[Collection(SequentialCollection.Name)]
public class TiledThreadsTests
{
    /// <summary>Packed where used: 2 K/V heads, more than 64 keys (V is packed too, in a whole panel and a partial one), two query blocks per head.</summary>
    private static readonly AttentionShape Short = new(8, 200, 200, headDim: 40, valueDim: 100, kvHeads: 2);

    /// <summary>Packed up front: K and V panels past the per-thread limit.</summary>
    private static readonly AttentionShape Long = new(4, 130, 1100, headDim: 64, valueDim: 96, kvHeads: 2);

    /// <summary>Packed where used, another shape: 3 K/V heads, at most 64 keys (V read in place), an odd d_k.</summary>
    private static readonly AttentionShape Other = new(6, 150, 60, headDim: 33, valueDim: 48, kvHeads: 3);

    [Theory]
    [MemberData(nameof(Masks.AllKinds), MemberType = typeof(Masks))]
    public void SharedCallsEqualOneThreadBitForBit(MaskKind kind)
    {
        int threads = KernelThreads.HelperCount + 1;
        Assert.True(threads > 1, "this test needs at least two cores (or DOTNET_PROCESSOR_COUNT > 1)");
        Assert.True(TiledAttention.PacksWhereUsed(Short, threads) && TiledAttention.PacksWhereUsed(Other, threads));
        Assert.False(TiledAttention.PacksWhereUsed(Long, threads));

        var cases = new[] { Short, Long, Other }.Select((shape, i) =>
            new AttentionCase(shape, new AttentionOptions { Mask = Masks.Make(kind, shape, seed: 20 + i) }, seed: 30 + i, amplitude: 2f, name: $"[{shape}; {kind}]")).ToArray();
        var oneThread = cases.Select(c => Run(c, maxThreads: 1)).ToArray();

        long helped = KernelThreads.ItemsRunByHelpers;
        for (int round = 0; round < 4; round++)                   // the shapes in turn: each call finds another call's panels
            for (int i = 0; i < cases.Length; i++)
                AssertSharedEqualsOneThread(cases[i], oneThread[i], threads, $"round {round}");

        // Whether a helper takes part in a given call is up to the scheduler: a helper that is not running yet when the
        // caller has claimed every item runs none (on a busy CI machine, other test classes hold the other core). So
        // share the first case again until a helper has run an item, comparing every output, for up to 10 s.
        var retrying = System.Diagnostics.Stopwatch.StartNew();
        for (int retry = 0; KernelThreads.ItemsRunByHelpers == helped && retrying.Elapsed < TimeSpan.FromSeconds(10); retry++)
            AssertSharedEqualsOneThread(cases[0], oneThread[0], threads, $"retry {retry}");
        Assert.True(KernelThreads.ItemsRunByHelpers > helped, "no helper ran an item in 10 s of calls: the calls were not shared");
    }

    /// <summary>
    /// A thread's scratch keeps the running maxima of the last item it ran. A query block of 2 rows fills its step with
    /// copies of its last row, and a lagging softmax step decides for all of a step's rows at once: left over from
    /// the earlier call, huge maxima in the copies' places sent the real rows down the exact path, moderate ones let
    /// them lag, and the same call's output differed in the last bits with what the thread had run before.
    /// </summary>
    [Fact]
    public void OutputDoesNotDependOnWhatTheThreadRanBefore()
    {
        var call = new AttentionCase(new AttentionShape(2, 130, 600, headDim: 64, kvHeads: 1), seed: 41, amplitude: 0.5f, name: "2-row last block");
        var moderate = new AttentionCase(new AttentionShape(1, 128, 64, headDim: 64), seed: 42, amplitude: 0.5f);
        var huge = new AttentionCase(new AttentionShape(1, 128, 64, headDim: 64), seed: 43, amplitude: 1e4f);   // logits ~1e8

        float[] afterModerate = OnNewThread(moderate, call), afterHuge = OnNewThread(huge, call);
        int differs = FirstDifferentBits(afterModerate, afterHuge);
        Assert.True(differs < 0, $"{call.Name}: output[{differs}] is {(differs < 0 ? 0 : afterModerate[differs]):R} after a call with moderate logits, " +
                                 $"{(differs < 0 ? 0 : afterHuge[differs]):R} after one with huge logits, on the same thread");
    }

    /// <summary>Run <paramref name="before"/>, then <paramref name="call"/>, on one new thread (its own scratch); returns the second output.</summary>
    private static float[] OnNewThread(AttentionCase before, AttentionCase call)
    {
        float[] output = [];
        var thread = new Thread(() =>
        {
            Run(before, maxThreads: 1);
            output = Run(call, maxThreads: 1);
        });
        thread.Start();
        thread.Join();
        return output;
    }

    private static void AssertSharedEqualsOneThread(AttentionCase c, float[] expected, int threads, string when)
    {
        var shared = Run(c, threads);
        int differs = FirstDifferentBits(shared, expected);
        Assert.True(differs < 0, $"{c.Name}, {when}: output[{differs}] is {(differs < 0 ? 0 : shared[differs]):R} on {threads} threads, {(differs < 0 ? 0 : expected[differs]):R} on one");
    }

    /// <summary>The first index where the two outputs' bits differ, or -1.</summary>
    private static int FirstDifferentBits(float[] a, float[] b) =>
        Enumerable.Range(0, a.Length).FirstOrDefault(j => BitConverter.SingleToInt32Bits(a[j]) != BitConverter.SingleToInt32Bits(b[j]), -1);

    private static float[] Run(AttentionCase c, int maxThreads)
    {
        var output = new float[c.Shape.OutputElements];
        ScaledDotProductAttention.Forward(c.Q, c.K, c.V, output, c.Shape, c.Options with { Path = KernelPath.Tiled, MaxThreads = maxThreads });
        return output;
    }
}
