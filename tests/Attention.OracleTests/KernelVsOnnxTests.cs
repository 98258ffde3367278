using Attention.OracleTests.Onnx;
using Attention.OracleTests.Support;
using Xunit.Abstractions;
using static Attention.OracleTests.Support.OracleAssert;

namespace Attention.OracleTests;

/// <summary>
/// <see cref="ScaledDotProductAttention.Forward"/> on every <see cref="KernelPath"/> against ONNX Runtime 1.31.1
/// (the standard opset-23 Attention op and the contrib MultiHeadAttention op): max |error| ≤ 1e-5 on outputs whose
/// RMS is 0.2–1.2 and whose largest values are 2–3.5 (inputs: see <see cref="AttentionInputs"/>; the test log
/// prints both numbers for every case, and each output must have RMS ≥ 0.05). Each case also checks ONNX
/// Runtime against the float64 reference. Few large cases (n = 1024), more small ones with odd sizes.
/// </summary>
public class KernelVsOnnxTests(ITestOutputHelper log)
{
    public static TheoryData<int, int, int, int, int> NonCausalShapes => new()
    {
        // heads, n_q, n_k, d_k, d_v
        { 1, 1, 1, 1, 1 },
        { 2, 7, 13, 5, 3 },
        { 4, 33, 65, 16, 16 },
        { 3, 17, 257, 64, 32 },
        { 2, 100, 3, 8, 8 },
        { 2, 1024, 1024, 64, 64 },
    };

    [Theory]
    [MemberData(nameof(NonCausalShapes))]
    public void NonCausal(int heads, int nq, int nk, int dk, int dv)
    {
        var inputs = AttentionInputs.Create(new AttentionShape(heads, nq, nk, dk, dv), seed: 101);
        var onnx = OnnxAttentionOracle.Run(new StandardAttentionGraph(inputs.Shape), inputs.Q, inputs.K, inputs.V);
        AllPathsMatchOracle(inputs, AttentionOptions.Default, onnx, log, "non-causal");
    }

    /// <summary>Causal self-attention (n_q = n_k, where every alignment agrees) against contrib MultiHeadAttention, unidirectional = 1.</summary>
    [Theory]
    [InlineData(2, 1, 8)]
    [InlineData(3, 31, 16)]
    [InlineData(4, 64, 64)]
    [InlineData(2, 257, 32)]
    [InlineData(2, 1024, 64)]
    public void Causal_SelfAttention(int heads, int n, int d)
    {
        var inputs = AttentionInputs.Create(new AttentionShape(heads, n, n, d), seed: 102);
        var onnx = OnnxAttentionOracle.Run(new ContribMultiHeadAttentionGraph(inputs.Shape) { Unidirectional = true }, inputs.Q, inputs.K, inputs.V);
        AllPathsMatchOracle(inputs, new() { Mask = AttentionMask.CausalMask() }, onnx, log, "causal self");
    }

    /// <summary>The Attention op's is_causal aligns top-left when n_q ≠ n_k (see OnnxOracleSelfTests): the library with CausalOffset = 0.</summary>
    [Theory]
    [InlineData(5, 12)]
    [InlineData(12, 5)]
    [InlineData(40, 100)]
    [InlineData(100, 40)]
    public void Causal_CrossLengths_TopLeft(int nq, int nk)
    {
        var inputs = AttentionInputs.Create(new AttentionShape(3, nq, nk, 16), seed: 103);
        var onnx = OnnxAttentionOracle.Run(new StandardAttentionGraph(inputs.Shape) { IsCausal = true }, inputs.Q, inputs.K, inputs.V);
        AllPathsMatchOracle(inputs, new() { Mask = AttentionMask.CausalMask(0) }, onnx, log, "causal, offset 0");
    }

