using Course.Exercises.Framework;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 07: multi-head self-attention without biases. Q = X·W_Q, K = X·W_K, V = X·W_V [n, d_model]; split each
    /// into heads (head h = columns h·d_head … (h+1)·d_head − 1, d_head = d_model / heads); each head runs scaled
    /// dot-product attention with scale 1/√d_head; merge the heads' outputs back to [n, d_model] and multiply by W_O.
    /// </summary>
    /// <param name="multiHeadAttention">
    /// Your function: (X [n, d_model], W_Q, W_K, W_V, W_O [d_model, d_model], heads) → output [n, d_model].
    /// </param>
    public static CheckResult MultiHeadAttention(
        Func<Matrix<float>, Matrix<float>, Matrix<float>, Matrix<float>, Matrix<float>, int, Matrix<float>> multiHeadAttention) =>
        MultiHeadAttentionCheck.Exercise.Run(multiHeadAttention);
}

internal static class MultiHeadAttentionCheck
{
    public sealed record Input(Matrix<float> X, Matrix<float> WQ, Matrix<float> WK, Matrix<float> WV, Matrix<float> WO, int Heads);

    /// <summary>How a (possibly wrong) multi-head layer computes: one function serves the reference and the mistakes.</summary>
    private sealed record Variant
    {
        public bool Interleaved { get; init; }
        public bool OneHead { get; init; }               // heads ignored: one attention of width d_model
        public Func<int, int, double> Scale { get; init; } = (headDim, _) => AttentionMath.DefaultScale(headDim);   // (d_head, d_model) → scale
        public bool OutputProjection { get; init; } = true;
        public bool SoftmaxOverColumns { get; init; }
    }

    public static readonly Exercise<Input, Func<Matrix<float>, Matrix<float>, Matrix<float>, Matrix<float>, Matrix<float>, int, Matrix<float>>> Exercise = new()
    {
        Title = "Multi-head attention (notebook 07)",
        Outputs = [new OutputSpec("output", "n", "d_model") { Axes = ["token", "column"] }],
        Reference = input => [Forward(input, new Variant())],
        Invoke = (mha, input) => [Observe.Matrix(mha(input.X, input.WQ, input.WK, input.WV, input.WO, input.Heads), "output")],
        Cases =
        [
            new("X [4, 8], 2 heads (d_head = 4)", () => Random(121, 4, 8, 2)),
            new("X [5, 12], 3 heads (d_head = 4)", () => Random(122, 5, 12, 3)),
            new("X [3, 6], 1 head", () => Random(123, 3, 6, 1)),
            new("X [6, 16], 4 heads, larger weights (scores around ±30)", () => Random(124, 6, 16, 4, weightScale: 4)),
            new("every score far below 0 (X around +2, W_Q entries around −1, W_K around +1): X [4, 8], 2 heads", () => Random(125, 4, 8, 2, negativeScores: true))
            {
                NonFiniteHint = SoftmaxMistakes.UnderflowHint,
            },
        ],
        Mistakes =
        [
            new("scale-d-model", "Your heads scale the scores by 1/√d_model instead of 1/√d_head.",
                "Each head dots vectors of length d_head, so each head scales by 1/√d_head, d_head = d_model / heads.",
                input => [Forward(input, new Variant { Scale = (_, modelDim) => AttentionMath.DefaultScale(modelDim) })]),
            new("no-scale", "Your heads do not scale the scores (1/√d_head is missing).",
                "Divide each head's scores by √d_head before the softmax.",
                input => [Forward(input, new Variant { Scale = (_, _) => 1 })]),
            new("scale-1-over-d-head", "Your heads scale the scores by 1/d_head instead of 1/√d_head.",
                "The scale is one over the square root of d_head.",
                input => [Forward(input, new Variant { Scale = (headDim, _) => 1.0 / headDim })]),
            new("no-output-projection", "Your output is the merged heads without the output projection W_O.",
                "Finish with `merged * W_O`: it mixes what the heads found.",
                input => [Forward(input, new Variant { OutputProjection = false })]),
            new("interleaved-heads", "Your heads are interleaved (head h takes columns h, h + heads, …) instead of contiguous blocks.",
                "Head h is the block of columns h·d_head … (h+1)·d_head − 1 of Q, K and V, and goes back to the same block when merging.",
                input => [Forward(input, new Variant { Interleaved = true })]),
            new("one-head", "Your output matches a single attention over the full width d_model: the heads are never split.",
                "Split Q, K and V into `heads` blocks of d_head columns and run attention on each block separately.",
                input => [Forward(input, new Variant { OneHead = true, Scale = (_, modelDim) => AttentionMath.DefaultScale(modelDim) })]),
            new("one-head", "Your output matches a single attention over the full width d_model: the heads are never split.",
                "Split Q, K and V into `heads` blocks of d_head columns and run attention on each block separately.",
                input => [Forward(input, new Variant { OneHead = true })]),
            new("softmax-over-columns", "Your heads' softmax runs over the queries (columns sum to 1) instead of over the keys (rows).",
                "Normalise each row of each head's scores.",
                input => [Forward(input, new Variant { SoftmaxOverColumns = true })]),
        ],
        ExceptionHint = "Shapes: Q = X·W_Q is [n, d_model]; head h is `Q.SubMatrix(0, n, h * dHead, dHead)`; each head's output is [n, d_head]; merged [n, d_model]; output = merged·W_O.",
        ShapeHint = "The output has the shape of X: [n, d_model].",
        MismatchHint = "Per head h: Q_h, K_h, V_h = columns h·d_head … of Q, K, V; head_h = softmax(Q_h·K_hᵀ / √d_head)·V_h. Then output = [head_0 | head_1 | …]·W_O.",
    };

