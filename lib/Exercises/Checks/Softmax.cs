using Course.Exercises.Framework;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 04: a numerically stable softmax of a vector, softmax(x)[i] = exp(x[i] − max x) / Σⱼ exp(x[j] − max x).
    /// The cases include logits of ±1000 and 1e30, where exp without the max subtraction overflows or underflows.
    /// </summary>
    /// <param name="softmax">Your function: logits x [n] → probabilities [n] (n ≥ 1).</param>
    public static CheckResult Softmax(Func<float[], float[]> softmax) => SoftmaxCheck.Exercise.Run(softmax);
}

internal static class SoftmaxCheck
{
    public const string Overflow =
        "exp(1000) is ∞ in float32 (exp overflows above 88.7) and ∞/∞ is NaN. Softmax does not change when the same number is subtracted from every logit: subtract the maximum first, so that the largest exponent is exp(0) = 1.";

    public static readonly Exercise<float[], Func<float[], float[]>> Exercise = new()
    {
        Title = "Softmax (notebook 04)",
        Outputs = [new OutputSpec("softmax(x)", "n")],
        Reference = x => [SoftmaxMath.Vector(Tensor.From(x))],
        Invoke = (softmax, x) => [Observe.Vector(softmax(x), "softmax(x)")],
        Cases =
        [
            new("x = [1, 2, 3]", () => [1, 2, 3]),
            new("random logits, length 10", () => new Inputs(31).Vector(10, 2)),
            new("equal logits [0.5, 0.5, 0.5, 0.5] (uniform: 0.25 each)", () => [0.5f, 0.5f, 0.5f, 0.5f]),
            new("a single logit [42] (softmax is [1])", () => [42]),
            new("large logits [1000, 1001, 999]", () => [1000, 1001, 999]) { NonFiniteHint = Overflow, Hint = Overflow },
            new("very negative logits [−1000, −1001, −1002]", () => [-1000, -1001, -1002]) { NonFiniteHint = SoftmaxMistakes.UnderflowHint, Hint = SoftmaxMistakes.UnderflowHint },
            new("huge logits [1e30, −1e30, 0, 1e30] (answer [0.5, 0, 0, 0.5])", () => [1e30f, -1e30f, 0, 1e30f]) { NonFiniteHint = Overflow, Hint = Overflow },
        ],
        Mistakes = [.. SoftmaxMistakes.Along<float[]>(Tensor.From)],
        Rules = [Rules.ProbabilityRows<float[]>(0)],
        ExceptionHint = "Work on a copy or a new array of the same length as x; an empty Max() or an index past the end throws.",
        ShapeHint = "Return one probability per logit: an array as long as x.",
        MismatchHint = "softmax(x)[i] = exp(x[i] − m) / Σⱼ exp(x[j] − m) with m = max x: subtract, exponentiate, then divide by the sum.",
    };
}
