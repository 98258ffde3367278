using Attention.OracleTests.Onnx;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Attention.Benchmarks.Runners;

/// <summary>
/// Attention spelled out as plain ONNX operators, the way an exporter writes it without a fused attention op:
/// <code>
/// S = MatMul(Q, Transpose(K)) · scale      [1, kvHeads, group, n, n]
/// S = S + mask                             (causal only: 0 on and below the diagonal, -inf above)
/// Y = MatMul(Softmax(S), V)                [1, kvHeads, group, n, d]
/// </code>
/// Inputs Q [1, kvHeads, group, n, d] (the library's [heads, n, d] memory as it is), K and V [1, kvHeads, 1, n, d]
/// (broadcast over the group: GQA without copies), mask [n, n]; output Y, again [heads, n, d] memory.
/// ONNX Runtime fuses Transpose + MatMul + Mul into one FusedMatMul; the score matrix is held whole.
/// </summary>
public sealed record MatMulSoftmaxGraph(AttentionShape Shape, bool Causal)
{
    public long[] QueryDims => [1, Shape.KvHeads, Shape.GroupSize, Shape.QueryLength, Shape.HeadDim];
    public long[] KeyDims => [1, Shape.KvHeads, 1, Shape.KeyLength, Shape.HeadDim];
    public long[] ValueDims => [1, Shape.KvHeads, 1, Shape.KeyLength, Shape.ValueDim];
    public long[] OutputDims => [1, Shape.KvHeads, Shape.GroupSize, Shape.QueryLength, Shape.ValueDim];
    public long[] MaskDims => [Shape.QueryLength, Shape.KeyLength];

    public byte[] Build()
    {
        var model = new OnnxModelBuilder("matmul_softmax_matmul", StandardAttentionGraph.Opset);
        string q = model.Input("Q", DataType.Float, QueryDims);
        string k = model.Input("K", DataType.Float, KeyDims);
        string v = model.Input("V", DataType.Float, ValueDims);
        string scale = model.Initializer("scale", [1f / MathF.Sqrt(Shape.HeadDim)]);

        var perm = new AttributeProto { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints };
        perm.Ints.AddRange([0, 1, 2, 4, 3]);
        model.Node("Transpose", [k], ["K_t"], attributes: perm);                 // [1, kvHeads, 1, d, n]
        model.Node("MatMul", [q, "K_t"], ["scores"]);                             // [1, kvHeads, group, n, n]
        model.Node("Mul", ["scores", scale], ["scaled"]);
        string logits = "scaled";
        if (Causal)
        {
            string mask = model.Input("mask", DataType.Float, MaskDims);
            model.Node("Add", ["scaled", mask], ["masked"]);
            logits = "masked";
        }
        model.Node("Softmax", [logits], ["probs"], attributes: OnnxModelBuilder.IntAttribute("axis", -1));
        model.Node("MatMul", ["probs", v], [model.Output("Y")]);                 // [1, kvHeads, group, n, d]
        return model.ToBytes();
    }

    /// <summary>The additive causal mask [n, n]: 0 where key j ≤ query i, -inf above the diagonal.</summary>
    public float[] CausalMask()
    {
        int n = Shape.QueryLength;
        var mask = new float[n * Shape.KeyLength];
        for (int i = 0; i < n; i++)
            mask.AsSpan(i * Shape.KeyLength + i + 1, Shape.KeyLength - i - 1).Fill(float.NegativeInfinity);
        return mask;
    }
}
