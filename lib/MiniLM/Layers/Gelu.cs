namespace Attention.MiniLM;

/// <summary>
/// GELU, the activation inside BERT's feed-forward layer: GELU(x) = x · Φ(x) = x · ½ (1 + erf(x / √2)), where Φ is
/// the standard normal distribution function. It passes large positive inputs, silences large negative ones, and
/// bends smoothly around zero. This is the exact (erf) form, not the tanh approximation.
/// </summary>
public static class Gelu
{
    /// <summary>
    /// Apply GELU to every element of <paramref name="values"/>, in place. GELU(+∞) = +∞, GELU(−∞) = 0 (its limit),
    /// NaN stays NaN.
    /// </summary>
    public static void Apply(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            float x = values[i];
            float cdf = 0.5f * (1f + Erf(x * 0.70710678f)); // Φ(x); 0.70710678 = 1/√2
            values[i] = cdf == 0f ? 0f : x * cdf;            // Φ(x) underflows to 0 below x ≈ −5.9: the limit, also for −∞ (−∞·0 would be NaN)
        }
    }

    /// <summary>
    /// The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt, by Abramowitz and Stegun's formula 7.1.26:
    /// erf(x) ≈ 1 − (a₁t + a₂t² + a₃t³ + a₄t⁴ + a₅t⁵) e^(−x²) with t = 1 / (1 + p·x), for x ≥ 0 (erf is odd).
    /// Absolute error at most 1.5e-7, below float32 resolution near 1. NaN stays NaN, ±∞ gives ±1.
    /// </summary>
    public static float Erf(float x)
    {
        const double p = 0.3275911, a1 = 0.254829592, a2 = -0.284496736, a3 = 1.421413741, a4 = -1.453152027, a5 = 1.061405429;
        double z = Math.Abs((double)x);
        double t = 1 / (1 + p * z);
        double y = 1 - ((((a5 * t + a4) * t + a3) * t + a2) * t + a1) * t * Math.Exp(-z * z);
        return (float)(x < 0 ? -y : float.IsNaN(x) ? double.NaN : y);
    }
}
