using Attention.Tests.TestSupport;

namespace Attention.Tests.Layers;

public class MultiHeadAttentionTests
{
    public static TheoryData<KernelPath> Paths => new() { KernelPath.Reference, KernelPath.Simd, KernelPath.Tiled, KernelPath.Auto };

    // Weights are asked for except on Tiled, whose weights come from an extra Simd pass (tested separately).
    private static float[] WeightsFor(KernelPath path, int length) => path == KernelPath.Tiled ? [] : new float[length];

    [Theory]
    [MemberData(nameof(Paths))]
    public void Self_attention_matches_float64_with_and_without_causal_mask(KernelPath path)
    {
        var layer = new MultiHeadAttention(modelDim: 12, heads: 3, seed: 1);
        foreach (int n in new[] { 1, 5, 37 })
            foreach (bool causal in new[] { false, true })
            {
                float[] x = TestData.Uniform(n * 12, seed: n);
                var options = new AttentionOptions { Path = path, Mask = causal ? AttentionMask.CausalMask() : AttentionMask.None };
                var output = new float[n * 12];
                float[] weights = WeightsFor(path, 3 * n * n);
                layer.Forward(x, n, output, options, weights);
                MhaOracle.AssertMatches(layer, x, n, x, n, options, output, weights, $"{path} n={n} causal={causal}");
            }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Cross_attention_with_other_lengths_and_context_width_matches_float64(KernelPath path)
    {
        var layer = new MultiHeadAttention(modelDim: 8, heads: 2, contextDim: 10, seed: 2);
        float[] x = TestData.Uniform(4 * 8, seed: 3);          // [n_q = 4, d_model = 8]
        float[] context = TestData.Uniform(7 * 10, seed: 4);   // [n_k = 7, d_ctx = 10]
        var options = new AttentionOptions { Path = path };
        var output = new float[4 * 8];
        float[] weights = WeightsFor(path, 2 * 4 * 7);
        layer.Forward(x, 4, context, 7, output, options, weights);
        MhaOracle.AssertMatches(layer, x, 4, context, 7, options, output, weights, $"{path} cross");
    }

    /// <summary>
    /// A context with the same length and width as x (n_k = n_q, d_ctx = d_model): keys and values must still come from
    /// the context, not from x. The other cross-attention tests use shapes under which the two could not be confused.
    /// </summary>
    [Theory]
    [MemberData(nameof(Paths))]
    public void Cross_attention_to_a_context_shaped_like_x_reads_the_context(KernelPath path)
    {
        var layer = new MultiHeadAttention(modelDim: 8, heads: 2, seed: 30);
        int n = 5;
        float[] x = TestData.Uniform(n * 8, seed: 31), context = TestData.Uniform(n * 8, seed: 32);
        var options = new AttentionOptions { Path = path };
        var output = new float[n * 8];
        float[] weights = WeightsFor(path, 2 * n * n);
        layer.Forward(x, n, context, n, output, options, weights);
        MhaOracle.AssertMatches(layer, x, n, context, n, options, output, weights, $"{path} cross, same shapes");

        var batchOutput = new float[n * 8];
        layer.ForwardBatch(x, 1, n, context, n, [], batchOutput, options);
        MhaOracle.AssertMatches(layer, x, n, context, n, options, batchOutput, default, $"{path} batch cross, same shapes");
    }

    [Theory]
    [InlineData(8, 4, 2)]   // GQA: two query heads per key/value head
    [InlineData(8, 4, 1)]   // MQA: one key/value head for all
    [InlineData(12, 6, 3)]
    public void Grouped_and_multi_query_attention_match_float64(int modelDim, int heads, int kvHeads)
    {
        var layer = new MultiHeadAttention(modelDim, heads, kvHeads: kvHeads, seed: 5);
        Assert.Equal(kvHeads * (modelDim / heads), layer.KvDim);
        Assert.Equal(modelDim * layer.KvDim, layer.KeyWeight.Length);
        foreach (KernelPath path in new[] { KernelPath.Reference, KernelPath.Simd, KernelPath.Tiled })
        {
            int n = 6;
            float[] x = TestData.Uniform(n * modelDim, seed: 6);
            var options = new AttentionOptions { Path = path, Mask = AttentionMask.CausalMask() };
            var output = new float[n * modelDim];
            float[] weights = WeightsFor(path, heads * n * n);
            layer.Forward(x, n, output, options, weights);
            MhaOracle.AssertMatches(layer, x, n, x, n, options, output, weights, $"{path} heads={heads} kv={kvHeads}");
        }
    }

    [Fact]
    public void Boolean_bias_and_padding_masks_match_float64()
    {
        var layer = new MultiHeadAttention(modelDim: 8, heads: 2, seed: 7);
        int n = 6;
        float[] x = TestData.Uniform(n * 8, seed: 8);
        var masks = new[]
        {
            new AttentionMask { Allowed = TestData.Booleans(2 * n * n, seed: 9) },                     // per head, some rows fully masked
            new AttentionMask { Allowed = TestData.Booleans(n * n, seed: 10), Causal = true },         // shared
            new AttentionMask { Bias = Alibi.Bias(2, n, n), Causal = true },                          // ALiBi
            new AttentionMask { KeyLength = 4, Bias = TestData.Uniform(n * n, seed: 11, amplitude: 3) },
        };
        foreach (var mask in masks)
            foreach (KernelPath path in new[] { KernelPath.Reference, KernelPath.Simd, KernelPath.Tiled })
            {
                var options = new AttentionOptions { Path = path, Mask = mask };
                var output = new float[n * 8];
                float[] weights = WeightsFor(path, 2 * n * n);
                layer.Forward(x, n, output, options, weights);
                MhaOracle.AssertMatches(layer, x, n, x, n, options, output, weights, $"{path} mask {mask}");
            }
    }

    [Fact]
    public void Rope_on_queries_and_keys_matches_float64()
    {
        var layer = new MultiHeadAttention(modelDim: 16, heads: 2, kvHeads: 1, seed: 12) { Rope = new RotaryEmbedding(8) };
        int n = 9;
        float[] x = TestData.Uniform(n * 16, seed: 13);
        var options = new AttentionOptions { Mask = AttentionMask.CausalMask() };
        var output = new float[n * 16];
        var weights = new float[2 * n * n];
        layer.Forward(x, n, output, options, weights);
        MhaOracle.AssertMatches(layer, x, n, x, n, options, output, weights, "rope");
    }

    [Fact]
    public void Tiled_path_with_weights_gives_the_weights_of_the_simd_path()
    {
        var layer = new MultiHeadAttention(modelDim: 8, heads: 2, seed: 14);
        float[] x = TestData.Uniform(5 * 8, seed: 15);
        var tiledOutput = new float[5 * 8];
        var tiledWeights = new float[2 * 5 * 5];
        var simdOutput = new float[5 * 8];
        var simdWeights = new float[2 * 5 * 5];
        layer.Forward(x, 5, tiledOutput, new AttentionOptions { Path = KernelPath.Tiled }, tiledWeights);
        layer.Forward(x, 5, simdOutput, new AttentionOptions { Path = KernelPath.Simd }, simdWeights);
        Assert.Equal(simdWeights, tiledWeights);
        MhaOracle.AssertMatches(layer, x, 5, x, 5, null, tiledOutput, tiledWeights, "tiled with weights");
    }

    [Fact]
    public void Batch_with_padding_matches_each_sequence_alone()
    {
        var layer = new MultiHeadAttention(modelDim: 8, heads: 2, seed: 16);
        int batch = 3, n = 5;
        int[] lengths = [5, 3, 1];
        float[] x = TestData.Uniform(batch * n * 8, seed: 17);   // [batch, n, d_model]
        foreach (bool causal in new[] { false, true })
        {
            var options = new AttentionOptions { Mask = causal ? AttentionMask.CausalMask() : AttentionMask.None };
            var output = new float[batch * n * 8];
            var weights = new float[batch * 2 * n * n];
            layer.ForwardBatch(x, batch, n, lengths, output, options, weights);
            for (int b = 0; b < batch; b++)
            {
                float[] sequence = x.AsSpan(b * n * 8, n * 8).ToArray();
                var padded = options with { Mask = options.Mask with { KeyLength = lengths[b] } };
                MhaOracle.AssertMatches(layer, sequence, n, sequence, n, padded,
                    output.AsSpan(b * n * 8, n * 8), weights.AsSpan(b * 2 * n * n, 2 * n * n), $"batch {b} causal={causal}");

                // The real rows equal a pass over the real tokens alone.
                int real = lengths[b];
                float[] alone = sequence.AsSpan(0, real * 8).ToArray();
                var aloneOutput = new float[real * 8];
                layer.Forward(alone, real, aloneOutput, options);
                MhaOracle.AssertMatches(layer, alone, real, alone, real, options,
                    output.AsSpan(b * n * 8, real * 8), default, $"batch {b} real rows causal={causal}");
                MhaOracle.AssertMatches(layer, alone, real, alone, real, options, aloneOutput, default, $"sequence {b} alone");
            }
        }
    }

    [Fact]
    public void Batch_padding_combines_with_a_key_length_in_the_options_and_the_shorter_wins()
    {
        // The options already limit every sequence to 3 keys; the sequences have 5, 2 and 4 real tokens: 3, 2 and 3 keys count.
        var layer = new MultiHeadAttention(modelDim: 8, heads: 2, seed: 33);
        int batch = 3, n = 5;
        int[] lengths = [5, 2, 4];
        float[] x = TestData.Uniform(batch * n * 8, seed: 34);
        foreach (bool causal in new[] { false, true })
        {
            var options = new AttentionOptions { Mask = new AttentionMask { KeyLength = 3, Causal = causal } };
            var output = new float[batch * n * 8];
            var weights = new float[batch * 2 * n * n];
            layer.ForwardBatch(x, batch, n, lengths, output, options, weights);
            for (int b = 0; b < batch; b++)
            {
                float[] sequence = x.AsSpan(b * n * 8, n * 8).ToArray();
                var expected = options with { Mask = options.Mask with { KeyLength = Math.Min(3, lengths[b]) } };
                MhaOracle.AssertMatches(layer, sequence, n, sequence, n, expected,
                    output.AsSpan(b * n * 8, n * 8), weights.AsSpan(b * 2 * n * n, 2 * n * n), $"batch {b} causal={causal}");
            }
        }
    }

    /// <summary>
    /// All four projections with non-zero biases (the layer starts them at zero, which hides a bias that is never added).
    /// b_K shifts each query's logits by the same q·b_K for every key, which softmax cancels; b_V adds to every output
    /// row through the weights that sum to 1; b_Q and b_O change the logits and the output directly.
    /// </summary>
    [Fact]
    public void Non_zero_biases_of_all_four_projections_match_float64()
    {
        var layer = new MultiHeadAttention(modelDim: 8, heads: 4, kvHeads: 2, contextDim: 6, seed: 35);
        float[]?[] biases = [layer.QueryBias, layer.KeyBias, layer.ValueBias, layer.OutputBias];
        for (int i = 0; i < biases.Length; i++)
            TestData.Uniform(biases[i]!.Length, seed: 36 + i, amplitude: 0.5f).CopyTo(biases[i]!, 0);
        float[] x = TestData.Uniform(4 * 8, seed: 40), context = TestData.Uniform(7 * 6, seed: 41);
        foreach (KernelPath path in new[] { KernelPath.Reference, KernelPath.Simd, KernelPath.Tiled })
        {
            var options = new AttentionOptions { Path = path, Mask = AttentionMask.Padding(5) };
            var output = new float[4 * 8];
            float[] weights = WeightsFor(path, 4 * 4 * 7);
            layer.Forward(x, 4, context, 7, output, options, weights);
            MhaOracle.AssertMatches(layer, x, 4, context, 7, options, output, weights, $"{path} biased cross");
        }

        var self = new MultiHeadAttention(modelDim: 8, heads: 2, seed: 42);
        TestData.Uniform(8, seed: 43, amplitude: 0.5f).CopyTo(self.ValueBias!, 0);   // only b_V: its whole effect is on the output
        float[] sequence = TestData.Uniform(6 * 8, seed: 44);
        var causal = new AttentionOptions { Mask = AttentionMask.CausalMask() };
        var selfOutput = new float[6 * 8];
        self.Forward(sequence, 6, selfOutput, causal);
        MhaOracle.AssertMatches(self, sequence, 6, sequence, 6, causal, selfOutput, default, "self with b_V");
        var cache = self.CreateCache(6);
        var decoded = new float[6 * 8];
        self.ForwardCached(sequence.AsSpan(0, 4 * 8), 4, cache, decoded.AsSpan(0, 4 * 8));
        self.ForwardCached(sequence.AsSpan(4 * 8), 2, cache, decoded.AsSpan(4 * 8));
        MhaOracle.AssertMatches(self, sequence, 6, sequence, 6, causal, decoded, default, "cached with b_V");
    }

    [Fact]
    public void Batch_cross_attention_masks_padding_of_each_context()
    {
        var layer = new MultiHeadAttention(modelDim: 4, heads: 2, contextDim: 6, seed: 18);
        int batch = 2, nQ = 3, nK = 4;
        int[] lengths = [2, 0];   // the second context is all padding
        float[] x = TestData.Uniform(batch * nQ * 4, seed: 19);
        float[] context = TestData.Uniform(batch * nK * 6, seed: 20);
        var output = new float[batch * nQ * 4];
        layer.ForwardBatch(x, batch, nQ, context, nK, lengths, output);
        for (int b = 0; b < batch; b++)
        {
            var padded = new AttentionOptions { Mask = AttentionMask.Padding(lengths[b]) };
            MhaOracle.AssertMatches(layer, x.AsSpan(b * nQ * 4, nQ * 4).ToArray(), nQ, context.AsSpan(b * nK * 6, nK * 6).ToArray(), nK,
                padded, output.AsSpan(b * nQ * 4, nQ * 4), default, $"cross batch {b}");
        }
    }

    [Fact]
    public void Empty_context_gives_the_output_bias_and_empty_queries_give_nothing()
    {
        var layer = new MultiHeadAttention(modelDim: 4, heads: 2, seed: 21);
        layer.OutputBias!.AsSpan().Fill(0.25f);
        var output = new float[2 * 4];
        layer.Forward(TestData.Uniform(2 * 4, seed: 22), 2, [], 0, output);
        Assert.All(output, value => Assert.Equal(0.25f, value));

        layer.Forward([], 0, Span<float>.Empty);   // n = 0: nothing to compute, no exception
    }

    /// <summary>
    /// Layer-sized: 64-wide heads (one projection panel per head), more than one 128-row block, GQA; the projections
    /// write and read the per-head layout directly, in parallel.
    /// </summary>
    [Fact]
    public void Layer_sized_projections_match_float64()
    {
        foreach (var (kvHeads, n, threads) in new[] { (2, 150, 4), (1, 131, 1) })
        {
            var layer = new MultiHeadAttention(modelDim: 128, heads: 2, kvHeads: kvHeads, seed: 4);
            for (int i = 0; i < layer.QueryBias!.Length; i++) layer.QueryBias[i] = 0.01f * i;   // non-zero biases
            for (int i = 0; i < layer.OutputBias!.Length; i++) layer.OutputBias[i] = -0.02f * i;
            float[] x = TestData.Uniform(n * 128, seed: n);
            var options = new AttentionOptions { MaxThreads = threads, Mask = AttentionMask.CausalMask() };
            var output = new float[n * 128];
            layer.Forward(x, n, output, options);
            MhaOracle.AssertMatches(layer, x, n, x, n, options, output, [], $"kvHeads={kvHeads} n={n} threads={threads}");
        }
    }

    [Fact]
    public void Parameter_count_counts_weights_and_biases()
    {
        // d_model 16, 4 heads (d_head 4), 2 kv heads (kv width 8), context width 10.
        var layer = new MultiHeadAttention(modelDim: 16, heads: 4, kvHeads: 2, contextDim: 10, seed: 0);
        Assert.Equal(16 * 16 + 10 * 8 + 10 * 8 + 16 * 16 + (16 + 8 + 8 + 16), layer.ParameterCount);
        var noBias = new MultiHeadAttention(modelDim: 16, heads: 4, bias: false);
        Assert.Equal(4 * 16 * 16, noBias.ParameterCount);
        Assert.Null(noBias.QueryBias);
    }
}
