using Attention.Tests.TestSupport;

namespace Attention.Tests.Layers;

public class KvCacheTests
{
    public static TheoryData<KernelPath, int, int, bool> Cases()
    {
        var cases = new TheoryData<KernelPath, int, int, bool>();
        foreach (KernelPath path in new[] { KernelPath.Reference, KernelPath.Simd, KernelPath.Tiled, KernelPath.Auto })
        {
            cases.Add(path, 4, 4, false);   // plain multi-head
            cases.Add(path, 4, 2, true);    // GQA with RoPE
            cases.Add(path, 4, 1, true);    // MQA with RoPE
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Token_by_token_decoding_equals_one_causal_pass(KernelPath path, int heads, int kvHeads, bool rope)
    {
        const int modelDim = 16, n = 20;
        var layer = new MultiHeadAttention(modelDim, heads, kvHeads: kvHeads, seed: 3) { Rope = rope ? new RotaryEmbedding(modelDim / heads) : null };
        float[] x = TestData.Uniform(n * modelDim, seed: 4);   // [n, d_model]
        var causal = new AttentionOptions { Path = path, Mask = AttentionMask.CausalMask() };

        var full = new float[n * modelDim];
        layer.Forward(x, n, full, causal);

        // Chunks of 1 token, then prefills and steps of other sizes, all through the cache.
        foreach (int[] chunks in new[] { Enumerable.Repeat(1, n).ToArray(), [7, 1, 1, 5, 6] })
        {
            var cache = layer.CreateCache(capacity: n);
            var decoded = new float[n * modelDim];
            int position = 0;
            foreach (int m in chunks)
            {
                float[] weights = path == KernelPath.Tiled ? [] : new float[heads * m * (position + m)];
                layer.ForwardCached(x.AsSpan(position * modelDim, m * modelDim), m, cache, decoded.AsSpan(position * modelDim, m * modelDim),
                    new AttentionOptions { Path = path }, weights);
                position += m;
                Assert.Equal(position, cache.Length);
                if (weights.Length > 0)
                    AssertWeightsAreCausalRowsOfTheFullPass(layer, x, position, m, weights);
            }
            string what = $"{path} heads={heads} kv={kvHeads} rope={rope} chunks=[{string.Join(",", chunks)}]";
            MhaOracle.AssertMatches(layer, x, n, x, n, causal, decoded, default, what + " decoded");
            MhaOracle.AssertMatches(layer, x, n, x, n, causal, full, default, what + " full pass");
        }
    }

    [Fact]
    public void Per_head_alibi_bias_through_the_cache_equals_one_causal_pass()
    {
        // GQA (4 query heads on 2 key/value heads): each kernel call covers one group, so the per-head bias must be cut per group.
        const int modelDim = 8, heads = 4, n = 9;
        var layer = new MultiHeadAttention(modelDim, heads, kvHeads: 2, seed: 8);
        float[] x = TestData.Uniform(n * modelDim, seed: 9);
        var cache = layer.CreateCache(capacity: n);
        var decoded = new float[n * modelDim];
        foreach ((int start, int m) in new[] { (0, 4), (4, 1), (5, 4) })
        {
            var step = new AttentionOptions { Mask = new AttentionMask { Bias = Alibi.Bias(heads, m, start + m) } };   // [heads, m, total]
            layer.ForwardCached(x.AsSpan(start * modelDim, m * modelDim), m, cache, decoded.AsSpan(start * modelDim, m * modelDim), step);
        }
        var wholeSequence = new AttentionOptions { Mask = Alibi.CausalMask(heads, n, n) };
        MhaOracle.AssertMatches(layer, x, n, x, n, wholeSequence, decoded, default, "ALiBi through the cache");
    }

    [Fact]
    public void Per_head_boolean_mask_through_the_cache_equals_one_causal_pass()
    {
        // GQA (4 query heads on 2 key/value heads): like the bias above, a per-head boolean mask [heads, m, total] must be
        // cut to each group's heads, 2g and 2g+1 for key/value head g.
        const int modelDim = 8, heads = 4, n = 9;
        var layer = new MultiHeadAttention(modelDim, heads, kvHeads: 2, seed: 10);
        float[] x = TestData.Uniform(n * modelDim, seed: 11);
        bool[] allowed = TestData.Booleans(heads * n * n, seed: 12);   // [heads, n, n] over the whole sequence
        var cache = layer.CreateCache(capacity: n);
        var decoded = new float[n * modelDim];
        foreach ((int start, int m) in new[] { (0, 4), (4, 1), (5, 4) })
        {
            int total = start + m;
            var step = new bool[heads * m * total];                      // rows start … total−1 of every head, keys 0 … total−1
            for (int h = 0; h < heads; h++)
                for (int t = 0; t < m; t++)
                    allowed.AsSpan((h * n + start + t) * n, total).CopyTo(step.AsSpan((h * m + t) * total));
            var options = new AttentionOptions { Mask = new AttentionMask { Allowed = step } };
            layer.ForwardCached(x.AsSpan(start * modelDim, m * modelDim), m, cache, decoded.AsSpan(start * modelDim, m * modelDim), options);
        }
        var wholeSequence = new AttentionOptions { Mask = new AttentionMask { Allowed = allowed, Causal = true } };
        MhaOracle.AssertMatches(layer, x, n, x, n, wholeSequence, decoded, default, "per-head boolean mask through the cache");
    }

    // The weights of the last m tokens (positions total−m … total−1) over keys 0 … total−1, against the oracle on the prefix.
    private static void AssertWeightsAreCausalRowsOfTheFullPass(MultiHeadAttention layer, float[] x, int total, int m, float[] weights)
    {
        float[] prefix = x.AsSpan(0, total * layer.ModelDim).ToArray();
        var causal = new AttentionOptions { Mask = AttentionMask.CausalMask() };
        var (_, expected64) = MhaOracle.Forward<double>(layer, prefix, total, prefix, total, causal);   // [heads, total, total]
        var (_, expected32) = MhaOracle.Forward<float>(layer, prefix, total, prefix, total, causal);
        var lastRows64 = new double[layer.Heads * m * total];
        var lastRows32 = new float[layer.Heads * m * total];
        for (int h = 0; h < layer.Heads; h++)
        {
            expected64.AsSpan((h * total + total - m) * total, m * total).CopyTo(lastRows64.AsSpan(h * m * total));
            expected32.AsSpan((h * total + total - m) * total, m * total).CopyTo(lastRows32.AsSpan(h * m * total));
        }
        double tolerance = Tolerance.Derived(Tolerance.MaxAbsError(lastRows32, lastRows64), lastRows64);
        Tolerance.AssertClose(weights, lastRows64, tolerance, $"cached weights at length {total}");
    }

    [Fact]
    public void Append_stores_each_head_at_the_next_positions()
    {
        var cache = new KvCache(kvHeads: 2, headDim: 2, capacity: 3);
        cache.Append([1, 1, 2, 2], [-1, -1, -2, -2], tokens: 1);             // [kvHeads 2, 1, 2]
        cache.Append([3, 3, 4, 4, 5, 5, 6, 6], [-3, -3, -4, -4, -5, -5, -6, -6], tokens: 2);
        Assert.Equal(3, cache.Length);
        Assert.Equal([1f, 1, 3, 3, 4, 4], cache.KeysOf(0).ToArray());
        Assert.Equal([2f, 2, 5, 5, 6, 6], cache.KeysOf(1).ToArray());
        Assert.Equal([-2f, -2, -5, -5, -6, -6], cache.ValuesOf(1).ToArray());
        cache.Clear();
        Assert.Equal(0, cache.Length);
        Assert.True(cache.KeysOf(0).IsEmpty);
    }

    [Fact]
    public void Exceeding_the_capacity_is_a_clear_error_that_changes_nothing()
    {
        var layer = new MultiHeadAttention(modelDim: 8, heads: 2, seed: 1);
        var cache = layer.CreateCache(capacity: 3);
        layer.ForwardCached(TestData.Uniform(2 * 8, seed: 2), 2, cache, new float[2 * 8]);
        float[] keysBefore = cache.Keys.ToArray();

        var error = Assert.ThrowsAny<ArgumentException>(() => layer.ForwardCached(TestData.Uniform(2 * 8, seed: 3), 2, cache, new float[2 * 8]));
        Assert.Contains("full", error.Message);
        Assert.Contains("2 of 3", error.Message);
        Assert.Equal(2, cache.Length);
        Assert.Equal(keysBefore, cache.Keys);

        var append = Assert.ThrowsAny<ArgumentException>(() => cache.Append(new float[2 * 2 * 4], new float[2 * 2 * 4], tokens: 2));
        Assert.Equal("tokens", append.ParamName);
    }

    [Fact]
    public void A_cache_of_other_head_sizes_is_rejected_by_name()
    {
        var layer = new MultiHeadAttention(modelDim: 8, heads: 2, seed: 1);
        var error = Assert.ThrowsAny<ArgumentException>(() => layer.ForwardCached(new float[8], 1, new KvCache(kvHeads: 1, headDim: 4, capacity: 4), new float[8]));
        Assert.Equal("cache", error.ParamName);
        Assert.Contains("kvHeads=1", error.Message);
        Assert.Throws<ArgumentNullException>(() => layer.ForwardCached(new float[8], 1, null!, new float[8]));
        Assert.Equal("capacity", Assert.ThrowsAny<ArgumentException>(() => new KvCache(1, 4, 0)).ParamName);
    }
}
