using Attention.Kernels.Simd;

namespace Attention.Kernels.Tiled;

/// <summary>
/// The online softmax of one query row, fed one block of keys at a time (Milakov and Gimelshein 2018; FlashAttention).
/// It keeps the running maximum m, the running sum l = Σ exp(s_j - m) and the unnormalised output
/// acc = Σ exp(s_j - m) · v_j. When a block raises the maximum from m to m', everything so far was measured against
/// the old m, so l and acc are multiplied by exp(m - m'). At the end output = acc / l, exactly softmax(s) · V.
/// </summary>
internal static class OnlineSoftmax
{
    /// <summary>Fold one block into the running state.</summary>
    /// <param name="scores">[keys] scaled, biased, masked scores of this block (-inf = masked).</param>
    /// <param name="probs">[keys] scratch for exp(s - m).</param>
    /// <param name="values">[keys, d_v] the value rows of this block.</param>
    /// <param name="max">Running maximum m (starts at -inf).</param>
    /// <param name="sum">Running sum l (starts at 0).</param>
    /// <param name="accumulator">[d_v] running acc (starts at 0).</param>
    public static void AddBlock(ReadOnlySpan<float> scores, Span<float> probs, ReadOnlySpan<float> values,
        ref float max, ref float sum, Span<float> accumulator)
    {
        float blockMax = VectorDriver.Aggregate(scores, new IdentityOperator(), new MaxAggregate());
        if (blockMax == float.NegativeInfinity) return;           // every key of this block is masked for this row

        float newMax = MathF.Max(max, blockMax);                  // NaN stays NaN: the row is then undefined
        if (!newMax.Equals(max))
        {
            float rescale = VectorMath.Exp<ScalarWidth, float>(max - newMax);           // 0 on the first block (max = -inf)
            sum *= rescale;
            VectorDriver.Map(accumulator, accumulator, new ScaleOperator(rescale));
            max = newMax;
        }
        sum += VectorDriver.MapAggregate(scores, probs, new ExpOfShiftedOperator(max, 1f), new SumAggregate());
        ScoreRow.AddWeightedValues(scores, probs, values, accumulator);
    }

    /// <summary>output = acc / l; a row that saw no unmasked key (l = 0) gets zeros.</summary>
    public static void Finish(float sum, ReadOnlySpan<float> accumulator, Span<float> output)
    {
        if (sum == 0f) { output.Clear(); return; }
        VectorDriver.Map(accumulator, output, new ScaleOperator(1f / sum));
    }
}
