namespace Course.Exercises.Framework;

/// <summary>The typical mistakes of a softmax along the last axis, shared by the vector, row-wise and temperature exercises.</summary>
internal static class SoftmaxMistakes
{
    /// <summary>The hint of every case whose scores are all far below 0.</summary>
    public const string UnderflowHint =
        "Here a row's scores are all far below 0, and exp underflows to 0 below about −104 in float32: the sum is 0 and 0/0 is NaN. Subtract the row's maximum first, so that its largest exponent is exp(0) = 1; find it starting from −∞ (float.NegativeInfinity) or the row's first score, not from 0, which stays the \"maximum\" when every score is negative.";

    public const string MaxFromZeroDiagnosis =
        "Your softmax is 0/0 on a row whose every score is far below 0 (exp underflows to 0 below about −104): it matches a row maximum that starts at 0 instead of −∞, which stays the \"maximum\" when every score is negative. (Not subtracting the maximum at all fails here the same way.)";

    /// <summary>The maximum started at 0 (listed before no-max-subtraction: on scores that are all negative the two give the same NaN, and only this one passes large positive scores).</summary>
    public static Tensor MaxFromZero(Tensor scores, bool[,]? allowed, bool divideMasked = false) =>
        SoftmaxMath.Float32Rows(scores, allowed, SoftmaxMath.Shift.FromZero, divideMasked);

    /// <summary>
    /// Mistakes of softmax(logits) where <paramref name="logits"/> extracts the logits (a vector [n] or a matrix,
    /// softmax along each row) from the input; the mistakes' outputs have the logits' shape.
    /// </summary>
    public static IEnumerable<Mistake<TInput>> Along<TInput>(Func<TInput, Tensor> logits)
    {
        yield return new("max-from-zero", MaxFromZeroDiagnosis, UnderflowHint, input => [Row(logits(input), s => MaxFromZero(s, null))]);
        yield return new("no-max-subtraction",
            "Your softmax overflows: without subtracting the maximum, exp of a large logit is ∞ in float32 (exp overflows above 88.7) and ∞/∞ is NaN; very negative logits underflow to 0/0.",
            "Softmax does not change when the same number is subtracted from every logit of a row. Subtract the row's maximum first: the largest exponent becomes exp(0) = 1 and nothing overflows.",
            input => [Row(logits(input), s => SoftmaxMath.Float32Rows(s, null, SoftmaxMath.Shift.None))]);
        yield return new("not-normalised",
            "Your values are exponentials that were never divided by their sum.",
            "After exponentiating, divide every value by the sum of the exponentials (of its row), so the result sums to 1.",
            input => [Row(logits(input), s => Map(s, x => Math.Exp(x)))]);
        yield return new("not-normalised",
            "Your values are exp(x − max) that were never divided by their sum.",
            "After exponentiating, divide every value by the sum of the exponentials (of its row), so the result sums to 1.",
            input => [Row(logits(input), s => ShiftedExp(s))]);
        yield return new("no-exp",
            "Your result divides the logits by their sum without exponentiating them.",
            "Exponentiate first (exp makes every value positive), then divide by the sum of the exponentials.",
            input => [Row(logits(input), s => DivideBySum(s))]);
        yield return new("negated",
            "Your result is softmax(−x): the smallest logit gets the largest probability.",
            "Use exp(x − max), not exp(max − x): a larger logit must give a larger probability.",
            input => [Row(logits(input), s => SoftmaxMath.Rows(Map(s, x => -x)))]);
    }

    /// <summary>Apply a row-wise function to a vector (as one row) or a matrix, keeping the shape.</summary>
    private static Tensor Row(Tensor t, Func<Tensor, Tensor> rows) =>
        t.Rank == 1 ? rows(t.Reshape(1, t.Count)).Reshape(t.Count) : rows(t);

    private static Tensor Map(Tensor t, Func<double, double> f)
    {
        var values = t.Values.Select(f).ToArray();
        return new Tensor(t.Shape, values, values.Select(v => 4 * Float32.U * Math.Abs(v)).ToArray());
    }

    private static Tensor ShiftedExp(Tensor s)
    {
        var values = new double[s.Count];
        for (int r = 0; r < s.Rows; r++)
        {
            double max = Enumerable.Range(0, s.Cols).Max(c => s[r, c]);
            for (int c = 0; c < s.Cols; c++) values[r * s.Cols + c] = Math.Exp(s[r, c] - max);
        }
        return new Tensor(s.Shape, values, values.Select(v => 4 * Float32.U * Math.Abs(v)).ToArray());
    }

    private static Tensor DivideBySum(Tensor s)
    {
        var values = new double[s.Count];
        for (int r = 0; r < s.Rows; r++)
        {
            double sum = Enumerable.Range(0, s.Cols).Sum(c => s[r, c]);
            for (int c = 0; c < s.Cols; c++) values[r * s.Cols + c] = s[r, c] / sum;
        }
        return new Tensor(s.Shape, values, values.Select(v => 4 * Float32.U * Math.Abs(v)).ToArray());
    }
}
