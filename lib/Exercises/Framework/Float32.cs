namespace Course.Exercises.Framework;

/// <summary>
/// The float32 rounding model behind every tolerance: a correct float32 computation of x ∘ y returns
/// (x ∘ y)(1 + δ) with |δ| ≤ u. The bounds built from it (Higham, "Accuracy and Stability of Numerical
/// Algorithms", ch. 3) hold whatever order the learner sums in, with or without FMA.
/// </summary>
internal static class Float32
{
    /// <summary>Unit roundoff of float32: 2⁻²⁴ ≈ 6.0e-8.</summary>
    public const double U = 1.0 / (1 << 24);

    /// <summary>γ(n) = n·u / (1 − n·u): bound on the relative error of n chained roundings (a length-n dot product).</summary>
    public static double Gamma(int n) => n * U / (1 - n * U);

    /// <summary>Relative error of one float32 elementary function (MathF.Exp, Sin, Cos, Pow): 1 ulp = 2u.</summary>
    public const double FunctionError = 2 * U;

    /// <summary>
    /// Absolute slack under every tolerance: float32 results below ~1e-38 are subnormal or flushed to zero where
    /// float64 still carries digits (exp(−100) is 3.7e-44 in float64 and may be 0 in float32).
    /// </summary>
    public const double Floor = 1e-30;

    /// <summary>Comparisons accept twice the first-order bound: second-order terms and a learner's different operation order.</summary>
    public const double Safety = 2;
}
