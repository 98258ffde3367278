using Attention;

namespace Attention.Tests.TestSupport;

/// <summary>
/// A worst-case forward error bound for scalar float32 attention (standard rounding-error analysis), used to check
/// that the Reference path is right in absolute terms before its error is used to set other paths' tolerances.
/// </summary>
public static class ErrorModel
{
    /// <summary>
    /// With S = max_i ‖q_i‖ · max_j ‖k_j‖ · scale + max |bias| (Cauchy–Schwarz bounds every Σ_d |q_d k_d|) and
    /// u = 2^-24 (unit roundoff): a logit is off by at most δ = (d_k + 2)·u·S, a weight by a relative 4δ + (n_k + 4)·u,
    /// and an output element by max|v| · (4δ + (2 n_k + 8)·u). The bound is doubled for safety; it is still far below
    /// any loose constant for the well-scaled inputs of the tests.
    /// </summary>
    public static double ReferenceBound(AttentionCase c)
    {
        var shape = c.Shape;
        const double u = Tolerance.FloatEpsilon / 2;
        double scale = c.Options.Scale ?? 1f / MathF.Sqrt(shape.HeadDim);
        double maxBias = 0;
        foreach (float b in c.Options.Mask.Bias.Span) if (float.IsFinite(b)) maxBias = Math.Max(maxBias, Math.Abs(b));
        double maxLogit = MaxRowNorm(c.Q, shape.HeadDim) * MaxRowNorm(c.K, shape.HeadDim) * scale;
        double logitError = (shape.HeadDim + 2) * u * (maxLogit + maxBias);
        double maxV = 0;
        foreach (float x in c.V) if (float.IsFinite(x)) maxV = Math.Max(maxV, Math.Abs(x));
        return 2 * maxV * (4 * logitError + (2.0 * shape.KeyLength + 8) * u);
    }

    private static double MaxRowNorm(float[] rows, int width)
    {
        double max = 0;
        for (int start = 0; start < rows.Length; start += width)
        {
            double squares = 0;
            for (int d = 0; d < width; d++) squares += (double)rows[start + d] * rows[start + d];
            if (double.IsFinite(squares)) max = Math.Max(max, Math.Sqrt(squares));   // non-finite rows give NaN rows, not rounding error
        }
        return max;
    }
}
