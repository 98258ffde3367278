using Course.Exercises.Framework;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 11: the online softmax statistics of a row of logits that arrives in blocks. Return the row's maximum
    /// m and the sum l = Σⱼ exp(x[j] − m), computed in one pass: keep a running (m, l); when a block raises the maximum,
    /// rescale l by exp(m_old − m_new). The stream can be read once and each block array is only valid until the next
    /// one is read (a reused buffer). Blocks may be empty or hold −∞ (masked logits); if every logit is −∞ the answer is
    /// (−∞, 0).
    /// </summary>
    /// <param name="onlineSoftmax">Your function: blocks of logits → (Max, Sum).</param>
    public static CheckResult OnlineSoftmax(Func<IEnumerable<float[]>, (float Max, float Sum)> onlineSoftmax) => OnlineSoftmaxCheck.Exercise.Run(onlineSoftmax);
}

internal static class OnlineSoftmaxCheck
{
    private const string MinusInfinity =
        "The running maximum starts at −∞; while it is still −∞, exp(m_old − m_new) is exp(−∞ − (−∞)) = NaN. Skip the rescale while the running sum is 0 (or m_old is −∞), and keep (−∞, 0) when every logit is −∞.";

    public static readonly OutputSpec[] Outputs = [new OutputSpec("Max"), new OutputSpec("Sum")];

    public static readonly Exercise<float[][], Func<IEnumerable<float[]>, (float Max, float Sum)>> Exercise = new()
    {
        Title = "Online softmax (notebook 11)",
        Outputs = Outputs,
        Reference = Statistics,
        Invoke = (online, blocks) => { var (max, sum) = online(new BlockStream(blocks)); return [Observe.Scalar(max), Observe.Scalar(sum)]; },
        Cases =
        [
            new("three blocks of 3, 2 and 4 logits", () => Blocks(151, 3, 2, 4)),
            new("the maximum arrives in the last block: [−1, 0.5], [1, 2], [4, 6]", () => [[-1, 0.5f], [1, 2], [4, 6]]),
            new("large logits (around 1000) in blocks of 2, 3, 2", () => Blocks(153, [2, 3, 2], offset: 1000)) { NonFiniteHint = SoftmaxCheck.Overflow },
            new("one block of 6 logits", () => Blocks(154, 6)),
            new("blocks of one logit each", () => Blocks(155, 1, 1, 1, 1, 1)),
            new("the first block is fully masked: [−∞, −∞], [1, 2], [0.5]", () => [[float.NegativeInfinity, float.NegativeInfinity], [1, 2], [0.5f]])
            {
                NonFiniteHint = MinusInfinity, Hint = MinusInfinity,
            },
            new("an empty block in the middle: [1, 2], [], [3]", () => [[1, 2], [], [3]]),
            new("every logit is −∞ (a fully masked row): (−∞, 0)", () => [[float.NegativeInfinity], [float.NegativeInfinity, float.NegativeInfinity]])
            {
                NonFiniteHint = MinusInfinity, Hint = MinusInfinity,
            },
        ],
        Mistakes =
        [
            new("no-rescale", "Your sum is not rescaled when the maximum grows: terms added before a new maximum keep their old, too large, scale.",
                "When a block raises the maximum from m_old to m_new, multiply the running sum by exp(m_old − m_new) before adding the block's terms.",
                blocks => Running(blocks, (sum, oldMax, newMax) => sum, perElement: false)),
            new("no-rescale", "Your sum is not rescaled when the maximum grows: terms added before a new maximum keep their old, too large, scale.",
                "When the maximum grows from m_old to m_new, multiply the running sum by exp(m_old − m_new) before adding the new terms.",
                blocks => Running(blocks, (sum, oldMax, newMax) => sum, perElement: true)),
            new("rescale-inverted", "Your sum is rescaled by exp(m_new − m_old) instead of exp(m_old − m_new).",
                "The old terms were exp(x − m_old); to express them against m_new multiply by exp(m_old − m_new) ≤ 1.",
                blocks => Running(blocks, (sum, oldMax, newMax) => sum * Math.Exp(newMax - oldMax), perElement: false)),
            new("first-block-maximum", "Your maximum is that of the first block only.",
                "Update the running maximum with every block: m = max(m, max of block).",
                blocks => FirstBlockMaximum(blocks)),
            new("sum-without-max", "Your sum is Σ exp(x) without subtracting the maximum.",
                "Sum exp(x − m), where m is the (final) maximum: this keeps the sum finite for large logits.",
                blocks => { var max = Max(blocks); return [Tensor.Scalar(max), Tensor.Scalar(blocks.SelectMany(b => b).Sum(x => Math.Exp(x)))]; }),
            new("stored-blocks", "Your result reads blocks after the stream moved on: each block array is a reused buffer, valid only until the next block is read.",
                "Process each block as it arrives (update the running maximum and sum), without keeping the arrays.",
                blocks => Statistics(Overwritten(blocks))),
        ],
        ExceptionHint = "`foreach (float[] block in blocks)` reads the stream once; inside it, update a running maximum m and a running sum l.",
        MismatchHint = "For each block: m_new = max(m, max of block); l = l·exp(m − m_new) + Σ exp(x − m_new) over the block; m = m_new. Return (m, l).",
    };

