using Course.Exercises.Framework;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 02: the dot product a·b = Σᵢ a[i]·b[i] of two vectors of the same length (0 for empty vectors).
    /// </summary>
    /// <param name="dot">Your function: (a [n], b [n]) → a·b.</param>
    public static CheckResult DotProduct(Func<float[], float[], float> dot) => DotProductCheck.Exercise.Run(dot);
}

internal static class DotProductCheck
{
    public sealed record Input(float[] A, float[] B);

    public static readonly Exercise<Input, Func<float[], float[], float>> Exercise = new()
    {
        Title = "Dot product (notebook 02)",
        Outputs = [new OutputSpec("a·b")],
        Reference = input => [Dot(input.A, input.B)],
        Invoke = (dot, input) => [Observe.Scalar(dot(input.A, input.B))],
        Cases =
        [
            new("a = [1, 2, 3], b = [4, −5, 6] (a·b = 12)", () => new([1, 2, 3], [4, -5, 6])),
            new("random vectors of length 8", () => Random(1, 8)),
            new("random vectors of length 33", () => Random(2, 33)),
            new("vectors of length 1: a = [3], b = [−2]", () => new([3], [-2])),
            new("empty vectors (the sum of no products is 0)", () => new([], [])),
        ],
        Mistakes =
        [
            new("last-product-only", "Your result is only the last product a[n−1]·b[n−1]: the products are not added up.",
                "Accumulate: `sum += a[i] * b[i];` (not `sum = a[i] * b[i];`).",
                input => input.A.Length < 2 ? null : [Tensor.Scalar((double)input.A[^1] * input.B[^1])]),
            new("skipped-last", "Your result leaves out the last product: the loop stops one element early.",
                "Loop over every index: `for (int i = 0; i < a.Length; i++)`.",
                input => input.A.Length < 2 ? null : [Dot(input.A[..^1], input.B[..^1])]),
            new("sum-times-sum", "Your result is (Σ a[i])·(Σ b[i]): the sums are multiplied instead of the elements.",
                "Multiply matching elements first, then add: Σᵢ a[i]·b[i].",
                input => input.A.Length < 2 ? null : [Tensor.Scalar(input.A.Sum(x => (double)x) * input.B.Sum(x => (double)x))]),
            new("added-elements", "Your result is Σ (a[i] + b[i]): the elements are added instead of multiplied.",
                "Multiply a[i] by b[i], then add the products.",
                input => input.A.Length < 1 ? null : [Tensor.Scalar(input.A.Zip(input.B, (x, y) => (double)x + y).Sum())]),
            new("used-a-twice", "Your result is Σ a[i]², the dot product of a with itself: b is not used.",
                "Multiply a[i] by b[i].",
                input => input.A.Length < 1 ? null : [Dot(input.A, input.A)]),
        ],
        ExceptionHint = "An IndexOutOfRangeException usually means the loop runs past the end: use `i < a.Length`, and the same index for both vectors.",
        MismatchHint = "The dot product multiplies matching elements and adds all the products: a[0]·b[0] + a[1]·b[1] + … .",
    };

    private static Input Random(int seed, int length)
    {
        var inputs = new Inputs(seed);
        return new(inputs.Vector(length), inputs.Vector(length));
    }

    /// <summary>a·b with its float32 bound, as a scalar.</summary>
    public static Tensor Dot(float[] a, float[] b) =>
        TensorMath.MatMul(Tensor.From(a).Reshape(1, a.Length), Tensor.From(b).Reshape(b.Length, 1)).Reshape();
}
