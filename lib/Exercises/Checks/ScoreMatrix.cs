using Course.Exercises.Framework;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 02: the score matrix S = Q·Kᵀ, S[i, j] = q_i · k_j (raw, unscaled).
    /// </summary>
    /// <param name="scores">Your function: (Q [n_q, d_k], K [n_k, d_k]) → S [n_q, n_k].</param>
    public static CheckResult ScoreMatrix(Func<Matrix<float>, Matrix<float>, Matrix<float>> scores) => ScoreMatrixCheck.Exercise.Run(scores);
}

internal static class ScoreMatrixCheck
{
    public sealed record Input(Matrix<float> Q, Matrix<float> K);

    public static readonly Exercise<Input, Func<Matrix<float>, Matrix<float>, Matrix<float>>> Exercise = new()
    {
        Title = "Score matrix S = Q·Kᵀ (notebook 02)",
        Outputs = [new OutputSpec("S", "n_q", "n_k") { Axes = ["query", "key"] }],
        Reference = input => [Scores(input.Q, input.K)],
        Invoke = (scores, input) => [Observe.Matrix(scores(input.Q, input.K), "S")],
        Cases =
        [
            new("Q [4, 4], K [4, 4] (square)", () => Random(12, 4, 4, 4)),
            new("Q [3, 4], K [5, 4] (n_q ≠ n_k)", () => Random(11, 3, 5, 4)),
            new("one query: Q [1, 6], K [7, 6]", () => Random(13, 1, 7, 6)),
            new("Q [5, 2], K [3, 2] (d_k smaller than both lengths)", () => Random(14, 5, 3, 2)),
        ],
        Mistakes =
        [
            new("k-not-transposed", "Your matrix is Q·K: K is not transposed.",
                "Use `Q * K.Transpose()`: S[i, j] is query row i dotted with key row j.",
                input => [TensorMath.MatMul(Tensor.From(input.Q), Tensor.From(input.K))]),
            new("transposed-result", "Your matrix is Sᵀ = K·Qᵀ: its rows are keys instead of queries.",
                "Put the queries first: `Q * K.Transpose()`, so that row i belongs to query i.",
                input => [TensorMath.Transpose(Scores(input.Q, input.K))]),
            new("qt-times-k", "Your matrix is Qᵀ·K [d_k, d_k]: it multiplies feature columns instead of token rows.",
                "Scores compare tokens: `Q * K.Transpose()` gives [n_q, n_k].",
                input => [TensorMath.MatMul(TensorMath.Transpose(Tensor.From(input.Q)), Tensor.From(input.K))]),
            new("scaled", "Your scores are divided by √d_k: this exercise asks for the raw scores Q·Kᵀ (the scaling comes later).",
                "Return `Q * K.Transpose()` without scaling.",
                input => [TensorMath.Scale(Scores(input.Q, input.K), 1 / Math.Sqrt(input.Q.ColumnCount))]),
        ],
        ExceptionHint = "MathNet throws when the shapes do not fit: Q [n_q, d_k] times Kᵀ [d_k, n_k] gives [n_q, n_k]. Did you forget `K.Transpose()`?",
        ShapeHint = "S has one row per query and one column per key: [n_q, n_k] = `Q * K.Transpose()`.",
        MismatchHint = "S[i, j] is the dot product of query row i and key row j: S = Q·Kᵀ.",
    };

    private static Input Random(int seed, int queries, int keys, int headDim)
    {
        var inputs = new Inputs(seed);
        return new(inputs.Matrix(queries, headDim), inputs.Matrix(keys, headDim));
    }

    public static Tensor Scores(Matrix<float> q, Matrix<float> k) =>
        TensorMath.MatMul(Tensor.From(q), TensorMath.Transpose(Tensor.From(k)));   // [n_q, n_k]
}
