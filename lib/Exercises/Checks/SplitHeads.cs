using Course.Exercises.Framework;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 07: split [n, d_model] into heads [heads][n, d_head], d_head = d_model / heads. Head h is the contiguous
    /// block of columns h·d_head … (h+1)·d_head − 1 (the layout of the course library's MultiHeadAttention.SplitHeads).
    /// </summary>
    /// <param name="splitHeads">Your function: (x [n, d_model], heads) → an array of <c>heads</c> matrices [n, d_head].</param>
    public static CheckResult SplitHeads(Func<Matrix<float>, int, Matrix<float>[]> splitHeads) => SplitHeadsCheck.Exercise.Run(splitHeads);
}

internal static class SplitHeadsCheck
{
    public sealed record Input(Matrix<float> X, int Heads);

    public static readonly Exercise<Input, Func<Matrix<float>, int, Matrix<float>[]>> Exercise = new()
    {
        Title = "Split heads (notebook 07)",
        Outputs = [new OutputSpec("heads", "heads", "n", "d_head") { Axes = ["head", "row", "column"], Jagged = true }],
        Reference = input => [TensorMath.Stack(HeadLayout.Split(Tensor.From(input.X), input.Heads))],
        Invoke = (split, input) => [Observe.Matrices(split(input.X, input.Heads), "heads")],
        Cases =
        [
            new("x [4, 6], 2 heads (d_head = 3)", () => new(new Inputs(101).Matrix(4, 6), 2)),
            new("x [3, 8], 4 heads (d_head = 2)", () => new(new Inputs(102).Matrix(3, 8), 4)),
            new("x [5, 4], 1 head (the head is x itself)", () => new(new Inputs(103).Matrix(5, 4), 1)),
            new("x [1, 6], 3 heads (one token)", () => new(new Inputs(104).Matrix(1, 6), 3)),
        ],
        Mistakes =
        [
            new("interleaved", "Your heads take every heads-th column (interleaved) instead of contiguous blocks of columns.",
                "Head h is the block of columns h·d_head … (h+1)·d_head − 1: `x.SubMatrix(0, n, h * dHead, dHead)`.",
                input => [TensorMath.Stack(HeadLayout.Split(Tensor.From(input.X), input.Heads, interleaved: true))]),
            new("heads-transposed", "Each of your heads is transposed: [d_head, n] instead of [n, d_head].",
                "Keep the tokens as rows: each head is [n, d_head].",
                input => [TensorMath.Stack(HeadLayout.Split(Tensor.From(input.X), input.Heads).Select(TensorMath.Transpose).ToArray())]),
            new("heads-and-width-swapped", "You made d_head heads of width heads: the number of heads and the head width are swapped.",
                "There are `heads` matrices, each d_head = d_model / heads columns wide.",
                input => [TensorMath.Stack(HeadLayout.Split(Tensor.From(input.X), input.X.ColumnCount / input.Heads))]),
            new("rows-split", "You split the tokens (rows) instead of the features (columns).",
                "Every head sees every token: split the columns, keep all n rows in each head.",
                input => input.X.RowCount % input.Heads != 0 ? null
                    : [TensorMath.Stack(HeadLayout.Split(TensorMath.Transpose(Tensor.From(input.X)), input.Heads).Select(TensorMath.Transpose).ToArray())]),
        ],
        ExceptionHint = "d_head = x.ColumnCount / heads; head h = `x.SubMatrix(0, x.RowCount, h * dHead, dHead)` (rowIndex, rowCount, columnIndex, columnCount).",
        ShapeHint = "Return `heads` matrices, each [n, d_head]: the same rows as x, d_head = d_model / heads columns.",
        MismatchHint = "Head h is columns h·d_head … (h+1)·d_head − 1 of x, all rows.",
    };
}
