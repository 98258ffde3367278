namespace Attention.Tests.TestSupport;

/// <summary>
/// Tolerances derived from the float32 reference's own error, never loose constants:
/// a fast path may be at most twice as far from float64 as the scalar float32 reference is, plus a small floor
/// of a few float32 ulps of the largest output (cases the reference happens to get exactly right).
/// </summary>
public static class Tolerance
{
    /// <summary>Largest |actual - expected|; NaN where exactly one side is NaN counts as infinite error.</summary>
    public static double MaxAbsError(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected)
    {
        if (actual.Length != expected.Length) throw new ArgumentException($"lengths differ: {actual.Length} vs {expected.Length}");
        double max = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            if (double.IsNaN(expected[i]) && float.IsNaN(actual[i])) continue;
            if (expected[i] == actual[i]) continue;  // equal infinities
            double error = Math.Abs(actual[i] - expected[i]);
            if (!(error <= max)) max = double.IsNaN(error) ? double.PositiveInfinity : error;
        }
        return max;
    }

    /// <summary>Largest finite |x| (the scale of the floor).</summary>
    public static double MaxAbs(ReadOnlySpan<double> values)
    {
        double max = 0;
        foreach (double x in values) if (double.IsFinite(x)) max = Math.Max(max, Math.Abs(x));
        return max;
    }

    /// <summary>2 × the float32 reference's error + 8 float32 epsilons of the largest expected magnitude.</summary>
    public static double Derived(double referenceError, ReadOnlySpan<double> expected) =>
        2 * referenceError + 8 * FloatEpsilon * Math.Max(MaxAbs(expected), 1e-30);

    /// <summary>
    /// For an attention output, whose elements are weighted sums Σ_j w_j·v_j: the floor is 8 epsilons of the larger of
    /// the largest expected value and <paramref name="termMagnitude"/> = the largest Σ_j w_j·|v_j|. A float32 sum is only
    /// accurate to a few ulps of its terms' magnitude, which exceeds |output| when the terms cancel; a reference that
    /// happens to land within 1e-9 of such an output then says nothing about how close another summation order may get.
    /// </summary>
    public static double DerivedForWeightedSums(double referenceError, ReadOnlySpan<double> expected, double termMagnitude) =>
        2 * referenceError + 8 * FloatEpsilon * Math.Max(Math.Max(MaxAbs(expected), termMagnitude), 1e-30);

    /// <summary>float32 machine epsilon (2^-23), the spacing of floats just above 1.</summary>
    public const double FloatEpsilon = 1.0 / (1 << 23);

    /// <summary>Assert every element is within <paramref name="tolerance"/> (NaN where NaN is expected), naming the first offender.</summary>
    public static void AssertClose(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            bool ok = double.IsNaN(expected[i])
                ? float.IsNaN(actual[i])
                : expected[i] == actual[i] || Math.Abs(actual[i] - expected[i]) <= tolerance;
            if (!ok)
                Assert.Fail($"{what}[{i}] = {actual[i]:R}, expected {expected[i]:R}: error {Math.Abs(actual[i] - expected[i]):E3} > tolerance {tolerance:E3}");
        }
    }
}
