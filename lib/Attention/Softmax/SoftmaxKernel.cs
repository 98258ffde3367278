using Attention.Kernels.Simd;

namespace Attention;

/// <summary>
/// The vectorised softmax shared by <see cref="Softmax"/> and the SIMD attention path. No argument checks here:
/// callers have validated lengths and the factor (1 / temperature, or 1 when the logits are already scaled).
/// </summary>
internal static class SoftmaxKernel
{
    /// <summary>probs = softmax(logits · factor) with the special rows of <see cref="Softmax"/>. probs may be logits itself.</summary>
    public static void Forward(ReadOnlySpan<float> logits, Span<float> probs, float factor)
    {
        probs = probs[..logits.Length];
        float max = VectorDriver.Aggregate(logits, new IdentityOperator(), new MaxAggregate());   // NaN if any NaN
        if (max == float.NegativeInfinity) { probs.Clear(); return; }                          // nothing to attend to
        if (!float.IsFinite(max)) { FillUndefinedRow(logits, probs, defined: 0f); return; }     // NaN or +inf present

        // Subtracting the max makes every exponent <= 0: no overflow, and the largest term is exactly 1.
        float sum = VectorDriver.MapAggregate(logits, probs, new ExpOfShiftedOperator(max, factor), new SumAggregate());
        VectorDriver.Map(probs, probs, new ScaleOperator(1f / sum));
    }

    /// <summary>logProbs = log(softmax(logits · factor)), computed without forming the probabilities. logProbs may be logits itself.</summary>
    public static void LogForward(ReadOnlySpan<float> logits, Span<float> logProbs, float factor)
    {
        logProbs = logProbs[..logits.Length];
        float max = VectorDriver.Aggregate(logits, new IdentityOperator(), new MaxAggregate());
        if (max == float.NegativeInfinity) { logProbs.Fill(float.NegativeInfinity); return; }
        if (!float.IsFinite(max)) { FillUndefinedRow(logits, logProbs, defined: float.NegativeInfinity); return; }

        float sum = VectorDriver.Aggregate(logits, new ExpOfShiftedOperator(max, factor), new SumAggregate());
        VectorDriver.Map(logits, logProbs, new LogProbabilityOperator(max, factor, MathF.Log(sum)));
    }

    /// <summary>A row with a NaN or +inf logit: -inf entries keep their defined value (0 or -inf), every other entry is NaN.</summary>
    private static void FillUndefinedRow(ReadOnlySpan<float> logits, Span<float> result, float defined)
    {
        for (int j = 0; j < logits.Length; j++)
            result[j] = logits[j] == float.NegativeInfinity ? defined : float.NaN;
    }
}
