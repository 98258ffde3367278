using Course.Exercises.Framework;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 07: merge heads [heads][n, d_head] back into [n, heads·d_head], head h in columns h·d_head … (h+1)·d_head − 1:
    /// the inverse of the split.
    /// </summary>
    /// <param name="mergeHeads">Your function: an array of heads matrices [n, d_head] → [n, heads·d_head].</param>
    public static CheckResult MergeHeads(Func<Matrix<float>[], Matrix<float>> mergeHeads) => MergeHeadsCheck.Exercise.Run(mergeHeads);
}

internal static class MergeHeadsCheck
{
    public static readonly Exercise<Matrix<float>[], Func<Matrix<float>[], Matrix<float>>> Exercise = new()
    {
        Title = "Merge heads (notebook 07)",
        Outputs = [new OutputSpec("merged", "n", "d_model") { Axes = ["row", "column"] }],
        Reference = heads => [HeadLayout.Merge(Parts(heads))],
        Invoke = (merge, heads) => [Observe.Matrix(merge(heads), "merged")],
        Cases =
        [
            new("2 heads of [4, 3]", () => Random(111, 2, 4, 3)),
            new("4 heads of [3, 2]", () => Random(112, 4, 3, 2)),
            new("1 head of [5, 4] (merged is the head itself)", () => Random(113, 1, 5, 4)),
            new("3 heads of [1, 2] (one token)", () => Random(114, 3, 1, 2)),
        ],
        Mistakes =
        [
            new("interleaved", "Your merge interleaves the heads' columns (head h to columns h, h + heads, …) instead of placing them side by side.",
                "Head h goes to the block of columns h·d_head … (h+1)·d_head − 1.",
                heads => [HeadLayout.Merge(Parts(heads), interleaved: true)]),
            new("stacked-rows", "You stacked the heads vertically ([heads·n, d_head]) instead of side by side.",
                "Concatenate along the columns: each token's row is [head 0 | head 1 | …].",
                heads => [TensorMath.Transpose(HeadLayout.Merge(Parts(heads).Select(TensorMath.Transpose).ToArray()))]),
            new("reversed-order", "Your merge puts the heads in reverse order.",
                "Head 0 comes first (columns 0 … d_head − 1).",
                heads => [HeadLayout.Merge(Parts(heads).Reverse().ToArray())]),
        ],
        ExceptionHint = "Create `Matrix<float>.Build.Dense(n, heads.Length * dHead)` and copy head h into columns h·d_head … with `SetSubMatrix(0, h * dHead, heads[h])`.",
        ShapeHint = "The merged matrix keeps the n rows and puts the heads side by side: [n, heads·d_head].",
        MismatchHint = "merged[i, h·d_head + j] = heads[h][i, j].",
    };

    private static Tensor[] Parts(Matrix<float>[] heads) => heads.Select(Tensor.From).ToArray();

    private static Matrix<float>[] Random(int seed, int heads, int rows, int headDim)
    {
        var inputs = new Inputs(seed);
        return Enumerable.Range(0, heads).Select(_ => inputs.Matrix(rows, headDim)).ToArray();
    }
}
