using Attention.Benchmarks.Cases;
using Attention.OracleTests.Onnx;
using Attention.OracleTests.Support;

namespace Attention.Benchmarks.Runners;

/// <summary>
/// A peer computing the same attention as the library in ONNX Runtime, inputs converted to the op's layout before timing
/// (each side gets its native layout), output bound to a pre-allocated buffer. The constructor runs the graph once and
/// checks its output against the library's tiled result, so every timing compares the same computation.
/// </summary>
public sealed class OnnxKernelRunner : IBenchRunner
{
    /// <summary>Largest |peer − library| accepted by the pre-timing check (the oracle tests hold 1e-5 on smaller inputs).</summary>
    public const float Tolerance = 1e-4f;

    private readonly BoundOnnxSession _session;
    private readonly float[] _output;
    private readonly bool _tokenMajorOutput;
    private readonly AttentionShape _shape;

    public OnnxKernelRunner(KernelCase c, KernelInputs inputs, bool check = true)
    {
        _shape = inputs.Shape;
        _output = new float[_shape.OutputElements];
        _session = c.Impl switch
        {
            KernelImpl.OrtMultiHeadAttention => ContribSession(c, inputs),
            KernelImpl.OrtAttention => StandardSession(c, inputs),
            KernelImpl.OrtMatMulSoftmax => MatMulSoftmaxSession(c, inputs),
            _ => throw new ArgumentException($"{c.Impl} is not an ONNX Runtime peer.", nameof(c)),
        };
        _tokenMajorOutput = c.Impl == KernelImpl.OrtMultiHeadAttention;
        if (check) Check(c, inputs);
    }

    public float[] Output => _output;

    public void Run() => _session.Run();

    public void Dispose() => _session.Dispose();

    /// <summary>
    /// The contrib op takes 3-D token-major tensors and has one head count: K and V are repeated to 8 heads
    /// (4 copies of each K/V head), which is how a model without GQA support runs a GQA layer.
    /// </summary>
    private BoundOnnxSession ContribSession(KernelCase c, KernelInputs inputs)
    {
        var s = inputs.Shape;
        var graph = new ContribMultiHeadAttentionGraph(new AttentionShape(s.Heads, s.QueryLength, s.KeyLength, s.HeadDim)) { Unidirectional = c.Causal };
        var kRepeated = RepeatKvHeads(inputs.K, s);    // [heads, n, d]
        var vRepeated = RepeatKvHeads(inputs.V, s);    // [heads, n, d]
        return new BoundOnnxSession(graph.Build(), c.Threads)
            .Input("query", HeadLayout.ToTokenMajor(inputs.Q, s.Heads, s.QueryLength, s.HeadDim), graph.QueryDims)
            .Input("key", HeadLayout.ToTokenMajor(kRepeated, s.Heads, s.KeyLength, s.HeadDim), graph.KeyDims)
            .Input("value", HeadLayout.ToTokenMajor(vRepeated, s.Heads, s.KeyLength, s.ValueDim), graph.ValueDims)
            .Output("output", _output, 1, s.QueryLength, s.Heads * s.ValueDim);
    }

    /// <summary>The standard op, 4-D: the library's own layout, native GQA, top-left causal (= the library's for n_q = n_k).</summary>
    private BoundOnnxSession StandardSession(KernelCase c, KernelInputs inputs)
    {
        var graph = new StandardAttentionGraph(inputs.Shape) { IsCausal = c.Causal };
        return new BoundOnnxSession(graph.Build(), c.Threads)
            .Input("Q", inputs.Q, graph.QueryDims)
            .Input("K", inputs.K, graph.KeyDims)
            .Input("V", inputs.V, graph.ValueDims)
            .Output("Y", _output, 1, inputs.Shape.Heads, inputs.Shape.QueryLength, inputs.Shape.ValueDim);
    }

    private BoundOnnxSession MatMulSoftmaxSession(KernelCase c, KernelInputs inputs)
    {
        var graph = new MatMulSoftmaxGraph(inputs.Shape, c.Causal);
        var session = new BoundOnnxSession(graph.Build(), c.Threads)
            .Input("Q", inputs.Q, graph.QueryDims)
            .Input("K", inputs.K, graph.KeyDims)
            .Input("V", inputs.V, graph.ValueDims)
            .Output("Y", _output, graph.OutputDims);
        if (c.Causal) session.Input("mask", graph.CausalMask(), graph.MaskDims);
        return session;
    }

    /// <summary>[kvHeads, n, d] → [heads, n, d], query head h getting K/V head h / group.</summary>
    private static float[] RepeatKvHeads(float[] kv, AttentionShape s)
    {
        int headSize = s.KeyLength * s.HeadDim;
        var repeated = new float[s.Heads * headSize];
        for (int h = 0; h < s.Heads; h++)
            kv.AsSpan(h / s.GroupSize * headSize, headSize).CopyTo(repeated.AsSpan(h * headSize));
        return repeated;
    }

    private void Check(KernelCase c, KernelInputs inputs)
    {
        Run();
        var actual = _tokenMajorOutput ? HeadLayout.ToHeadMajor(_output, _shape.Heads, _shape.QueryLength, _shape.ValueDim) : _output;
        var expected = inputs.Expected(c.Causal);
        float worst = 0f;
        for (int i = 0; i < expected.Length; i++) worst = MathF.Max(worst, MathF.Abs(actual[i] - expected[i]));
        if (!(worst <= Tolerance))
            throw new InvalidOperationException($"{c}: ONNX Runtime and the library's tiled path differ by {worst:G3} (> {Tolerance:G1}); the peer is not computing the same attention.");
    }
}
