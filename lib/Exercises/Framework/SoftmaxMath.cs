namespace Course.Exercises.Framework;

/// <summary>
/// Row-wise softmax in float64 with the float32 error bound of the stable algorithm
/// (subtract the row maximum, exponentiate, divide by the sum).
/// </summary>
/// <remarks>
/// Error model per element j of a row, first order. An error δ_l in logit l moves p_j by
/// p_j·((1 − p_j)·δ_j − Σ_{l≠j} p_l·δ_l): a shift common to every logit cancels, so the weight of a dominant logit stays
/// exact even when its logit is only known to ±1e23 (scores of 1e30). On top of the logits' own errors E_l, the
/// computation rounds s_l − m (u·|s_l − m|), exponentiates (2u), sums positive terms (γ(n)) and divides (u); an error in
/// the maximum m shifts every exponent alike and cancels.
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
        var rounding = new double[cols];   // per entry: rounding of s − m and of exp, relative
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
                rounding[c] = Float32.U * Math.Abs(shifted) + Float32.FunctionError;
            }
            double weightedInput = 0, weightedRounding = 0;   // Σ p_l·E_l and Σ p_l·rounding_l
            for (int c = 0; c < cols; c++)
            {
                if (allowed is not null && !allowed[r, c]) continue;
                double p = values[r * cols + c] /= sum;
                weightedInput += p * s.Error(r, c);
                weightedRounding += p * rounding[c];
            }
            for (int c = 0; c < cols; c++)
            {
                if (allowed is not null && !allowed[r, c]) continue;
                double p = values[r * cols + c], input = s.Error(r, c);
                double fromInputs = (1 - p) * input + Math.Max(0, weightedInput - p * input);   // (1 − p_j)·E_j + Σ_{l≠j} p_l·E_l
                double fromRounding = rounding[c] + weightedRounding + Float32.Gamma(kept) + Float32.U;
                errors[r * cols + c] = p * (fromInputs + fromRounding);
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
        /// <summary>The row's maximum over the allowed entries, found from a start of 0 instead of −∞: right while a row has a positive score, 0/0 on a row whose every score is below about −104.</summary>
        FromZero,
    }

    /// <summary>
    /// A softmax over the allowed entries evaluated in float32 exactly as a learner's code would be, to recognise the
    /// numerical mistakes (NaN and ∞ patterns) that the float64 reference cannot show. The error bound is loose
    /// (10⁻⁴ relative): this result is only compared to name a mistake. With <paramref name="divideMasked"/> the masked
    /// entries are divided by the sum too (0/sum, NaN when the sum is 0), as code that divides the whole row does.
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
            float max = shift switch
            {
                Shift.None => 0,
                Shift.OverallMax => RowMax(r, null, float.NegativeInfinity),
                Shift.MatrixMax => matrixMax,
                Shift.FromZero => RowMax(r, allowed, 0),
                _ => throw new ArgumentOutOfRangeException(nameof(shift), shift, null),
            };
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

        // Row r's largest entry (of the allowed ones when given), found from `start`.
        float RowMax(int r, bool[,]? only, float start)
        {
            float max = start;
            for (int c = 0; c < cols; c++) if (only is null || only[r, c]) max = MathF.Max(max, (float)s[r, c]);
            return max;
        }
    }
}
