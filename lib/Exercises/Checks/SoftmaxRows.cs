using Course.Exercises.Framework;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 04: the stable softmax of every row of a matrix, each row on its own (each row of the result sums to 1).
    /// </summary>
    /// <param name="softmaxRows">Your function: S [rows, cols] → softmax of each row [rows, cols].</param>
    public static CheckResult SoftmaxRows(Func<Matrix<float>, Matrix<float>> softmaxRows) => SoftmaxRowsCheck.Exercise.Run(softmaxRows);
}

internal static class SoftmaxRowsCheck
{
    public static readonly Exercise<Matrix<float>, Func<Matrix<float>, Matrix<float>>> Exercise = new()
    {
        Title = "Row-wise softmax (notebook 04)",
        Outputs = [new OutputSpec("softmax(S)", "rows", "cols") { Axes = ["row", "column"] }],
        Reference = s => [SoftmaxMath.Rows(Tensor.From(s))],
        Invoke = (softmax, s) => [Observe.Matrix(softmax(s), "softmax(S)")],
        Cases =
        [
            new("S [3, 4]", () => new Inputs(41).Matrix(3, 4, 2)),
            new("S [4, 4] (square)", () => new Inputs(42).Matrix(4, 4, 2)),
            new("one row: S [1, 5]", () => new Inputs(43).Matrix(1, 5, 2)),
            new("one column: S [4, 1] (every row is [1])", () => new Inputs(44).Matrix(4, 1, 2)),
            new("row 1 holds large logits [1000, 1001, 999]", () => LargeRow()) { NonFiniteHint = SoftmaxCheck.Overflow, Hint = SoftmaxCheck.Overflow },
            new("row 0 holds very negative logits [−1000, −1001, −999]", () => { var s = new Inputs(49).Matrix(2, 3, 2); s.SetRow(0, [-1000f, -1001f, -999f]); return s; })
            {
                NonFiniteHint = SoftmaxMistakes.UnderflowHint,
            },
        ],
        Mistakes =
        [
            new("softmax-over-columns", "Each column of your result sums to 1 instead of each row: the softmax runs down the columns.",
                "Normalise every row on its own: for row i, divide exp(S[i, j] − max of row i) by the sum over j of row i.",
                s => [SoftmaxMath.Columns(Tensor.From(s))]),
            new("whole-matrix", "Your whole matrix sums to 1: the softmax normalised over all elements at once instead of row by row.",
                "Compute the maximum and the sum separately for each row.",
                s => [SoftmaxMath.Vector(Tensor.From(s).Reshape(s.RowCount * s.ColumnCount)).Reshape(s.RowCount, s.ColumnCount)]),
            // Before matrix-maximum: on a case with one row far below 0 a maximum started at 0 gives the same NaN as the whole
            // matrix's maximum, and only the latter already failed on the large-logits case before it.
            .. SoftmaxMistakes.Along<Matrix<float>>(Tensor.From),
            new("matrix-maximum", "Your softmax subtracts one maximum for the whole matrix: a row far below it has every exp underflow to 0, and 0/0 is NaN.",
                "Subtract each row's own maximum: the softmax of a row only depends on that row.",
                s => [SoftmaxMath.Float32Rows(Tensor.From(s), null, SoftmaxMath.Shift.MatrixMax)]),
        ],
        Rules = [Rules.ProbabilityRows<Matrix<float>>(0)],
        ExceptionHint = "Build the result with `Matrix<float>.Build.Dense(S.RowCount, S.ColumnCount)` and fill it row by row.",
        ShapeHint = "The result has the shape of S: one probability per score.",
        MismatchHint = "For each row i: m = max of row i; result[i, j] = exp(S[i, j] − m) / Σⱼ exp(S[i, j] − m).",
    };

    private static Matrix<float> LargeRow()
    {
        var s = new Inputs(45).Matrix(3, 3, 2);
        s.SetRow(1, [1000f, 1001f, 999f]);
        return s;
    }
}
