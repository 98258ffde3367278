using Course.Exercises.Framework;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 04: softmax with temperature, softmax(x / T): T &lt; 1 sharpens the distribution, T &gt; 1 flattens it.
    /// Stable for large logits.
    /// </summary>
    /// <param name="softmax">Your function: (logits x [n], temperature T &gt; 0) → probabilities [n].</param>
    public static CheckResult SoftmaxWithTemperature(Func<float[], float, float[]> softmax) => SoftmaxWithTemperatureCheck.Exercise.Run(softmax);
}

internal static class SoftmaxWithTemperatureCheck
{
    public sealed record Input(float[] X, float Temperature);

    public static readonly Exercise<Input, Func<float[], float, float[]>> Exercise = new()
    {
        Title = "Softmax with temperature (notebook 04)",
        Outputs = [new OutputSpec("softmax(x / T)", "n")],
        Reference = input => [SoftmaxMath.Vector(Scaled(input))],
        Invoke = (softmax, input) => [Observe.Vector(softmax(input.X, input.Temperature), "softmax(x / T)")],
        Cases =
        [
            new("x = [1, 2, 3], T = 1 (plain softmax)", () => new([1, 2, 3], 1)),
            new("random logits, T = 0.5 (sharper)", () => new(new Inputs(46).Vector(6, 2), 0.5f)),
            new("random logits, T = 2 (flatter)", () => new(new Inputs(47).Vector(6, 2), 2)),
            new("random logits, T = 10 (close to uniform)", () => new(new Inputs(48).Vector(6, 2), 10)),
            new("x = [1, 2, 3], T = 0.1 (close to one-hot)", () => new([1, 2, 3], 0.1f)),
            new("large logits [1000, 999, 998], T = 0.7", () => new([1000, 999, 998], 0.7f)) { NonFiniteHint = SoftmaxCheck.Overflow, Hint = SoftmaxCheck.Overflow },
            new("very negative logits [−1000, −999, −998], T = 0.7", () => new([-1000, -999, -998], 0.7f)) { NonFiniteHint = SoftmaxMistakes.UnderflowHint },
        ],
        Mistakes =
        [
            new("multiplied-by-temperature", "Your result is softmax(x·T): the logits are multiplied by T instead of divided.",
                "Divide the logits by T: a small temperature must sharpen the distribution, a large one flatten it.",
                input => [SoftmaxMath.Vector(TensorMath.Scale(Tensor.From(input.X), input.Temperature))]),
            new("temperature-ignored", "Your result is softmax(x): the temperature has no effect.",
                "Divide every logit by T before the softmax.",
                input => [SoftmaxMath.Vector(Tensor.From(input.X))]),
            new("temperature-after-softmax", "Your result is softmax(x) / T: the temperature is applied to the probabilities.",
                "The temperature divides the logits, before the softmax; the result must still sum to 1.",
                input => [TensorMath.Scale(SoftmaxMath.Vector(Tensor.From(input.X)), 1 / input.Temperature)]),
            .. SoftmaxMistakes.Along<Input>(Scaled),
        ],
        Rules = [Rules.ProbabilityRows<Input>(0)],
        ExceptionHint = "Divide each logit by T into a new array, then apply your stable softmax to it.",
        ShapeHint = "Return one probability per logit: an array as long as x.",
        MismatchHint = "Compute z = x / T, then the stable softmax of z: exp(z[i] − max z) / Σⱼ exp(z[j] − max z).",
    };

    private static Tensor Scaled(Input input) => TensorMath.Scale(Tensor.From(input.X), 1 / (double)input.Temperature);   // [n]
}
