using Onnx;
using static Attention.OracleTests.Onnx.OnnxModelBuilder;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Attention.OracleTests.Onnx;

/// <summary>How Q, K, V are laid out for the standard ONNX <c>Attention</c> op.</summary>
public enum OnnxAttentionLayout
{
    /// <summary>4-D [batch, heads, seq, head_dim]: the library's own layout with batch = 1; head counts come from the shapes.</summary>
    HeadMajor,
    /// <summary>3-D [batch, seq, heads·head_dim]: head counts come from the <c>q_num_heads</c>/<c>kv_num_heads</c> attributes.</summary>
    TokenMajor,
}

/// <summary>What the optional <c>attn_mask</c> input of the standard <c>Attention</c> op holds.</summary>
public enum OnnxMaskInput
{
    None,
    /// <summary>bool, true = may attend.</summary>
    Boolean,
    /// <summary>float, added to the scaled logits.</summary>
    Additive,
}

/// <summary>How the contrib <c>MultiHeadAttention</c> op is told which keys are padding.</summary>
public enum OnnxKeyPadding
{
    None,
    /// <summary>int32 [batch]: number of real keys (right padding).</summary>
    Lengths,
    /// <summary>int32 [batch, n_k]: 1 = real key, 0 = padding.</summary>
    Mask,
}

/// <summary>
/// The standard ONNX <c>Attention</c> op (opset 23) as a one-node graph.
/// Inputs Q, K, V and optionally <c>attn_mask</c> ([n_q, n_k], or [1, heads, n_q, n_k] when <see cref="MaskPerHead"/>); output Y.
/// </summary>
public sealed record StandardAttentionGraph(AttentionShape Shape)
{
    public const int Opset = 23;

    public OnnxAttentionLayout Layout { get; init; } = OnnxAttentionLayout.HeadMajor;
    public bool IsCausal { get; init; }
    /// <summary>The <c>scale</c> attribute; null leaves it out (the op then uses 1/sqrt(head_dim)).</summary>
    public float? Scale { get; init; }
    public OnnxMaskInput Mask { get; init; }
    public bool MaskPerHead { get; init; }

    public long[] QueryDims => Layout == OnnxAttentionLayout.HeadMajor
        ? [1, Shape.Heads, Shape.QueryLength, Shape.HeadDim]
        : [1, Shape.QueryLength, Shape.Heads * Shape.HeadDim];
    public long[] KeyDims => Layout == OnnxAttentionLayout.HeadMajor
        ? [1, Shape.KvHeads, Shape.KeyLength, Shape.HeadDim]
        : [1, Shape.KeyLength, Shape.KvHeads * Shape.HeadDim];
    public long[] ValueDims => Layout == OnnxAttentionLayout.HeadMajor
        ? [1, Shape.KvHeads, Shape.KeyLength, Shape.ValueDim]
        : [1, Shape.KeyLength, Shape.KvHeads * Shape.ValueDim];
    public long[] MaskDims => MaskPerHead
        ? [1, Shape.Heads, Shape.QueryLength, Shape.KeyLength]
        : [Shape.QueryLength, Shape.KeyLength];

    public byte[] Build()
    {
        var model = new OnnxModelBuilder("attention", Opset);
        string q = model.Input("Q", DataType.Float, QueryDims);
        string k = model.Input("K", DataType.Float, KeyDims);
        string v = model.Input("V", DataType.Float, ValueDims);
        string mask = Mask switch
        {
            OnnxMaskInput.None => "",
            OnnxMaskInput.Boolean => model.Input("attn_mask", DataType.Bool, MaskDims),
            _ => model.Input("attn_mask", DataType.Float, MaskDims),
        };

        var attributes = new List<AttributeProto> { IntAttribute("is_causal", IsCausal ? 1 : 0) };
        if (Layout == OnnxAttentionLayout.TokenMajor)
        {
            attributes.Add(IntAttribute("q_num_heads", Shape.Heads));
            attributes.Add(IntAttribute("kv_num_heads", Shape.KvHeads));
        }
        if (Scale is float scale) attributes.Add(FloatAttribute("scale", scale));

        string[] inputs = mask.Length == 0 ? [q, k, v] : [q, k, v, mask];
        model.Node("Attention", inputs, [model.Output("Y")], attributes: [.. attributes]);
        return model.ToBytes();
    }
}

/// <summary>
/// ONNX Runtime's contrib <c>com.microsoft.MultiHeadAttention</c> as a one-node graph, 3-D token-major:
/// query [1, n_q, heads·d_k], key [1, n_k, heads·d_k], value [1, n_k, heads·d_v]; optional key_padding_mask
/// (see <see cref="OnnxKeyPadding"/>) and attention_bias [1, heads, n_q, n_k]; output [1, n_q, heads·d_v].
/// It has one head count: no grouped-query attention.
/// </summary>
public sealed record ContribMultiHeadAttentionGraph(AttentionShape Shape)
{
    public const string Domain = "com.microsoft";

    public bool Unidirectional { get; init; }
    public float? Scale { get; init; }
    public OnnxKeyPadding KeyPadding { get; init; }
    public bool AttentionBias { get; init; }

    public long[] QueryDims => [1, Shape.QueryLength, Shape.Heads * Shape.HeadDim];
    public long[] KeyDims => [1, Shape.KeyLength, Shape.Heads * Shape.HeadDim];
    public long[] ValueDims => [1, Shape.KeyLength, Shape.Heads * Shape.ValueDim];
    public long[] KeyPaddingDims => KeyPadding == OnnxKeyPadding.Lengths ? [1] : [1, Shape.KeyLength];
    public long[] AttentionBiasDims => [1, Shape.Heads, Shape.QueryLength, Shape.KeyLength];

    public byte[] Build()
    {
        if (Shape.KvHeads != Shape.Heads)
            throw new ArgumentException($"The contrib MultiHeadAttention op has no grouped-query form ({Shape}).", nameof(Shape));

        var model = new OnnxModelBuilder("multi_head_attention", StandardAttentionGraph.Opset).ImportDomain(Domain, 1);
        string q = model.Input("query", DataType.Float, QueryDims);
        string k = model.Input("key", DataType.Float, KeyDims);
        string v = model.Input("value", DataType.Float, ValueDims);
        string padding = KeyPadding == OnnxKeyPadding.None ? "" : model.Input("key_padding_mask", DataType.Int32, KeyPaddingDims);
        string bias = AttentionBias ? model.Input("attention_bias", DataType.Float, AttentionBiasDims) : "";

        model.Node("MultiHeadAttention", ContribInputs(q, k, v, padding, bias), [model.Output("output")], Domain,
            ContribAttributes(Shape.Heads, Unidirectional, Scale));
        return model.ToBytes();
    }

    /// <summary>query, key, value, bias (projection bias, unused here), key_padding_mask, attention_bias; trailing empties dropped.</summary>
    internal static string[] ContribInputs(string q, string k, string v, string keyPadding = "", string attentionBias = "")
    {
        string[] all = [q, k, v, "", keyPadding, attentionBias];
        int count = all.Length;
        while (all[count - 1].Length == 0) count--;
        return all[..count];
    }

    internal static AttributeProto[] ContribAttributes(int heads, bool unidirectional, float? scale)
    {
        var attributes = new List<AttributeProto>
        {
            IntAttribute("num_heads", heads),
            IntAttribute("unidirectional", unidirectional ? 1 : 0),
        };
        if (scale is float s) attributes.Add(FloatAttribute("scale", s));
        return [.. attributes];
    }
}
