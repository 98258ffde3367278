namespace Attention.OracleTests.Reference;

/// <summary>
/// Scaled dot-product attention in float64 with plain loops, following the library's documented semantics
/// (<see cref="AttentionMask"/>): it checks the ONNX graphs (so the oracle is itself tested) and gives
/// every comparison an error-free yardstick.
/// </summary>
public static class Float64Attention
{
    /// <summary>Output [heads, n_q, d_v] in float64, from float32 inputs.</summary>
    public static double[] Forward(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, AttentionShape shape, AttentionOptions? options = null)
        => Forward(Widen(q), Widen(k), Widen(v), shape, options);

    /// <summary>Output [heads, n_q, d_v] in float64, from float64 inputs (the layer reference feeds its own projections).</summary>
    public static double[] Forward(ReadOnlySpan<double> q, ReadOnlySpan<double> k, ReadOnlySpan<double> v, AttentionShape shape, AttentionOptions? options = null)
    {
        options ??= AttentionOptions.Default;
        var mask = options.Mask;
        int nq = shape.QueryLength, nk = shape.KeyLength, dk = shape.HeadDim, dv = shape.ValueDim;
        double scale = options.Scale ?? 1.0 / Math.Sqrt(dk);
        int causalOffset = mask.CausalOffset ?? nk - nq;
        int realKeys = mask.KeyLength ?? nk;
        var allowed = mask.Allowed.Span;
        var bias = mask.Bias.Span;
        bool allowedPerHead = allowed.Length == shape.Heads * nq * nk && shape.Heads > 1;
        bool biasPerHead = bias.Length == shape.Heads * nq * nk && shape.Heads > 1;

        var output = new double[shape.OutputElements];
        var logits = new double[nk];
        var visible = new bool[nk];
        for (int h = 0; h < shape.Heads; h++)
        {
            int kvHead = h / shape.GroupSize;
            for (int i = 0; i < nq; i++)
            {
                var qRow = q.Slice((h * nq + i) * dk, dk);                   // [d_k]
                int maskRow = i * nk;
                int allowedRow = (allowedPerHead ? h * nq * nk : 0) + maskRow;
                int biasRow = (biasPerHead ? h * nq * nk : 0) + maskRow;
                double max = double.NegativeInfinity;
                for (int j = 0; j < nk; j++)
                {
                    var kRow = k.Slice((kvHead * nk + j) * dk, dk);          // [d_k]
                    double dot = 0;
                    for (int c = 0; c < dk; c++) dot += qRow[c] * kRow[c];
                    double logit = dot * scale + (bias.IsEmpty ? 0.0 : bias[biasRow + j]);
                    visible[j] = (!mask.Causal || j <= i + causalOffset) && j < realKeys
                        && (allowed.IsEmpty || allowed[allowedRow + j]) && !double.IsNegativeInfinity(logit);
                    logits[j] = logit;
                    if (visible[j]) max = Math.Max(max, logit);
                }
                if (double.IsNegativeInfinity(max)) continue; // fully masked row: zero output by definition

                double sum = 0;
                for (int j = 0; j < nk; j++)
                {
                    logits[j] = visible[j] ? Math.Exp(logits[j] - max) : 0.0;
                    sum += logits[j];
                }
                var row = output.AsSpan((h * nq + i) * dv, dv);
                for (int j = 0; j < nk; j++)
                {
                    if (logits[j] == 0.0) continue;
                    double weight = logits[j] / sum;
                    var vRow = v.Slice((kvHead * nk + j) * dv, dv);          // [d_v]
                    for (int c = 0; c < dv; c++) row[c] += weight * vRow[c];
                }
            }
        }
        return output;
    }

    private static double[] Widen(ReadOnlySpan<float> values)
    {
        var wide = new double[values.Length];
        for (int i = 0; i < values.Length; i++) wide[i] = values[i];
        return wide;
    }
}
