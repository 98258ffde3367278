using Course.Exercises.Framework;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 05: scaled dot-product attention, output = softmax(Q·Kᵀ / √d_k)·V, the softmax along each row.
    /// Cases include n_q ≠ n_k, d_k ≠ d_v, a single query and key, d_k = 64, scores in the hundreds and around 1e29, and scores that are all far below 0 (where a maximum started at 0 instead of −∞ gives 0/0).
    /// </summary>
    /// <param name="attention">Your function: (Q [n_q, d_k], K [n_k, d_k], V [n_k, d_v]) → output [n_q, d_v].</param>
    public static CheckResult Attention(Func<Matrix<float>, Matrix<float>, Matrix<float>, Matrix<float>> attention) =>
        AttentionCheck.OutputOnly.Run(attention);

    /// <summary>
    /// Notebook 05: scaled dot-product attention returning both the output and the weights:
    /// weights = softmax(Q·Kᵀ / √d_k) (each row sums to 1), output = weights·V.
    /// </summary>
    /// <param name="attention">
    /// Your function: (Q [n_q, d_k], K [n_k, d_k], V [n_k, d_v]) → (output [n_q, d_v], weights [n_q, n_k]);
    /// return the tuple <c>(output, weights)</c>.
    /// </param>
    public static CheckResult AttentionWithWeights(Func<Matrix<float>, Matrix<float>, Matrix<float>, (Matrix<float> Output, Matrix<float> Weights)> attention) =>
        AttentionCheck.WithWeights.Run(attention);
}

internal static class AttentionCheck
{
    public sealed record Input(Matrix<float> Q, Matrix<float> K, Matrix<float> V);

    public const string LargeScores =
        "These scores are large: exp(score) overflows float32 above 88.7 and ∞/∞ is NaN. Subtract each row's maximum score before exp.";

    public static readonly OutputSpec Output = new("output", "n_q", "d_v") { Axes = ["query", "column"] };
    public static readonly OutputSpec Weights = new("weights", "n_q", "n_k") { Axes = ["query", "key"] };

    public static readonly IReadOnlyList<Case<Input>> Cases =
    [
        new("Q, K, V [4, 4] (all square)", () => Random(52, 4, 4, 4, 4)),
        new("Q [3, 4], K [5, 4], V [5, 2] (n_q ≠ n_k, d_k ≠ d_v)", () => Random(51, 3, 5, 4, 2)),
        new("one query and one key: Q [1, 3], K [1, 3], V [1, 5] (the output is V's row)", () => Random(53, 1, 1, 3, 5)),
        new("d_k = 64: Q [2, 64], K [6, 64], V [6, 3]", () => Random(54, 2, 6, 64, 3)),
        new("large scores: Q [3, 8] with entries around ±100, K [4, 8], V [4, 3]", () => Random(55, 3, 4, 8, 3, queryScale: 100))
        {
            NonFiniteHint = LargeScores,
        },
        new("huge scores: Q [2, 4] with entries around ±1e29, K [5, 4], V [5, 2] (each query's weight is all on one key)", () => Random(56, 2, 5, 4, 2, queryScale: 1e29))
        {
            NonFiniteHint = LargeScores,
        },
        new("every score far below 0: Q [3, 4] entries around −100, K [4, 4] entries around +3 (scores around −600)",
            () => Random(57, 3, 4, 4, 2, queryScale: 10, queryOffset: -100, keyOffset: 3))
        {
            NonFiniteHint = SoftmaxMistakes.UnderflowHint,
        },
    ];

    private const string ExceptionHint =
        "Check the shapes: Q [n_q, d_k] · Kᵀ [d_k, n_k] = scores [n_q, n_k]; weights [n_q, n_k] · V [n_k, d_v] = output [n_q, d_v]. `K.Transpose()` is needed.";
    private const string MismatchHint =
        "Go step by step: scores = Q·Kᵀ / √d_k (d_k = Q.ColumnCount), weights = softmax of each row of the scores, output = weights·V. Print the weights: does every row sum to 1?";

    public static readonly Exercise<Input, Func<Matrix<float>, Matrix<float>, Matrix<float>, Matrix<float>>> OutputOnly = new()
    {
        Title = "Scaled dot-product attention (notebook 05)",
        Outputs = [Output],
        Reference = input => [Reference(input).Output],
        Invoke = (attention, input) => [Observe.Matrix(attention(input.Q, input.K, input.V), "output")],
        Cases = Cases,
        Mistakes = [.. AttentionMistakes.For<Input>(AttentionMistakes.Formula, Arguments, (result, _) => [result.Output])],
        ExceptionHint = ExceptionHint,
        ShapeHint = "The output has one row per query and the width of V: [n_q, d_v].",
        MismatchHint = MismatchHint,
    };

    // Compared weights first: scale, axis and overflow mistakes start there; the output is checked once the weights are right.
    public static readonly Exercise<Input, Func<Matrix<float>, Matrix<float>, Matrix<float>, (Matrix<float> Output, Matrix<float> Weights)>> WithWeights = new()
    {
        Title = "Scaled dot-product attention with weights (notebook 05)",
        Outputs = [Weights, Output],
        Reference = input => { var (output, weights) = Reference(input); return [weights, output]; },
        Invoke = (attention, input) =>
        {
            var (output, weights) = attention(input.Q, input.K, input.V);
            return [Observe.Matrix(weights, "weights"), Observe.Matrix(output, "output")];
        },
        Cases = Cases,
        Mistakes =
        [
            new("tuple-swapped", "You returned (weights, output): the tuple's order is (output, weights).",
                "Return `(output, weights)`.",
                input => { var (output, weights) = Reference(input); return [output, weights]; }),
            .. AttentionMistakes.For<Input>(AttentionMistakes.Formula, Arguments, (result, _) => [result.Weights, result.Output]),
        ],
        Rules = [Rules.ProbabilityRows<Input>(0)],
        ExceptionHint = ExceptionHint,
        ShapeHint = "Return (output, weights) in that order: output is [n_q, d_v] (one row per query, the width of V); weights is [n_q, n_k] (one row per query, one column per key).",
        MismatchHint = MismatchHint,
    };

    private static (Tensor Q, Tensor K, Tensor V, bool[,]? Mask) Arguments(Input input) =>
        (Tensor.From(input.Q), Tensor.From(input.K), Tensor.From(input.V), null);

    private static (Tensor Output, Tensor Weights) Reference(Input input) =>
        AttentionMath.Forward(Tensor.From(input.Q), Tensor.From(input.K), Tensor.From(input.V), AttentionMath.DefaultScale(input.Q.ColumnCount));

    private static Input Random(int seed, int queries, int keys, int headDim, int valueDim, double queryScale = 1, double queryOffset = 0, double keyOffset = 0)
    {
        var inputs = new Inputs(seed);
        return new(inputs.Matrix(queries, headDim, queryScale, queryOffset), inputs.Matrix(keys, headDim, 1, keyOffset), inputs.Matrix(keys, valueDim));
    }
}
