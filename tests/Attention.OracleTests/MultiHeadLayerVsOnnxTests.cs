using Attention.OracleTests.Onnx;
using Attention.OracleTests.Reference;
using Attention.OracleTests.Support;
using Xunit.Abstractions;
using static Attention.OracleTests.Support.OracleAssert;

namespace Attention.OracleTests;

/// <summary>
/// The library's <see cref="MultiHeadAttention"/> layer against the same layer as an ONNX graph (MatMul + Add
/// projections, attention op, output projection) holding the layer's own public weights, and against a float64
/// layer. Inputs x, context ~ N(0, 1.5²) and biases ~ N(0, 0.2²) (the layer starts them at zero; random values
/// make the test see them); with the layer's Glorot weights the logits have a standard deviation of about 2,
/// and outputs have RMS ≈ 0.6–1.5 with largest values 2.5–5.5, so the 1e-5 bound is about 1e-5 relative.
/// </summary>
public class MultiHeadLayerVsOnnxTests(ITestOutputHelper log)
{
    private const double InputStd = 1.5, BiasStd = 0.2;

    [Theory]
    [InlineData(64, 4, 37, false, OnnxAttentionCore.ContribMultiHeadAttention)]
    [InlineData(64, 4, 37, true, OnnxAttentionCore.ContribMultiHeadAttention)]
    [InlineData(64, 4, 37, true, OnnxAttentionCore.StandardAttention)]
    [InlineData(24, 3, 1, true, OnnxAttentionCore.ContribMultiHeadAttention)]
    [InlineData(256, 4, 512, true, OnnxAttentionCore.ContribMultiHeadAttention)]
    public void SelfAttention(int modelDim, int heads, int n, bool causal, OnnxAttentionCore core)
    {
        var layer = NewLayer(modelDim, heads, kvHeads: null, contextDim: null, bias: true, seed: 201);
        SelfAttentionMatchesOracle(layer, new SeededTensors(202).Normal(n * modelDim, InputStd), n, causal, core);
    }

    /// <summary>Cross-attention: queries from x [n_q, d_model], keys and values from a context of another width and length.</summary>
    [Theory]
    [InlineData(48, 40, 6, 19, 45, OnnxAttentionCore.ContribMultiHeadAttention)]
    [InlineData(48, 40, 6, 19, 45, OnnxAttentionCore.StandardAttention)]
    [InlineData(32, 64, 2, 70, 9, OnnxAttentionCore.ContribMultiHeadAttention)]
    public void CrossAttention(int modelDim, int contextDim, int heads, int nq, int nk, OnnxAttentionCore core)
    {
        var layer = NewLayer(modelDim, heads, kvHeads: null, contextDim, bias: true, seed: 203);
        var random = new SeededTensors(204);
        var x = random.Normal(nq * modelDim, InputStd);
        var context = random.Normal(nk * contextDim, InputStd);
        var graph = MultiHeadLayerGraph.ForLayer(layer, nq, nk, selfAttention: false) with { Core = core };
        var onnx = RunGraph(graph, x, context);

        AllPathsMatchOracle(path =>
        {
            var y = new float[nq * modelDim];
            layer.Forward(x, nq, context, nk, y, new AttentionOptions { Path = path });
            return y;
        }, onnx, Float64MultiHeadLayer.Forward(layer, x, nq, context, nk), log, $"{layer}, n_q={nq}, n_k={nk}, {core}");
    }

    /// <summary>GQA/MQA layers (fewer key/value heads) through the standard Attention op's q_num_heads/kv_num_heads; also without biases.</summary>
    [Theory]
    [InlineData(64, 8, 2, 50, true, true)]
    [InlineData(64, 8, 1, 33, false, true)]
    [InlineData(48, 6, 3, 21, true, false)]
    public void GroupedQuery(int modelDim, int heads, int kvHeads, int n, bool causal, bool bias)
    {
        var layer = NewLayer(modelDim, heads, kvHeads, contextDim: null, bias, seed: 205);
        SelfAttentionMatchesOracle(layer, new SeededTensors(206).Normal(n * modelDim, InputStd), n, causal, OnnxAttentionCore.StandardAttention);
    }

    /// <summary>Self-attention of <paramref name="layer"/> on x [n, d_model]: every kernel path against ONNX Runtime and float64.</summary>
    private void SelfAttentionMatchesOracle(MultiHeadAttention layer, float[] x, int n, bool causal, OnnxAttentionCore core)
    {
        var graph = MultiHeadLayerGraph.ForLayer(layer, n, n, selfAttention: true) with { Causal = causal, Core = core };
        var onnx = RunGraph(graph, x, context: null);

        var options = new AttentionOptions { Mask = causal ? AttentionMask.CausalMask() : AttentionMask.None };
        AllPathsMatchOracle(path =>
        {
            var y = new float[n * layer.ModelDim];
            layer.Forward(x, n, y, options with { Path = path });
            return y;
        }, onnx, Float64MultiHeadLayer.Forward(layer, x, n, x, n, options), log, $"{layer}, n={n}, causal={causal}, {core}");
    }

    /// <summary>A layer with its seeded Glorot weights and, when it has biases, random (non-zero) biases.</summary>
    private static MultiHeadAttention NewLayer(int modelDim, int heads, int? kvHeads, int? contextDim, bool bias, int seed)
    {
        var layer = new MultiHeadAttention(modelDim, heads, kvHeads, contextDim, bias, seed);
        var random = new SeededTensors(seed + 1);
        foreach (var b in new[] { layer.QueryBias, layer.KeyBias, layer.ValueBias, layer.OutputBias })
            if (b is not null) random.Normal(b.Length, BiasStd).CopyTo(b, 0);
        return layer;
    }

    private static float[] RunGraph(MultiHeadLayerGraph graph, float[] x, float[]? context)
    {
        using var session = new OnnxSession(graph.Build());
        var inputs = new List<OnnxInput> { OnnxInput.Of("x", x, graph.InputDims) };
        if (context is not null) inputs.Add(OnnxInput.Of("context", context, graph.ContextDims));
        return session.Run("y", [.. inputs]);
    }
}