    /// <summary>The exact maximum (error 0) and l = Σ exp(x − m) with the float32 bound of a streaming computation.</summary>
    /// <remarks>
    /// Bound of l, relative: each term's exp (u·|x − m| + 2u), the rescales along the way (their exponents add up to at
    /// most m − the first finite logit, rounded with u each, plus 3u per rescale, at most one per element) and the sum of
    /// positive terms γ(2n).
    /// </remarks>
    public static Tensor[] Statistics(float[][] blocks)
    {
        double max = Max(blocks);
        double[] all = blocks.SelectMany(b => b.Select(x => (double)x)).ToArray();
        if (double.IsNegativeInfinity(max)) return [Tensor.Scalar(max), Tensor.Scalar(0)];
        double sum = all.Sum(x => Math.Exp(x - max));
        double first = all.First(double.IsFinite);
        double relative = Float32.Gamma(2 * all.Length) + 3 * Float32.U * all.Length + Float32.U * (max - first)
            + all.Where(double.IsFinite).Sum(x => Math.Exp(x - max) / sum * (Float32.U * (max - x) + Float32.FunctionError));
        return [Tensor.Scalar(max), Tensor.Scalar(sum, sum * relative)];
    }

    private static double Max(float[][] blocks) => blocks.SelectMany(b => b).Select(x => (double)x).DefaultIfEmpty(double.NegativeInfinity).Max();

    /// <summary>A streaming (max, sum) whose rescale is <paramref name="rescale"/>(sum, m_old, m_new), per block or per element.</summary>
    private static Tensor[] Running(float[][] blocks, Func<double, double, double, double> rescale, bool perElement)
    {
        double max = double.NegativeInfinity, sum = 0;
        IEnumerable<double[]> steps = perElement
            ? blocks.SelectMany(b => b).Select(x => new[] { (double)x })
            : blocks.Select(b => b.Select(x => (double)x).ToArray());
        foreach (double[] step in steps)
        {
            if (step.Length == 0) continue;
            double newMax = Math.Max(max, step.Max());
            if (double.IsNegativeInfinity(newMax)) continue;
            if (sum != 0 && newMax != max) sum = rescale(sum, max, newMax);
            sum += step.Sum(x => Math.Exp(x - newMax));
            max = newMax;
        }
        return [Tensor.Scalar(max), Tensor.Scalar(sum, 1e-6 * sum)];
    }

    private static Tensor[]? FirstBlockMaximum(float[][] blocks)
    {
        float[] first = blocks.First(b => b.Length > 0);
        double max = first.Max();
        return [Tensor.Scalar(max), Tensor.Scalar(blocks.SelectMany(b => b).Sum(x => Math.Exp(x - max)))];
    }

    /// <summary>What code that keeps the block arrays sees at the end: every block overwritten by the last block of its length.</summary>
    private static float[][] Overwritten(float[][] blocks) =>
        blocks.Select(b => blocks.Last(other => other.Length == b.Length)).ToArray();

    private static float[][] Blocks(int seed, params int[] lengths) => Blocks(seed, lengths, 0);

    private static float[][] Blocks(int seed, int[] lengths, double offset)
    {
        var inputs = new Inputs(seed);
        return lengths.Select(n => inputs.Vector(n, 2).Select(x => (float)(x + offset)).ToArray()).ToArray();
    }
}
