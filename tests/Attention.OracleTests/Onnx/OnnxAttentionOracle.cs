using Attention.OracleTests.Support;

namespace Attention.OracleTests.Onnx;

/// <summary>
/// Runs the attention graphs through ONNX Runtime on the library's head-major tensors
/// (q [heads, n_q, d_k], k [kvHeads, n_k, d_k], v [kvHeads, n_k, d_v]) and returns output [heads, n_q, d_v],
/// converting to and from the ops' layouts.
/// </summary>
public static class OnnxAttentionOracle
{
    /// <summary>The standard <c>Attention</c> op. <paramref name="mask"/> is bool (Boolean) or float (Additive), shaped as <see cref="StandardAttentionGraph.MaskDims"/>.</summary>
    public static float[] Run(StandardAttentionGraph graph, float[] q, float[] k, float[] v, Array? mask = null)
    {
        var shape = graph.Shape;
        bool tokenMajor = graph.Layout == OnnxAttentionLayout.TokenMajor;
        var inputs = new List<OnnxInput>
        {
            OnnxInput.Of("Q", tokenMajor ? HeadLayout.ToTokenMajor(q, shape.Heads, shape.QueryLength, shape.HeadDim) : q, graph.QueryDims),
            OnnxInput.Of("K", tokenMajor ? HeadLayout.ToTokenMajor(k, shape.KvHeads, shape.KeyLength, shape.HeadDim) : k, graph.KeyDims),
            OnnxInput.Of("V", tokenMajor ? HeadLayout.ToTokenMajor(v, shape.KvHeads, shape.KeyLength, shape.ValueDim) : v, graph.ValueDims),
        };
        switch (graph.Mask, mask)
        {
            case (OnnxMaskInput.None, null): break;
            case (OnnxMaskInput.Boolean, bool[] allowed): inputs.Add(OnnxInput.Of("attn_mask", allowed, graph.MaskDims)); break;
            case (OnnxMaskInput.Additive, float[] bias): inputs.Add(OnnxInput.Of("attn_mask", bias, graph.MaskDims)); break;
            default: throw new ArgumentException($"The graph expects mask input {graph.Mask}, got {mask?.GetType().Name ?? "none"}.", nameof(mask));
        }

        using var session = new OnnxSession(graph.Build());
        var y = session.Run("Y", [.. inputs]);
        return tokenMajor ? HeadLayout.ToHeadMajor(y, shape.Heads, shape.QueryLength, shape.ValueDim) : y;
    }

    /// <summary>
    /// The contrib <c>MultiHeadAttention</c> op. <paramref name="keyPadding"/> is the int32 key_padding_mask
    /// (lengths [1] or 0/1 flags [n_k], per <see cref="ContribMultiHeadAttentionGraph.KeyPadding"/>);
    /// <paramref name="attentionBias"/> is [heads, n_q, n_k].
    /// </summary>
    public static float[] Run(ContribMultiHeadAttentionGraph graph, float[] q, float[] k, float[] v, int[]? keyPadding = null, float[]? attentionBias = null)
    {
        var shape = graph.Shape;
        if ((keyPadding is null) != (graph.KeyPadding == OnnxKeyPadding.None) || (attentionBias is null) == graph.AttentionBias)
            throw new ArgumentException($"The graph's optional inputs (key padding {graph.KeyPadding}, attention bias {graph.AttentionBias}) do not match the arrays given.");

        var inputs = new List<OnnxInput>
        {
            OnnxInput.Of("query", HeadLayout.ToTokenMajor(q, shape.Heads, shape.QueryLength, shape.HeadDim), graph.QueryDims),
            OnnxInput.Of("key", HeadLayout.ToTokenMajor(k, shape.Heads, shape.KeyLength, shape.HeadDim), graph.KeyDims),
            OnnxInput.Of("value", HeadLayout.ToTokenMajor(v, shape.Heads, shape.KeyLength, shape.ValueDim), graph.ValueDims),
        };
        if (keyPadding is not null) inputs.Add(OnnxInput.Of("key_padding_mask", keyPadding, graph.KeyPaddingDims));
        if (attentionBias is not null) inputs.Add(OnnxInput.Of("attention_bias", attentionBias, graph.AttentionBiasDims));

        using var session = new OnnxSession(graph.Build());
        var y = session.Run("output", [.. inputs]);
        return HeadLayout.ToHeadMajor(y, shape.Heads, shape.QueryLength, shape.ValueDim);
    }
}
