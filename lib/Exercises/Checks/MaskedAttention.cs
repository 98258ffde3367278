using Course.Exercises.Framework;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 06: attention with a boolean mask, output = softmax(Q·Kᵀ / √d_k over the allowed keys)·V.
    /// allowed[i, j] = <b>true means query i may attend key j</b>. A query with no allowed key gets a zero output row.
    /// </summary>
    /// <param name="maskedAttention">Your function: (Q [n_q, d_k], K [n_k, d_k], V [n_k, d_v], allowed bool [n_q, n_k]) → output [n_q, d_v].</param>
    public static CheckResult MaskedAttention(Func<Matrix<float>, Matrix<float>, Matrix<float>, bool[,], Matrix<float>> maskedAttention) =>
        MaskedAttentionCheck.Exercise.Run(maskedAttention);
}

internal static class MaskedAttentionCheck
{
    public sealed record Input(Matrix<float> Q, Matrix<float> K, Matrix<float> V, bool[,] Allowed);

    public static readonly Exercise<Input, Func<Matrix<float>, Matrix<float>, Matrix<float>, bool[,], Matrix<float>>> Exercise = new()
    {
        Title = "Masked attention (notebook 06)",
        Outputs = [AttentionCheck.Output],
        Reference = input => { var (q, k, v, mask) = Arguments(input); return [AttentionMath.Forward(q, k, v, AttentionMath.DefaultScale(q.Cols), mask).Output]; },
        Invoke = (attention, input) => [Observe.Matrix(attention(input.Q, input.K, input.V, input.Allowed), "output")],
        Cases =
        [
            new("Q [3, 4], K [5, 4], V [5, 2] with a random mask", () => Random(71, 3, 5, 4, 2, r => r.Mask(3, 5))),
            new("causal mask, Q, K, V [4, 3]", () => Random(72, 4, 4, 3, 3, _ => AttentionMath.Causal(4, 4))),
            new("query 1 has no allowed key (its output row is zeros)", () => Random(73, 3, 4, 4, 3, r => { var m = r.Mask(3, 4); for (int j = 0; j < 4; j++) m[1, j] = false; return m; }))
            {
                NonFiniteHint = MaskMistakes.FullyMaskedHint,
                Hint = MaskMistakes.FullyMaskedHint,
            },
            new("large scores (Q entries around ±100) with a random mask", () => Random(74, 3, 6, 8, 2, r => r.Mask(3, 6), queryScale: 100))
            {
                NonFiniteHint = AttentionCheck.LargeScores,
            },
            new("every score far below 0 (Q entries around −100, K around +3) with a random mask",
                () => Random(75, 3, 5, 4, 2, r => r.Mask(3, 5), queryScale: 10, queryOffset: -100, keyOffset: 3))
            {
                NonFiniteHint = SoftmaxMistakes.UnderflowHint,
            },
        ],
        Mistakes = [.. MaskedAttentionMath.Mistakes<Input>(Arguments)],
        ExceptionHint = "Check the shapes: scores = Q·Kᵀ is [n_q, n_k], the same shape as the mask; output = weights·V is [n_q, d_v].",
        ShapeHint = "The output has one row per query and the width of V: [n_q, d_v].",
        MismatchHint = "scores = Q·Kᵀ / √d_k; set scores[i, j] = −∞ where allowed[i, j] is false; softmax each row (a row with no allowed key stays zeros); output = weights·V.",
    };

    private static (Tensor Q, Tensor K, Tensor V, bool[,] Mask) Arguments(Input input) =>
        (Tensor.From(input.Q), Tensor.From(input.K), Tensor.From(input.V), input.Allowed);

    private static Input Random(int seed, int queries, int keys, int headDim, int valueDim, Func<Inputs, bool[,]> mask,
        double queryScale = 1, double queryOffset = 0, double keyOffset = 0)
    {
        var inputs = new Inputs(seed);
        return new(inputs.Matrix(queries, headDim, queryScale, queryOffset), inputs.Matrix(keys, headDim, 1, keyOffset), inputs.Matrix(keys, valueDim), mask(inputs));
    }
}
