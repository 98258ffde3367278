namespace Attention.OracleTests.Reference;

/// <summary>
/// The multi-head attention layer in float64 (projections, head split, <see cref="Float64Attention"/>, merge,
/// output projection), reading a library layer's public weights: checks the ONNX layer graph.
/// </summary>
public static class Float64MultiHeadLayer
{
    /// <summary>y [n_q, d_model] for queries x [n_q, d_model] and context [n_k, d_ctx] (pass x again for self-attention).</summary>
    public static double[] Forward(MultiHeadAttention layer, ReadOnlySpan<float> x, int queryLength, ReadOnlySpan<float> context, int contextLength, AttentionOptions? options = null)
    {
        int d = layer.HeadDim;
        var q = Project(x, queryLength, layer.ModelDim, layer.QueryWeight, layer.QueryBias, layer.Heads * d);        // [n_q, heads·d_head]
        var k = Project(context, contextLength, layer.ContextDim, layer.KeyWeight, layer.KeyBias, layer.KvDim);     // [n_k, kvHeads·d_head]
        var v = Project(context, contextLength, layer.ContextDim, layer.ValueWeight, layer.ValueBias, layer.KvDim); // [n_k, kvHeads·d_head]

        var shape = new AttentionShape(layer.Heads, queryLength, contextLength, d, kvHeads: layer.KvHeads);
        var heads = Float64Attention.Forward(
            SplitHeads(q, queryLength, layer.Heads, d), SplitHeads(k, contextLength, layer.KvHeads, d), SplitHeads(v, contextLength, layer.KvHeads, d),
            shape, options);                                                                                          // [heads, n_q, d_head]

        var merged = new double[queryLength * layer.Heads * d];                                                       // [n_q, heads·d_head]
        for (int h = 0; h < layer.Heads; h++)
            for (int t = 0; t < queryLength; t++)
                for (int c = 0; c < d; c++)
                    merged[(t * layer.Heads + h) * d + c] = heads[(h * queryLength + t) * d + c];
        return Project(merged, queryLength, layer.Heads * d, layer.OutputWeight, layer.OutputBias, layer.ModelDim); // [n_q, d_model]
    }

    private static double[] Project(ReadOnlySpan<float> input, int rows, int inDim, float[] weight, float[]? bias, int outDim)
    {
        var wide = new double[input.Length];
        for (int i = 0; i < input.Length; i++) wide[i] = input[i];
        return Project(wide, rows, inDim, weight, bias, outDim);
    }

    /// <summary>input [rows, in] · weight [in, out] + bias [out].</summary>
    private static double[] Project(ReadOnlySpan<double> input, int rows, int inDim, float[] weight, float[]? bias, int outDim)
    {
        var result = new double[rows * outDim];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outDim; o++)
            {
                double sum = bias is null ? 0.0 : bias[o];
                for (int i = 0; i < inDim; i++) sum += input[r * inDim + i] * weight[i * outDim + o];
                result[r * outDim + o] = sum;
            }
        return result;
    }

    /// <summary>[n, heads·d] → [heads, n, d].</summary>
    private static double[] SplitHeads(double[] rows, int length, int heads, int d)
    {
        var split = new double[rows.Length];
        for (int h = 0; h < heads; h++)
            for (int t = 0; t < length; t++)
                for (int c = 0; c < d; c++)
                    split[(h * length + t) * d + c] = rows[(t * heads + h) * d + c];
        return split;
    }
}
