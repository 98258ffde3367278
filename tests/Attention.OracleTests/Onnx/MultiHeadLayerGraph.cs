using Onnx;
using static Attention.OracleTests.Onnx.OnnxModelBuilder;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Attention.OracleTests.Onnx;

/// <summary>Which ONNX op computes the attention core of <see cref="MultiHeadLayerGraph"/>.</summary>
public enum OnnxAttentionCore
{
    /// <summary><c>com.microsoft.MultiHeadAttention</c>: one head count, causal through <c>unidirectional</c>.</summary>
    ContribMultiHeadAttention,
    /// <summary>The standard <c>Attention</c> op, 3-D, with <c>q_num_heads</c>/<c>kv_num_heads</c>: also grouped-query attention.</summary>
    StandardAttention,
}

/// <summary>
/// A whole multi-head attention layer as an ONNX graph, weights stored as initializers:
/// <code>
/// Q = x·W_Q (+ b_Q)          [1, n_q, heads·d_head]      (MatMul, Add)
/// K = c·W_K (+ b_K)          [1, n_k, kvHeads·d_head]
/// V = c·W_V (+ b_V)          [1, n_k, kvHeads·d_head]
/// A = attention(Q, K, V)     [1, n_q, heads·d_head]      (see <see cref="OnnxAttentionCore"/>)
/// y = A·W_O (+ b_O)          [1, n_q, d_model]
/// </code>
/// Inputs "x" [1, n_q, d_model] and, for cross-attention, "context" [1, n_k, d_ctx] (c = x otherwise); output "y".
/// Weights are row-major [in, out], as ONNX MatMul takes them; a head owns d_head consecutive columns.
/// </summary>
public sealed record MultiHeadLayerGraph
{
    public required int ModelDim { get; init; }
    public required int ContextDim { get; init; }
    public required int Heads { get; init; }
    public required int KvHeads { get; init; }
    public required int HeadDim { get; init; }
    public required int QueryLength { get; init; }
    /// <summary>n_k; for self-attention it equals <see cref="QueryLength"/>.</summary>
    public required int ContextLength { get; init; }
    /// <summary>True: keys and values are projected from x itself (no "context" input).</summary>
    public required bool SelfAttention { get; init; }
    public bool Causal { get; init; }
    public OnnxAttentionCore Core { get; init; } = OnnxAttentionCore.ContribMultiHeadAttention;

    public required float[] QueryWeight { get; init; }  // [d_model, heads·d_head]
    public required float[] KeyWeight { get; init; }    // [d_ctx, kvHeads·d_head]
    public required float[] ValueWeight { get; init; }  // [d_ctx, kvHeads·d_head]
    public required float[] OutputWeight { get; init; } // [heads·d_head, d_model]
    public float[]? QueryBias { get; init; }
    public float[]? KeyBias { get; init; }
    public float[]? ValueBias { get; init; }
    public float[]? OutputBias { get; init; }

    /// <summary>The graph of a library layer, sharing its weight arrays (read when <see cref="Build"/> runs).</summary>
    public static MultiHeadLayerGraph ForLayer(MultiHeadAttention layer, int queryLength, int contextLength, bool selfAttention) => new()
    {
        ModelDim = layer.ModelDim,
        ContextDim = layer.ContextDim,
        Heads = layer.Heads,
        KvHeads = layer.KvHeads,
        HeadDim = layer.HeadDim,
        QueryLength = queryLength,
        ContextLength = contextLength,
        SelfAttention = selfAttention,
        QueryWeight = layer.QueryWeight,
        KeyWeight = layer.KeyWeight,
        ValueWeight = layer.ValueWeight,
        OutputWeight = layer.OutputWeight,
        QueryBias = layer.QueryBias,
        KeyBias = layer.KeyBias,
        ValueBias = layer.ValueBias,
        OutputBias = layer.OutputBias,
    };

    public long[] InputDims => [1, QueryLength, ModelDim];
    public long[] ContextDims => [1, ContextLength, ContextDim];

    public byte[] Build()
    {
        if (Core == OnnxAttentionCore.ContribMultiHeadAttention && KvHeads != Heads)
            throw new ArgumentException($"The contrib MultiHeadAttention op has no grouped-query form (heads={Heads}, kvHeads={KvHeads}); use the standard Attention core.", nameof(Core));

        int qWidth = Heads * HeadDim, kvWidth = KvHeads * HeadDim;
        var model = new OnnxModelBuilder("multi_head_layer", StandardAttentionGraph.Opset)
            .ImportDomain(ContribMultiHeadAttentionGraph.Domain, 1);
        string x = model.Input("x", DataType.Float, InputDims);
        string context = SelfAttention ? x : model.Input("context", DataType.Float, ContextDims);

        string q = Project(model, x, "q", QueryWeight, QueryBias, ModelDim, qWidth);             // [1, n_q, heads·d_head]
        string k = Project(model, context, "k", KeyWeight, KeyBias, ContextDim, kvWidth);        // [1, n_k, kvHeads·d_head]
        string v = Project(model, context, "v", ValueWeight, ValueBias, ContextDim, kvWidth);    // [1, n_k, kvHeads·d_head]

        if (Core == OnnxAttentionCore.ContribMultiHeadAttention)
            model.Node("MultiHeadAttention", ContribMultiHeadAttentionGraph.ContribInputs(q, k, v), ["heads"],
                ContribMultiHeadAttentionGraph.Domain, ContribMultiHeadAttentionGraph.ContribAttributes(Heads, Causal, scale: null));
        else
            model.Node("Attention", [q, k, v], ["heads"], attributes:
                [IntAttribute("is_causal", Causal ? 1 : 0), IntAttribute("q_num_heads", Heads), IntAttribute("kv_num_heads", KvHeads)]);

        string y = Project(model, "heads", "o", OutputWeight, OutputBias, qWidth, ModelDim);     // [1, n_q, d_model]
        model.Node("Identity", [y], [model.Output("y")]); // the output is called "y" with or without b_O
        return model.ToBytes();
    }

    /// <summary>input·W (+ b) as MatMul (+ Add) nodes; returns the result's name.</summary>
    private static string Project(OnnxModelBuilder model, string input, string name, float[] weight, float[]? bias, int inDim, int outDim)
    {
        string w = model.Initializer($"W_{name}", weight, inDim, outDim);
        string product = $"{name}_matmul";
        model.Node("MatMul", [input, w], [product]);
        if (bias is null) return product;
        string b = model.Initializer($"b_{name}", bias, outDim);
        model.Node("Add", [product, b], [$"{name}_proj"]);
        return $"{name}_proj";
    }
}
