using Course.Exercises.Framework;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 02: cosine similarity cos(a, b) = a·b / (‖a‖·‖b‖), with ‖a‖ = √(Σ a[i]²): 1 for the same direction,
    /// −1 for opposite directions, 0 for orthogonal vectors, whatever the lengths. The inputs are never zero vectors.
    /// </summary>
    /// <param name="cosine">Your function: (a [n], b [n]) → cos(a, b).</param>
    public static CheckResult CosineSimilarity(Func<float[], float[], float> cosine) => CosineSimilarityCheck.Exercise.Run(cosine);
}

internal static class CosineSimilarityCheck
{
    public sealed record Input(float[] A, float[] B);

    public static readonly Exercise<Input, Func<float[], float[], float>> Exercise = new()
    {
        Title = "Cosine similarity (notebook 02)",
        Outputs = [new OutputSpec("cos(a, b)")],
        Reference = input => [Cosine(input.A, input.B)],
        Invoke = (cosine, input) => [Observe.Scalar(cosine(input.A, input.B))],
        Cases =
        [
            new("a = [1, 2, 3], b = [2, 4, 6] (same direction: 1)", () => new([1, 2, 3], [2, 4, 6])),
            new("a = [1, 0, −1], b = [−2, 0, 2] (opposite directions: −1)", () => new([1, 0, -1], [-2, 0, 2])),
            new("a = [1, 2, 0], b = [−2, 1, 5] (orthogonal: 0)", () => new([1, 2, 0], [-2, 1, 5])),
            new("random vectors of length 16", () => { var r = new Inputs(3); return new(r.Vector(16), r.Vector(16)); }),
            new("random vectors of very different lengths (‖b‖ ≈ 1000·‖a‖)", () => { var r = new Inputs(4); return new(r.Vector(8), r.Vector(8, 1000)); }),
        ],
        Mistakes =
        [
            new("not-normalised", "Your result is the plain dot product a·b: it is not divided by the lengths.",
                "Divide by ‖a‖·‖b‖, where ‖a‖ = √(Σ a[i]²).",
                input => [DotProductCheck.Dot(input.A, input.B)]),
            new("one-length-only", "Your result is a·b divided by only one of the two lengths.",
                "Divide by the product of both lengths: ‖a‖·‖b‖.",
                input => [Tensor.Scalar(Dot(input.A, input.B) / Norm(input.A))]),
            new("one-length-only", "Your result is a·b divided by only one of the two lengths.",
                "Divide by the product of both lengths: ‖a‖·‖b‖.",
                input => [Tensor.Scalar(Dot(input.A, input.B) / Norm(input.B))]),
            new("squared-lengths", "Your result is a·b / (Σa²·Σb²): the lengths are squared (the square root is missing).",
                "‖a‖ is the square root of Σ a[i]²: use `MathF.Sqrt`.",
                input => [Tensor.Scalar(Dot(input.A, input.B) / (Dot(input.A, input.A) * Dot(input.B, input.B)))]),
        ],
        ExceptionHint = "Compute three sums in one loop (Σ a[i]·b[i], Σ a[i]², Σ b[i]²), then divide.",
        MismatchHint = "cos(a, b) = (Σ a[i]·b[i]) / (√(Σ a[i]²) · √(Σ b[i]²)).",
        NonFiniteHint = "NaN or ∞ means a division by zero: are the two lengths computed from a and b (not from a − b or an empty sum)?",
    };

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
    private static double Norm(float[] a) => Math.Sqrt(Dot(a, a));

    /// <summary>
    /// cos(a, b) with its float32 bound: the dot product's γ(n+2)·Σ|a·b| relative to ‖a‖‖b‖, plus the relative errors of
    /// the two sums of squares (γ(n+2) between them after the square roots) and of sqrt, multiply and divide (4u).
    /// </summary>
    private static Tensor Cosine(float[] a, float[] b)
    {
        int n = a.Length;
        double lengths = Norm(a) * Norm(b), value = Dot(a, b) / lengths;
        double magnitude = a.Zip(b, (x, y) => Math.Abs((double)x * y)).Sum();
        double bound = Float32.Gamma(n + 2) * magnitude / lengths + Math.Abs(value) * (Float32.Gamma(n + 2) + 4 * Float32.U);
        return Tensor.Scalar(value, bound);
    }
}
