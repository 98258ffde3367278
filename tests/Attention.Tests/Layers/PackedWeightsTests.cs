using Attention.Tests.TestSupport;

namespace Attention.Tests.Layers;

/// <summary>
/// <see cref="MultiHeadAttention.PackWeights"/>: the packed copy gives bit-identical results on every entry point and
/// layer shape (heads narrower or wider than a 64-column panel, cross-attention, GQA, no biases), and it is a snapshot:
/// edits reach Forward only after packing again or unpacking.
/// </summary>
public class PackedWeightsTests
{
    public static TheoryData<int, int, int, int, bool> Layers() => new()
    {
        { 512, 8, 8, 512, true },     // the benchmark's layer: d_head 64, one panel per head
        { 96, 6, 2, 40, true },       // d_head 16 (four heads' worth of panels per 64 columns), GQA, cross width 40
        { 320, 2, 1, 320, false },    // d_head 160: two whole panels and a 32-column one per head; MQA; no biases
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Packed_and_live_weights_give_identical_results(int modelDim, int heads, int kvHeads, int contextDim, bool bias)
    {
        var live = new MultiHeadAttention(modelDim, heads, kvHeads, contextDim, bias, seed: 3);
        var packed = new MultiHeadAttention(modelDim, heads, kvHeads, contextDim, bias, seed: 3);
        packed.PackWeights();
        Assert.True(packed.WeightsArePacked);
        foreach (int n in new[] { 1, 7, 130 })
            foreach (int threads in new[] { 1, 4 })
            {
                var options = new AttentionOptions { MaxThreads = threads, Mask = AttentionMask.CausalMask() };
                float[] x = TestData.Uniform(n * modelDim, seed: n), context = TestData.Uniform((n + 3) * contextDim, seed: n + 1);
                float[] expected = new float[n * modelDim], actual = new float[n * modelDim];
                live.Forward(x, n, context, n + 3, expected, options);
                packed.Forward(x, n, context, n + 3, actual, options);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"cross-attention n={n} threads={threads}");

                if (contextDim != modelDim) continue;
                live.Forward(x, n, expected, options);
                packed.Forward(x, n, actual, options);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"self-attention n={n} threads={threads}");

                KvCache liveCache = live.CreateCache(2 * n), packedCache = packed.CreateCache(2 * n);
                live.ForwardCached(x, n, liveCache, expected, options);
                packed.ForwardCached(x, n, packedCache, actual, options);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"cached decoding n={n} threads={threads}");
            }
    }

    [Fact]
    public void Packed_weights_are_a_snapshot_until_packed_again_or_unpacked()
    {
        const int n = 9, dm = 64;
        var layer = new MultiHeadAttention(dm, heads: 4, seed: 8);
        float[] x = TestData.Uniform(n * dm, seed: 2);
        float[] before = new float[n * dm], output = new float[n * dm], live = new float[n * dm];
        layer.PackWeights();
        layer.Forward(x, n, before);

        layer.QueryWeight[5] += 1f;                       // an edit the snapshot does not have
        layer.OutputWeight[7] -= 1f;
        layer.Forward(x, n, output);
        Assert.True(before.AsSpan().SequenceEqual(output), "packed Forward saw an edit made after packing");

        layer.UnpackWeights();
        Assert.False(layer.WeightsArePacked);
        layer.Forward(x, n, live);
        Assert.False(before.AsSpan().SequenceEqual(live), "unpacked Forward did not see the edit");

        layer.PackWeights();
        layer.Forward(x, n, output);
        Assert.True(live.AsSpan().SequenceEqual(output), "packing again did not take the edit");
    }

    [Fact]
    public void Packing_again_while_packed_takes_the_edits()
    {
        // The documented way to publish an edit: "edits then need another PackWeights", with no UnpackWeights in between.
        const int n = 9, dm = 64;
        var layer = new MultiHeadAttention(dm, heads: 4, kvHeads: 2, seed: 9);
        float[] x = TestData.Uniform(n * dm, seed: 3);
        float[] stale = new float[n * dm], repacked = new float[n * dm], live = new float[n * dm];
        layer.PackWeights();
        layer.Forward(x, n, stale);

        layer.QueryWeight[5] += 1f;
        layer.KeyWeight[3] -= 1f;
        layer.ValueWeight[11] += 1f;
        layer.OutputWeight[7] -= 1f;
        layer.PackWeights();
        Assert.True(layer.WeightsArePacked);
        layer.Forward(x, n, repacked);
        Assert.False(stale.AsSpan().SequenceEqual(repacked), "packing again while packed kept the old snapshot");
        MhaOracle.AssertMatches(layer, x, n, x, n, null, repacked, default, "repacked");

        layer.UnpackWeights();
        layer.Forward(x, n, live);
        Assert.True(live.AsSpan().SequenceEqual(repacked), "the repacked weights and the live arrays give different results");
    }
}
