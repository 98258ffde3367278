using System.Numerics;

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
    private const float InverseRoot2 = 0.70710678f;

    /// <summary>
    /// Apply GELU to every element of <paramref name="values"/>, in place: whole vectors of <see cref="Vector{T}"/>
    /// floats at a time, then the last few one by one. GELU(+∞) = +∞, GELU(−∞) = 0 (its limit), NaN stays NaN.
    /// Error: |x|/2 · 1.1e-6 at most (the float32 vector form of <see cref="Erf"/>), plus float32 rounding.
    /// </summary>
    public static void Apply(Span<float> values)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var half = new Vector<float>(0.5f);
            for (; i + Vector<float>.Count <= values.Length; i += Vector<float>.Count)
            {
                var x = new Vector<float>(values.Slice(i));
                var cdf = half * (Vector<float>.One + ErfVector(x * new Vector<float>(InverseRoot2))); // Φ(x)
                // Φ(x) is exactly 0 below x ≈ −5.3 in float32: the limit 0 (also for −∞, where −∞·0 would be NaN).
                Vector.ConditionalSelect(Vector.Equals(cdf, Vector<float>.Zero), Vector<float>.Zero, x * cdf).CopyTo(values.Slice(i));
            }
        }
        for (; i < values.Length; i++)
        {
            float x = values[i];
            float cdf = 0.5f * (1f + Erf(x * InverseRoot2));
            values[i] = cdf == 0f ? 0f : x * cdf;
        }
    }

    /// <summary>
    /// The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt, by Abramowitz and Stegun's formula 7.1.26 (erf is odd, so for
    /// x ≥ 0): erf(x) ≈ 1 − (a₁t + a₂t² + a₃t³ + a₄t⁴ + a₅t⁵)·e^(−x²) with t = 1 / (1 + p·x). Evaluated in float64 here:
    /// absolute error at most 1.5e-7 (the formula's) plus float32 rounding of the result. NaN stays NaN, ±∞ gives ±1.
    /// </summary>
    public static float Erf(float x)
    {
        double z = Math.Abs((double)x);
        double t = 1 / (1 + P * z);
        double y = 1 - ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t * Math.Exp(-z * z);
        return (float)(x < 0 ? -y : float.IsNaN(x) ? double.NaN : y);
    }

    /// <summary>
    /// <see cref="Erf"/>'s formula on a vector of floats, evaluated in float32: about 15 float32 roundings (≈ 15 · 2⁻²⁴
    /// ≈ 9e-7) on top of the formula's 1.5e-7. NaN stays NaN (the comparisons below are false for NaN, and NaN propagates).
    /// </summary>
    internal static Vector<float> ErfVector(Vector<float> x)
    {
        var z = Vector.Abs(x);
        var t = Vector<float>.One / (Vector<float>.One + new Vector<float>(P) * z);
        var polynomial = ((((new Vector<float>(A5) * t + new Vector<float>(A4)) * t + new Vector<float>(A3)) * t + new Vector<float>(A2)) * t + new Vector<float>(A1)) * t;
        var y = Vector<float>.One - polynomial * Vector.Exp(-(z * z));
        return Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero), -y, y);
    }
}
