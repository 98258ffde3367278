namespace Course.Exercises.Framework;

/// <summary>A typical masking mistake: the weights it gives from the (scaled) scores and the mask, or null when it cannot show here.</summary>
internal sealed record MaskMistake(string Id, string Diagnosis, string Hint, Func<Tensor, bool[,], Tensor?> Weights);

/// <summary>The typical mistakes of masking a softmax, shared by the masked softmax, masked attention and padding exercises.</summary>
internal static class MaskMistakes
{
    public const string FullyMaskedHint =
        "A row with no allowed key has nothing to normalise: with −∞ scores, exp(−∞ − (−∞)) is NaN. The course defines such a row as all zeros: when a row has no allowed entry, leave it at 0.";

    public const string MaskedMaximumHint =
        "Take the maximum over the allowed entries only (or set masked scores to −∞ first); otherwise a large masked score makes every allowed exp(score − max) underflow to 0, and 0/0 is NaN.";

    public static readonly MaskMistake[] All =
    [
        new("inverted-mask", "Your result keeps the masked keys and drops the allowed ones: the mask is inverted. true means may attend.",
            "Keep key j for query i when allowed[i, j] is true; give it weight 0 when it is false.",
            (scores, allowed) => SoftmaxMath.Rows(scores, AttentionMath.Invert(allowed))),
        new("mask-ignored", "Your result attends to every key: the mask is ignored.",
            "Before the softmax, set the scores where allowed[i, j] is false to −∞ (or leave them out of the max and the sum).",
            (scores, _) => SoftmaxMath.Rows(scores)),
        new("masked-to-zero", "Your masked scores were set to 0 before the softmax: exp(0 − max) still gives them weight.",
            "Set masked scores to −∞ (`float.NegativeInfinity`), whose exp is exactly 0.",
            (scores, allowed) => SoftmaxMath.Rows(Where(scores, allowed, 0))),
        new("mask-after-softmax", "Your masked weights were zeroed after the softmax without renormalising: the rows no longer sum to 1.",
            "Mask the scores before the softmax, so that the allowed keys share the whole probability.",
            (scores, allowed) => Where(SoftmaxMath.Rows(scores), allowed, 0)),
        new("fully-masked-uniform", "Your fully masked row spreads its weight evenly over the keys (what the −1e9 trick gives). The course defines a row with no allowed key as all zeros.",
            "When a row has no allowed entry, return zeros for it.",
            (scores, allowed) => FullyMaskedRows(scores, allowed, 1.0 / scores.Cols)),
        new("fully-masked-nan", "Your fully masked row is NaN: with every score at −∞, exp(−∞ − (−∞)) is NaN.",
            FullyMaskedHint,
            (scores, allowed) => FullyMaskedRows(scores, allowed, double.NaN)),
        new("max-over-masked", "Your softmax subtracts the maximum over all entries, masked ones included: a large masked score makes every allowed exp underflow to 0, and 0/0 is NaN.",
            MaskedMaximumHint,
            (scores, allowed) => SoftmaxMath.Float32Rows(scores, allowed, SoftmaxMath.Shift.OverallMax)),
        new("max-over-masked", "Your softmax subtracts the maximum over all entries, masked ones included: a large masked score makes every allowed exp underflow to 0, and 0/0 is NaN.",
            MaskedMaximumHint,
            (scores, allowed) => SoftmaxMath.Float32Rows(scores, allowed, SoftmaxMath.Shift.OverallMax, divideMasked: true)),
        new("max-from-zero", SoftmaxMistakes.MaxFromZeroDiagnosis, SoftmaxMistakes.UnderflowHint, (scores, allowed) => SoftmaxMistakes.MaxFromZero(scores, allowed)),
        new("max-from-zero", SoftmaxMistakes.MaxFromZeroDiagnosis, SoftmaxMistakes.UnderflowHint, (scores, allowed) => SoftmaxMistakes.MaxFromZero(scores, allowed, divideMasked: true)),
    ];

    /// <summary>A copy of <paramref name="t"/> with the masked entries replaced by <paramref name="fill"/> (exact).</summary>
    public static Tensor Where(Tensor t, bool[,] allowed, double fill)
    {
        var values = (double[])t.Values.Clone();
        var errors = (double[])t.Errors.Clone();
        for (int i = 0; i < t.Rows; i++)
            for (int j = 0; j < t.Cols; j++)
                if (!allowed[i, j]) (values[i * t.Cols + j], errors[i * t.Cols + j]) = (fill, 0);
        return new Tensor(t.Shape, values, errors);
    }

    /// <summary>The correct masked softmax with every fully masked row set to <paramref name="fill"/>; null when no row is fully masked.</summary>
    private static Tensor? FullyMaskedRows(Tensor scores, bool[,] allowed, double fill)
    {
        Tensor weights = SoftmaxMath.Rows(scores, allowed);
        bool any = false;
        for (int i = 0; i < weights.Rows; i++)
        {
            if (Enumerable.Range(0, weights.Cols).Any(j => allowed[i, j])) continue;
            any = true;
            for (int j = 0; j < weights.Cols; j++) weights.Values[i * weights.Cols + j] = fill;
        }
        return any ? weights : null;
    }
}