    /// <summary>
    /// The library's default causal alignment (bottom-right, offset n_k − n_q: the cached-decoding layout) has no
    /// ONNX attribute; ONNX Runtime gets it as an explicit boolean mask. With n_q &gt; n_k the first n_q − n_k rows
    /// see no key: both give zero rows there.
    /// </summary>
    [Theory]
    [InlineData(5, 12)]
    [InlineData(1, 30)]
    [InlineData(40, 100)]
    [InlineData(20, 9)]
    public void Causal_CrossLengths_BottomRight(int nq, int nk)
    {
        var inputs = AttentionInputs.Create(new AttentionShape(3, nq, nk, 16), seed: 104);
        var allowed = new bool[nq * nk];
        for (int i = 0; i < nq; i++)
            for (int j = 0; j < nk; j++)
                allowed[i * nk + j] = j <= i + (nk - nq);
        var graph = new StandardAttentionGraph(inputs.Shape) { Mask = OnnxMaskInput.Boolean };
        var onnx = OnnxAttentionOracle.Run(graph, inputs.Q, inputs.K, inputs.V, allowed);
        AllPathsMatchOracle(inputs, new() { Mask = AttentionMask.CausalMask() }, onnx, log, "causal, default offset");
    }

    /// <summary>Key padding (the library's KeyLength) against contrib MultiHeadAttention's key_padding_mask of lengths.</summary>
    [Theory]
    [InlineData(7, 20, 13)]
    [InlineData(33, 65, 1)]
    [InlineData(64, 64, 64)]
    [InlineData(16, 257, 200)]
    [InlineData(1024, 1024, 700)]
    public void KeyPadding(int nq, int nk, int realKeys)
    {
        var inputs = AttentionInputs.Create(new AttentionShape(4, nq, nk, 32), seed: 105);
        var graph = new ContribMultiHeadAttentionGraph(inputs.Shape) { KeyPadding = OnnxKeyPadding.Lengths };
        var onnx = OnnxAttentionOracle.Run(graph, inputs.Q, inputs.K, inputs.V, keyPadding: [realKeys]);
        AllPathsMatchOracle(inputs, new() { Mask = AttentionMask.Padding(realKeys) }, onnx, log, $"{realKeys} real keys");
    }

    /// <summary>
    /// Boolean mask (true = may attend), shared [n_q, n_k] or per head [heads, n_q, n_k], with two rows fully
    /// masked on purpose: ONNX Runtime and the library both give zero rows there.
    /// </summary>
    [Theory]
    [InlineData(3, 9, 14, 8, false)]
    [InlineData(3, 9, 14, 8, true)]
    [InlineData(4, 50, 70, 32, false)]
    [InlineData(2, 130, 67, 16, true)]
    public void BooleanMask(int heads, int nq, int nk, int d, bool perHead)
    {
        var inputs = AttentionInputs.Create(new AttentionShape(heads, nq, nk, d), seed: 106);
        int maskHeads = perHead ? heads : 1;
        var allowed = new SeededTensors(107).Bernoulli(maskHeads * nq * nk, 0.6);
        Array.Fill(allowed, false, 1 * nk, nk);                         // row 1 of the first mask head
        Array.Fill(allowed, false, ((maskHeads - 1) * nq + nq - 1) * nk, nk); // last row of the last mask head
        var graph = new StandardAttentionGraph(inputs.Shape) { Mask = OnnxMaskInput.Boolean, MaskPerHead = perHead };
        var onnx = OnnxAttentionOracle.Run(graph, inputs.Q, inputs.K, inputs.V, allowed);
        AllPathsMatchOracle(inputs, new() { Mask = new() { Allowed = allowed } }, onnx, log, perHead ? "per-head boolean mask" : "boolean mask");
    }

    /// <summary>Additive bias on the scaled logits (float attn_mask), N(0, 1) with about one entry in eight -inf.</summary>
    [Theory]
    [InlineData(3, 9, 14, 8, false)]
    [InlineData(3, 9, 14, 8, true)]
    [InlineData(4, 65, 48, 32, true)]
    public void AdditiveBias(int heads, int nq, int nk, int d, bool perHead)
    {
        var inputs = AttentionInputs.Create(new AttentionShape(heads, nq, nk, d), seed: 108);
        var bias = OnnxOracleSelfTests.BiasWithHoles((perHead ? heads : 1) * nq * nk, nk, seed: 109);
        var graph = new StandardAttentionGraph(inputs.Shape) { Mask = OnnxMaskInput.Additive, MaskPerHead = perHead };
        var onnx = OnnxAttentionOracle.Run(graph, inputs.Q, inputs.K, inputs.V, bias);
        AllPathsMatchOracle(inputs, new() { Mask = new() { Bias = bias } }, onnx, log, perHead ? "per-head bias" : "bias");
    }

