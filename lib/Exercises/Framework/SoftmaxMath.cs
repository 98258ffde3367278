namespace Course.Exercises.Framework;

/// <summary>
/// Row-wise softmax in float64 with the float32 error bound of the stable algorithm
/// (subtract the row maximum, exponentiate, divide by the sum).
/// </summary>
/// <remarks>
/// Error model per element j of a row, first order:
/// <list type="bullet">
/// <item>the logit's own error e_j and the rounding of s_j − m (u·|s_j − m|) shift the exponent: relative error e_j + u·|s_j − m| + 2u (exp);</item>
/// <item>an error in the maximum m shifts every exponent alike and cancels in the ratio;</item>
/// <item>the sum of positive terms adds Σ p_j·rel_j + γ(n); the division adds u.</item>
/// </list>
/// </remarks>
internal static class SoftmaxMath
{
    /// <summary>
    /// Softmax of each row of s [rows, cols] over the entries <paramref name="allowed"/> marks true (all when null).
    /// Masked entries are exactly 0; a row with no allowed entry is all zeros (the course library's convention).
    /// </summary>
    public static Tensor Rows(Tensor s, bool[,]? allowed = null)
    {
        int rows = s.Rows, cols = s.Cols;
        var values = new double[s.Count];
        var errors = new double[s.Count];
        var relative = new double[cols];
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity;
            int kept = 0;
            for (int c = 0; c < cols; c++)
                if (allowed is null || allowed[r, c]) { max = Math.Max(max, s[r, c]); kept++; }
            if (kept == 0) continue;   // fully masked: zeros, exact

            double sum = 0;
            for (int c = 0; c < cols; c++)
            {
                if (allowed is not null && !allowed[r, c]) continue;
                double shifted = s[r, c] - max;
                values[r * cols + c] = Math.Exp(shifted);
                sum += values[r * cols + c];
                relative[c] = s.Error(r, c) + Float32.U * Math.Abs(shifted) + Float32.FunctionError;
            }
            double sumRelative = Float32.Gamma(kept);
            for (int c = 0; c < cols; c++)
            {
                if (allowed is not null && !allowed[r, c]) continue;
                values[r * cols + c] /= sum;
                sumRelative += values[r * cols + c] * relative[c];
            }
            for (int c = 0; c < cols; c++)
            {
                if (allowed is not null && !allowed[r, c]) continue;
                double p = values[r * cols + c];
                errors[r * cols + c] = p * (relative[c] + sumRelative + Float32.U);
            }
        }
        return new Tensor([rows, cols], values, errors);
    }

    /// <summary>Softmax of a vector [n] (one row).</summary>
    public static Tensor Vector(Tensor x) => Rows(x.Reshape(1, x.Count)).Reshape(x.Count);

    /// <summary>Softmax down each column of s [rows, cols]: the wrong-axis variant of <see cref="Rows"/>.</summary>
    public static Tensor Columns(Tensor s) => TensorMath.Transpose(Rows(TensorMath.Transpose(s)));

    /// <summary>What a float32 softmax subtracts before exponentiating, for <see cref="Float32Rows"/>.</summary>
    public enum Shift
    {
        /// <summary>Nothing: exp(s) overflows above ~88.7 and underflows to 0/0 below ~−103.</summary>
        None,
        /// <summary>The maximum over every entry of the row, masked ones included: a large masked score makes the allowed exps underflow.</summary>
        OverallMax,
        /// <summary>One maximum for the whole matrix: rows far below it underflow to 0/0.</summary>
        MatrixMax,
    }

    /// <summary>
    /// A softmax over the allowed entries evaluated in float32 exactly as a learner's code would be, to recognise the
    /// numerical mistakes (NaN and ∞ patterns) that the float64 reference cannot show. The error bound is loose
    /// (10⁻⁴ relative): this result is only compared to name a mistake.
    /// </summary>
    public static Tensor Float32Rows(Tensor s, bool[,]? allowed, Shift shift, bool divideMasked = false)
    {
        int rows = s.Rows, cols = s.Cols;
        var values = new double[s.Count];
        var errors = new double[s.Count];
        var exps = new float[cols];
        float matrixMax = s.Values.Select(v => (float)v).DefaultIfEmpty(0).Max();
        for (int r = 0; r < rows; r++)
        {
            float max = float.NegativeInfinity;
            for (int c = 0; c < cols; c++) max = MathF.Max(max, (float)s[r, c]);
            if (shift == Shift.None) max = 0;
            if (shift == Shift.MatrixMax) max = matrixMax;
            float sum = 0;
            for (int c = 0; c < cols; c++)
            {
                if (allowed is not null && !allowed[r, c]) continue;
                exps[c] = MathF.Exp((float)s[r, c] - max);
                sum += exps[c];
            }
            for (int c = 0; c < cols; c++)
            {
                if (allowed is not null && !allowed[r, c])
                {
                    if (divideMasked) values[r * cols + c] = 0 / sum;
                    continue;
                }
                values[r * cols + c] = exps[c] / sum;
                errors[r * cols + c] = 1e-4 * Math.Abs(values[r * cols + c]);
            }
        }
        return new Tensor([rows, cols], values, errors);
    }
}
