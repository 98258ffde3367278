using Course.Exercises.Framework;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 03: the query, key and value projections Q = X·W_Q, K = X·W_K, V = X·W_V.
    /// </summary>
    /// <param name="project">
    /// Your function: (X [n, d_model], W_Q [d_model, d_k], W_K [d_model, d_k], W_V [d_model, d_v])
    /// → (Q [n, d_k], K [n, d_k], V [n, d_v]); return them as a tuple <c>(q, k, v)</c>.
    /// </param>
    public static CheckResult Projections(
        Func<Matrix<float>, Matrix<float>, Matrix<float>, Matrix<float>, (Matrix<float> Q, Matrix<float> K, Matrix<float> V)> project) =>
        ProjectionsCheck.Exercise.Run(project);
}

internal static class ProjectionsCheck
{
    public sealed record Input(Matrix<float> X, Matrix<float> WQ, Matrix<float> WK, Matrix<float> WV);

    public static readonly Exercise<Input, Func<Matrix<float>, Matrix<float>, Matrix<float>, Matrix<float>, (Matrix<float> Q, Matrix<float> K, Matrix<float> V)>> Exercise = new()
    {
        Title = "Q, K, V projections (notebook 03)",
        Outputs =
        [
            new OutputSpec("Q", "n", "d_k") { Axes = ["token", "column"] },
            new OutputSpec("K", "n", "d_k") { Axes = ["token", "column"] },
            new OutputSpec("V", "n", "d_v") { Axes = ["token", "column"] },
        ],
        Reference = input => Project(input, input.WQ, input.WK, input.WV),
        Invoke = (project, input) =>
        {
            var (q, k, v) = project(input.X, input.WQ, input.WK, input.WV);
            return [Observe.Matrix(q, "Q"), Observe.Matrix(k, "K"), Observe.Matrix(v, "V")];
        },
        Cases =
        [
            new("square weights: X [3, 4], W_Q, W_K, W_V [4, 4]", () => Random(22, 3, 4, 4, 4)),
            new("X [4, 6], W_Q and W_K [6, 3], W_V [6, 2] (d_v ≠ d_k)", () => Random(21, 4, 6, 3, 2)),
            new("one token: X [1, 5], W_Q and W_K [5, 3], W_V [5, 4]", () => Random(23, 1, 5, 3, 4)),
        ],
        Mistakes =
        [
            new("k-v-swapped", "Your K is X·W_V and your V is X·W_K: keys and values are swapped.",
                "K = X·W_K and V = X·W_V; return them in the order (Q, K, V).",
                input => Project(input, input.WQ, input.WV, input.WK)),
            new("same-weight", "Your Q, K and V all use W_Q.",
                "Each projection has its own weights: K uses W_K and V uses W_V.",
                input => Project(input, input.WQ, input.WQ, input.WQ)),
            new("weights-transposed", "Your projections use the transposed weights (X·Wᵀ).",
                "The weights are stored [d_model, d_out] so that Q = X·W_Q reads like the math: no transpose.",
                input => Project(input, input.WQ.Transpose(), input.WK.Transpose(), input.WV.Transpose())),
            new("returned-x", "Your Q, K and V are X itself: no projection was applied.",
                "Multiply: Q = X·W_Q, K = X·W_K, V = X·W_V.",
                input => [Tensor.From(input.X), Tensor.From(input.X), Tensor.From(input.X)]),
        ],
        ExceptionHint = "MathNet throws when shapes do not fit. X [n, d_model] · W [d_model, d_out] = [n, d_out]: X comes first (`x * wQ`).",
        ShapeHint = "Each projection keeps one row per token: Q [n, d_k] = X [n, d_model] · W_Q [d_model, d_k].",
        MismatchHint = "Each projection is one matrix product: Q = X·W_Q, K = X·W_K, V = X·W_V, returned as (Q, K, V).",
    };

    private static Input Random(int seed, int tokens, int modelDim, int headDim, int valueDim)
    {
        var inputs = new Inputs(seed);
        double scale = 1 / Math.Sqrt(modelDim);
        return new(inputs.Matrix(tokens, modelDim), inputs.Matrix(modelDim, headDim, scale),
            inputs.Matrix(modelDim, headDim, scale), inputs.Matrix(modelDim, valueDim, scale));
    }

    private static Tensor[] Project(Input input, Matrix<float> wq, Matrix<float> wk, Matrix<float> wv)
    {
        Tensor x = Tensor.From(input.X);   // [n, d_model]
        return [TensorMath.MatMul(x, Tensor.From(wq)), TensorMath.MatMul(x, Tensor.From(wk)), TensorMath.MatMul(x, Tensor.From(wv))];
    }
}
