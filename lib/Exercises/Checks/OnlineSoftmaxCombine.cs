using Course.Exercises.Framework;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 11: combine the online softmax statistics of two parts of a row. Each part has its maximum m and its
    /// sum l = Σ exp(x − m); the whole row has m = max(m₁, m₂) and l = l₁·exp(m₁ − m) + l₂·exp(m₂ − m). An empty (or
    /// fully masked) part is (−∞, 0) and must leave the other part unchanged; two empty parts give (−∞, 0).
    /// </summary>
    /// <param name="combine">Your function: ((Max, Sum) of part 1, (Max, Sum) of part 2) → (Max, Sum) of both.</param>
    public static CheckResult OnlineSoftmaxCombine(Func<(float Max, float Sum), (float Max, float Sum), (float Max, float Sum)> combine) =>
        OnlineSoftmaxCombineCheck.Exercise.Run(combine);
}

internal static class OnlineSoftmaxCombineCheck
{
    public sealed record Input((float Max, float Sum) First, (float Max, float Sum) Second);

    private const string EmptyPart =
        "An empty part is (−∞, 0): exp(−∞ − m) = 0 is fine, but when both maxima are −∞, exp(−∞ − (−∞)) is NaN. Give a part with sum 0 (or maximum −∞) a weight of 0 without computing its exp.";

    public static readonly Exercise<Input, Func<(float Max, float Sum), (float Max, float Sum), (float Max, float Sum)>> Exercise = new()
    {
        Title = "Combining online softmax statistics (notebook 11)",
        Outputs = OnlineSoftmaxCheck.Outputs,
        Reference = input => Combine(input, (l, m, max) => l * Math.Exp(m - max), Math.Max),
        Invoke = (combine, input) => { var (max, sum) = combine(input.First, input.Second); return [Observe.Scalar(max), Observe.Scalar(sum)]; },
        Cases =
        [
            new("(m, l) = (2, 3.5) and (1, 2): the first part has the maximum", () => new((2, 3.5f), (1, 2))),
            new("(0.5, 1.25) and (3, 4): the second part has the maximum", () => new((0.5f, 1.25f), (3, 4))),
            new("equal maxima: (1.5, 2) and (1.5, 3)", () => new((1.5f, 2), (1.5f, 3))),
            new("large maxima: (1000, 1.5) and (990, 7)", () => new((1000, 1.5f), (990, 7))) { NonFiniteHint = SoftmaxCheck.Overflow },
            new("an empty part: (−∞, 0) and (2, 3)", () => new((float.NegativeInfinity, 0), (2, 3))) { NonFiniteHint = EmptyPart, Hint = EmptyPart },
            new("two empty parts: (−∞, 0) and (−∞, 0) give (−∞, 0)", () => new((float.NegativeInfinity, 0), (float.NegativeInfinity, 0))) { NonFiniteHint = EmptyPart, Hint = EmptyPart },
            new("very different maxima: (1e30, 1) and (0, 5)", () => new((1e30f, 1), (0, 5))),
        ],
        Mistakes =
        [
            new("no-rescale", "Your sum is l₁ + l₂: the two sums are added without rescaling them to the common maximum.",
                "Each l was summed against its own maximum: l = l₁·exp(m₁ − m) + l₂·exp(m₂ − m) with m = max(m₁, m₂).",
                input => Combine(input, (l, _, _) => l, Math.Max)),
            new("rescale-inverted", "Your sum rescales by exp(m − mᵢ) instead of exp(mᵢ − m).",
                "The part with the smaller maximum shrinks: multiply its l by exp(mᵢ − m) ≤ 1.",
                input => Combine(input, (l, m, max) => l * Math.Exp(max - m), Math.Max)),
            new("minimum", "Your maximum is the smaller of the two maxima.",
                "m = max(m₁, m₂): `MathF.Max`.",
                input => Combine(input, (l, m, max) => l * Math.Exp(m - max), Math.Min)),
            new("larger-part-only", "Your sum is only that of the part with the larger maximum: the other part is dropped.",
                "Add both parts, each rescaled: l₁·exp(m₁ − m) + l₂·exp(m₂ − m).",
                input => Combine(input, (l, m, max) => m == max ? l : 0, Math.Max)),
            new("exp-of-maxima", "Your sum is l₁·exp(m₁) + l₂·exp(m₂): the common maximum is not subtracted.",
                "Use exp(mᵢ − m), m = max(m₁, m₂): the exponents stay ≤ 0 and never overflow.",
                input => Combine(input, (l, m, _) => l * Math.Exp(m), Math.Max)),
        ],
        ExceptionHint = "Compute m = MathF.Max(a.Max, b.Max), then each part's l times exp(its max − m); return (m, sum).",
        MismatchHint = "m = max(m₁, m₂); l = l₁·exp(m₁ − m) + l₂·exp(m₂ − m); return (m, l).",
    };

    /// <summary>
    /// (max, Σ term(lᵢ, mᵢ, max)) over the two parts, where a part with l = 0 contributes nothing. The bound of the
    /// reference's sum: each term's exponent rounded (u·|mᵢ − m|), its exp (2u), the product and the sum (u each).
    /// </summary>
    private static Tensor[] Combine(Input input, Func<double, double, double, double> term, Func<double, double, double> pickMax)
    {
        (double m1, double l1) = input.First;
        (double m2, double l2) = input.Second;
        double max = pickMax(m1, m2);
        double sum = 0, error = 0;
        foreach (var (m, l) in new[] { (m1, l1), (m2, l2) })
        {
            if (l == 0) continue;
            double value = term(l, m, max);
            sum += value;
            error += Math.Abs(value) * (Float32.U * Math.Abs(m - max) + Float32.FunctionError + 2 * Float32.U);
        }
        return [Tensor.Scalar(max), Tensor.Scalar(sum, error)];
    }
}
