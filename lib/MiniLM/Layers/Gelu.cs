using System.Runtime.CompilerServices;
using Attention.Kernels.Simd;

namespace Attention.MiniLM;

/// <summary>
/// GELU, the activation inside BERT's feed-forward layer: GELU(x) = x · Φ(x) = x · ½ (1 + erf(x / √2)), where Φ is
/// the standard normal distribution function. It passes large positive inputs, silences large negative ones, and
/// bends smoothly around zero. This is the exact (erf) form, not the tanh approximation.
/// </summary>
public static class Gelu
{
    // Abramowitz and Stegun, formula 7.1.26.
    private const float P = 0.3275911f, A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f, A4 = -1.453152027f, A5 = 1.061405429f;

    /// <summary>
    /// Apply GELU to every element of <paramref name="values"/>, in place, in float32: whole vectors of the widest
    /// width the machine has (16 floats with AVX-512), then the last few with the same formula one float at a time
    /// (<see cref="VectorDriver"/>). GELU(+∞) = +∞, GELU(−∞) = 0 (its limit), NaN stays NaN.
    /// Error: |x|/2 · 1.1e-6 at most (<see cref="Erf{TW, TVec}"/>), plus float32 rounding.
    /// </summary>
    public static void Apply(Span<float> values) => VectorDriver.Map(values, values, new GeluOperator());

    /// <summary>
    /// The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt, by Abramowitz and Stegun's formula 7.1.26 (erf is odd, so for
    /// x ≥ 0): erf(x) ≈ 1 − (a₁t + a₂t² + a₃t³ + a₄t⁴ + a₅t⁵)·e^(−x²) with t = 1 / (1 + p·x). Evaluated in float64 here,
    /// the readable reference of <see cref="Erf{TW, TVec}"/>: absolute error at most 1.5e-7 (the formula's) plus float32
    /// rounding of the result. NaN stays NaN, ±∞ gives ±1.
    /// </summary>
    public static float Erf(float x)
    {
        double z = Math.Abs((double)x);
        double t = 1 / (1 + P * z);
        double y = 1 - ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t * Math.Exp(-z * z);
        return (float)(x < 0 ? -y : float.IsNaN(x) ? double.NaN : y);
    }

    /// <summary>
    /// <see cref="Erf(float)"/>'s formula in float32 on one vector (or one float: the same body serves every width):
    /// about 15 float32 roundings (≈ 15 · 2⁻²⁴ ≈ 9e-7) on top of the formula's 1.5e-7. NaN stays NaN, ±∞ gives ±1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec Erf<TW, TVec>(TVec x) where TW : IVectorWidth<TVec> where TVec : struct
    {
        TVec one = TW.Broadcast(1f);
        TVec z = TW.Abs(x);
        TVec t = TW.Divide(one, TW.MultiplyAdd(TW.Broadcast(P), z, one));                 // 1 / (1 + p·z)
        TVec polynomial = TW.MultiplyAdd(TW.Broadcast(A5), t, TW.Broadcast(A4));
        polynomial = TW.MultiplyAdd(polynomial, t, TW.Broadcast(A3));
        polynomial = TW.MultiplyAdd(polynomial, t, TW.Broadcast(A2));
        polynomial = TW.MultiplyAdd(polynomial, t, TW.Broadcast(A1));
        polynomial = TW.Multiply(polynomial, t);
        TVec y = TW.Subtract(one, TW.Multiply(polynomial, VectorMath.Exp<TW, TVec>(TW.Subtract(TW.Zero, TW.Multiply(z, z)))));
        return TW.CopySign(y, x);                                                         // erf is odd
    }
}

/// <summary>GELU(x) = x · Φ(x), Φ(x) = ½ (1 + erf(x / √2)), lane by lane (<see cref="Gelu.Apply"/>).</summary>
internal readonly struct GeluOperator : IMapOperator
{
    private const float InverseRoot2 = 0.70710678f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Invoke<TW, TVec>(TVec x) where TW : IVectorWidth<TVec> where TVec : struct
    {
        TVec half = TW.Broadcast(0.5f);
        TVec cdf = TW.MultiplyAdd(half, Gelu.Erf<TW, TVec>(TW.Multiply(x, TW.Broadcast(InverseRoot2))), half);   // Φ(x)
        // Φ(x) is exactly 0 below x ≈ −5.3 in float32: the limit 0 (also for −∞, where −∞·0 would be NaN).
        return TW.ZeroWhereLess(cdf, float.Epsilon, TW.Multiply(x, cdf));
    }
}