    /// <summary>
    /// Grouped-query and multi-query attention through the Attention op: 3-D inputs with q_num_heads/kv_num_heads,
    /// and 4-D inputs whose head counts come from the shapes.
    /// </summary>
    [Theory]
    [InlineData(8, 2, 20, 31, 8, false, OnnxAttentionLayout.TokenMajor)]
    [InlineData(8, 2, 20, 31, 8, false, OnnxAttentionLayout.HeadMajor)]
    [InlineData(6, 3, 45, 45, 16, true, OnnxAttentionLayout.TokenMajor)]
    [InlineData(4, 1, 33, 70, 32, true, OnnxAttentionLayout.TokenMajor)]
    [InlineData(4, 2, 1024, 1024, 32, true, OnnxAttentionLayout.TokenMajor)]
    public void GroupedQuery(int heads, int kvHeads, int nq, int nk, int d, bool causal, OnnxAttentionLayout layout)
    {
        var inputs = AttentionInputs.Create(new AttentionShape(heads, nq, nk, d, kvHeads: kvHeads), seed: 110);
        var graph = new StandardAttentionGraph(inputs.Shape) { Layout = layout, IsCausal = causal };
        var onnx = OnnxAttentionOracle.Run(graph, inputs.Q, inputs.K, inputs.V);
        var mask = causal ? AttentionMask.CausalMask(0) : AttentionMask.None;
        AllPathsMatchOracle(inputs, new() { Mask = mask }, onnx, log, causal ? "GQA causal" : "GQA");
    }

    [Fact]
    public void CustomScale()
    {
        var inputs = AttentionInputs.Create(new AttentionShape(2, 19, 23, 16), seed: 111);
        var onnx = OnnxAttentionOracle.Run(new StandardAttentionGraph(inputs.Shape) { Scale = 0.3f }, inputs.Q, inputs.K, inputs.V);
        AllPathsMatchOracle(inputs, new() { Scale = 0.3f }, onnx, log, "scale 0.3");
    }

    /// <summary>
    /// Every mask at once: causal (offset 0, the op's alignment) ∧ key padding ∧ boolean mask, plus an additive bias.
    /// ONNX Runtime gets is_causal and one float attn_mask holding the bias, with -inf wherever the padding or the
    /// boolean mask hides a key.
    /// </summary>
    [Fact]
    public void AllMasksCombined()
    {
        const int heads = 4, kvHeads = 2, nq = 37, nk = 53, realKeys = 41;
        var inputs = AttentionInputs.Create(new AttentionShape(heads, nq, nk, 16, kvHeads: kvHeads), seed: 112);
        var random = new SeededTensors(113);
        var allowed = random.Bernoulli(nq * nk, 0.8);
        var bias = random.Normal(nq * nk);
        var onnxMask = new float[nq * nk];
        for (int i = 0; i < nq; i++)
            for (int j = 0; j < nk; j++)
                onnxMask[i * nk + j] = allowed[i * nk + j] && j < realKeys ? bias[i * nk + j] : float.NegativeInfinity;

        var graph = new StandardAttentionGraph(inputs.Shape) { IsCausal = true, Mask = OnnxMaskInput.Additive };
        var onnx = OnnxAttentionOracle.Run(graph, inputs.Q, inputs.K, inputs.V, onnxMask);
        var mask = new AttentionMask { Causal = true, CausalOffset = 0, KeyLength = realKeys, Allowed = allowed, Bias = bias };
        AllPathsMatchOracle(inputs, new() { Mask = mask }, onnx, log, "all masks");
    }
}
