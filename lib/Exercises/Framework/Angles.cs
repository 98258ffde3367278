namespace Course.Exercises.Framework;

/// <summary>
/// The angles of sinusoidal encodings and RoPE, θ = p · base^(−exponent), in float64, with the float32 error bound of
/// computing them: the exponent's rounding is amplified by ln(base)·|exponent| (base^e has relative error
/// u·|e·ln base|), pow adds 2u and the product with p adds u, so |δθ| ≤ |θ|·(ln(base)·|exponent| + 4)·u.
/// </summary>
internal static class Angles
{
    public const double Base = 10000;

    /// <summary>The angle p·base^(−exponent) and its float32 error bound.</summary>
    public static (double Angle, double Error) Of(double position, double exponent, double @base = Base)
    {
        double angle = position * Math.Pow(@base, -exponent);
        return (angle, Math.Abs(angle) * (Math.Log(@base) * Math.Abs(exponent) + 4) * Float32.U);
    }

    /// <summary>sin or cos of an angle with error bound δθ: |δ| ≤ δθ + 2u (the function's own error, on a result of size ≤ 1).</summary>
    public static double TrigError(double angleError) => angleError + Float32.FunctionError;
}
