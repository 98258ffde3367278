using Course.Exercises;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises.Tests;

/// <summary>
/// A common learner bug: the softmax's running maximum starts at 0 instead of −∞. It is right whenever a row has a
/// positive score, so only a row whose every score is far below 0 (exp underflows to 0 below about −104, then 0/0)
/// exposes it. Every check that runs a softmax must have such a case and name the fix.
/// </summary>
public class MaximumFromZeroTests
{
    /// <summary>The learner's softmax of one row: the maximum starts at 0 (the bug); masked entries (allowed false) get 0.</summary>
    private static float[] SoftmaxMaxFromZero(float[] row, Func<int, bool>? allowed = null)
    {
        allowed ??= _ => true;
        float max = 0;                                                         // should be float.NegativeInfinity
        for (int j = 0; j < row.Length; j++) if (allowed(j)) max = MathF.Max(max, row[j]);
        var weights = new float[row.Length];
        float sum = 0;
        for (int j = 0; j < row.Length; j++) if (allowed(j)) sum += weights[j] = MathF.Exp(row[j] - max);
        bool any = Enumerable.Range(0, row.Length).Any(allowed);
        for (int j = 0; j < row.Length; j++) weights[j] = any ? weights[j] / sum : 0;
        return weights;
    }

    private static Matrix<float> Rows(Matrix<float> scores, bool[,]? allowed = null)
    {
        var weights = Matrix<float>.Build.Dense(scores.RowCount, scores.ColumnCount);
        for (int i = 0; i < scores.RowCount; i++)
            weights.SetRow(i, SoftmaxMaxFromZero(scores.Row(i).ToArray(), allowed is null ? null : j => allowed[i, j]));
        return weights;
    }

    private static (Matrix<float> Output, Matrix<float> Weights) Attend(Matrix<float> q, Matrix<float> k, Matrix<float> v, bool[,]? allowed = null)
    {
        var weights = Rows(q * k.Transpose() / MathF.Sqrt(q.ColumnCount), allowed);   // [n_q, n_k]
        return (weights * v, weights);                                              // [n_q, d_v]
    }

    private static readonly Dictionary<string, Func<CheckResult>> Learners = new()
    {
        ["Softmax"] = () => Check.Softmax(x => SoftmaxMaxFromZero(x)),
        ["SoftmaxRows"] = () => Check.SoftmaxRows(s => Rows(s)),
        ["SoftmaxWithTemperature"] = () => Check.SoftmaxWithTemperature((x, t) => SoftmaxMaxFromZero(x.Select(v => v / t).ToArray())),
        ["Attention"] = () => Check.Attention((q, k, v) => Attend(q, k, v).Output),
        ["AttentionWithWeights"] = () => Check.AttentionWithWeights((q, k, v) => Attend(q, k, v)),
        ["MaskedSoftmax"] = () => Check.MaskedSoftmax((s, allowed) => Rows(s, allowed)),
        ["MaskedAttention"] = () => Check.MaskedAttention((q, k, v, allowed) => Attend(q, k, v, allowed).Output),
        ["KvCacheStep"] = () => Check.KvCacheStep((keys, values, query, key, value) =>
        {
            keys.Add(key);
            values.Add(value);
            var weights = SoftmaxMaxFromZero(keys.Select(cached => Solutions.DotProduct(query, cached) / MathF.Sqrt(query.Length)).ToArray());
            var output = new float[value.Length];                               // [d_v]
            for (int j = 0; j < values.Count; j++)
                for (int c = 0; c < output.Length; c++) output[c] += weights[j] * values[j][c];
            return output;
        }),
        ["CrossAttention"] = () => Check.CrossAttention((decoder, encoder, wQ, wK, wV) => Attend(decoder * wQ, encoder * wK, encoder * wV).Output),
        ["MultiHeadAttention"] = () => Check.MultiHeadAttention((x, wQ, wK, wV, wO, heads) =>
        {
            Matrix<float>[] q = Solutions.SplitHeads(x * wQ, heads), k = Solutions.SplitHeads(x * wK, heads), v = Solutions.SplitHeads(x * wV, heads);
            return Solutions.MergeHeads([.. Enumerable.Range(0, heads).Select(h => Attend(q[h], k[h], v[h]).Output)]) * wO;
        }),
    };

    public static TheoryData<string> Names => new(Learners.Keys);

    private static readonly HashSet<string> NamedByCheck =
        ["Softmax", "SoftmaxRows", "SoftmaxWithTemperature", "Attention", "AttentionWithWeights", "MaskedSoftmax", "MaskedAttention", "CrossAttention"];

    [Theory]
    [MemberData(nameof(Names))]
    public void A_maximum_that_starts_at_zero_fails_on_scores_far_below_zero_with_the_fix(string check)
    {
        var result = Learners[check]();

        // Checks that list typical softmax mistakes name this one; the others report the NaN with the case's hint.
        Expect.Fails(result, NamedByCheck.Contains(check) ? "mistake:max-from-zero" : "non-finite");
        Assert.True(result.Hint?.Contains("−∞ (float.NegativeInfinity)", StringComparison.Ordinal) == true,
            $"Expected the hint to name the fix (start the maximum at −∞):\n{result}");
    }
}
