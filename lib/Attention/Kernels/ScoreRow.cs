using Attention.Kernels.Simd;

namespace Attention.Kernels;

/// <summary>
/// The steps every fast path applies to a row (or a piece of a row) of raw dot products q·k, and the weighted sum
/// of value rows after the softmax; shared so that the SIMD and tiled paths mask and skip keys identically.
/// </summary>
internal static class ScoreRow
{
    /// <summary>
    /// scores[j] = scores[j] · scale + bias[j], then -inf where bias is -inf or allowed[j] is false.
    /// <paramref name="bias"/> and <paramref name="allowed"/> cover the same keys as <paramref name="scores"/>, or are empty.
    /// </summary>
    public static void ScaleAndMask(Span<float> scores, ReadOnlySpan<float> bias, ReadOnlySpan<bool> allowed, float scale)
    {
        if (bias.IsEmpty) VectorDriver.Map(scores, scores, new ScaleOperator(scale));
        else VectorDriver.Zip(scores, bias, scores, new ScaleAddBiasOperator(scale));
        if (allowed.IsEmpty) return;
        for (int j = 0; j < scores.Length; j++)
            if (!allowed[j]) scores[j] = float.NegativeInfinity;
    }

    /// <summary>
    /// accumulator += Σ_j probs[j] · v_j over the keys whose score is not -inf (masked value rows are never read).
    /// </summary>
    /// <param name="scores">[keys] scores after masking; -inf marks a masked key.</param>
    /// <param name="probs">[keys] their weights (or unnormalised exponentials).</param>
    /// <param name="values">[keys, d_v] the value rows of these keys.</param>
    /// <param name="accumulator">[d_v].</param>
    public static void AddWeightedValues(ReadOnlySpan<float> scores, ReadOnlySpan<float> probs, ReadOnlySpan<float> values, Span<float> accumulator)
    {
        int dV = accumulator.Length;
        for (int j = 0; j < scores.Length; j++)
        {
            if (scores[j] == float.NegativeInfinity) continue;
            VectorDriver.Axpy(probs[j], values.Slice(j * dV, dV), accumulator);   // [d_v] += p_j · v_j
        }
    }
}