    private static Tensor Forward(Input input, Variant variant)
    {
        int modelDim = input.X.ColumnCount, heads = variant.OneHead ? 1 : input.Heads, headDim = modelDim / heads;
        Tensor x = Tensor.From(input.X);                                   // [n, d_model]
        Tensor q = TensorMath.MatMul(x, Tensor.From(input.WQ));            // [n, d_model]
        Tensor k = TensorMath.MatMul(x, Tensor.From(input.WK));
        Tensor v = TensorMath.MatMul(x, Tensor.From(input.WV));
        Tensor[] qh = HeadLayout.Split(q, heads, variant.Interleaved);     // heads × [n, d_head]
        Tensor[] kh = HeadLayout.Split(k, heads, variant.Interleaved);
        Tensor[] vh = HeadLayout.Split(v, heads, variant.Interleaved);
        double scale = variant.Scale(headDim, modelDim);
        var outputs = new Tensor[heads];
        for (int h = 0; h < heads; h++)
        {
            Tensor scores = TensorMath.Scale(TensorMath.MatMul(qh[h], TensorMath.Transpose(kh[h])), scale);   // [n, n]
            Tensor weights = variant.SoftmaxOverColumns ? SoftmaxMath.Columns(scores) : SoftmaxMath.Rows(scores);
            outputs[h] = TensorMath.MatMul(weights, vh[h]);                                                      // [n, d_head]
        }
        Tensor merged = HeadLayout.Merge(outputs, variant.Interleaved);   // [n, d_model]
        return variant.OutputProjection ? TensorMath.MatMul(merged, Tensor.From(input.WO)) : merged;
    }

    // negativeScores: X around +2, W_Q entries around −1 and W_K around +1: in every head every query is negative, every key positive, every score far below 0.
    private static Input Random(int seed, int tokens, int modelDim, int heads, double weightScale = 1, bool negativeScores = false)
    {
        var inputs = new Inputs(seed);
        double scale = weightScale / Math.Sqrt(modelDim), state = negativeScores ? 2 : 0, weight = negativeScores ? 1 : 0;
        return new(inputs.Matrix(tokens, modelDim, 1, state), inputs.Matrix(modelDim, modelDim, scale, -weight), inputs.Matrix(modelDim, modelDim, scale, weight),
            inputs.Matrix(modelDim, modelDim, scale), inputs.Matrix(modelDim, modelDim, scale), heads);
    }
}
