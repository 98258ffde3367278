using Attention.Benchmarks.Cases;
using Attention.OracleTests.Onnx;
using Attention.OracleTests.Support;

namespace Attention.Benchmarks.Runners;

/// <summary>The layer, its input x [n, d_model] and the library's own output for it (the peers are checked against that).</summary>
public sealed class LayerInputs
{
    public LayerInputs(LayerCase c)
    {
        Layer = new MultiHeadAttention(LayerCase.ModelDim, LayerCase.Heads, seed: 7);
        var random = new SeededTensors(seed: 11);
        random.Uniform(Layer.QueryBias!.Length, 0.1).CopyTo(Layer.QueryBias, 0);   // non-zero biases, so the Add nodes do real work
        random.Uniform(Layer.KeyBias!.Length, 0.1).CopyTo(Layer.KeyBias, 0);
        random.Uniform(Layer.ValueBias!.Length, 0.1).CopyTo(Layer.ValueBias, 0);
        random.Uniform(Layer.OutputBias!.Length, 0.1).CopyTo(Layer.OutputBias, 0);
        N = c.N;
        X = random.Uniform(c.N * LayerCase.ModelDim, 1.0);   // [n, d_model]
    }

    public MultiHeadAttention Layer { get; }
    public int N { get; }
    public float[] X { get; }

    public float[] Expected()
    {
        var y = new float[X.Length];
        Layer.Forward(X, N, y);
        return y;
    }
}

/// <summary>The library's layer, output into a pre-allocated [n, d_model] buffer.</summary>
public sealed class LibraryLayerRunner(LayerCase c, LayerInputs inputs) : IBenchRunner
{
    private readonly float[] _output = new float[inputs.X.Length];   // [n, d_model]
    private readonly AttentionOptions _options = new() { MaxThreads = c.Threads };

    private readonly MultiHeadAttention _layer = Pack(inputs.Layer, c.Impl == LayerImpl.LibraryPackedWeights);

    public float[] Output => _output;

    public void Run() => _layer.Forward(inputs.X, inputs.N, _output, _options);

    private static MultiHeadAttention Pack(MultiHeadAttention layer, bool packed)
    {
        if (packed) layer.PackWeights(); else layer.UnpackWeights();
        return layer;
    }

    public void Dispose() { }
}

/// <summary>The same layer as an ONNX graph (weights as initializers), input and output bound to pinned arrays; checked before timing.</summary>
public sealed class OnnxLayerRunner : IBenchRunner
{
    private readonly BoundOnnxSession _session;
    private readonly float[] _output;   // [n, d_model]

    public OnnxLayerRunner(LayerCase c, LayerInputs inputs)
    {
        var graph = MultiHeadLayerGraph.ForLayer(inputs.Layer, inputs.N, inputs.N, selfAttention: true) with
        {
            Core = c.Impl == LayerImpl.OrtAttention ? OnnxAttentionCore.StandardAttention : OnnxAttentionCore.ContribMultiHeadAttention,
        };
        _output = new float[inputs.X.Length];
        _session = new BoundOnnxSession(graph.Build(), c.Threads)
            .Input("x", inputs.X, graph.InputDims)
            .Output("y", _output, 1, inputs.N, LayerCase.ModelDim);

        _session.Run();
        var expected = inputs.Expected();
        float worst = 0f;
        for (int i = 0; i < expected.Length; i++) worst = MathF.Max(worst, MathF.Abs(_output[i] - expected[i]));
        if (!(worst <= OnnxKernelRunner.Tolerance))
            throw new InvalidOperationException($"{c}: ONNX Runtime and the library's layer differ by {worst:G3}; the peer is not computing the same layer.");
    }

    public float[] Output => _output;

    public void Run() => _session.Run();

    public void Dispose() => _session.Dispose();
}
