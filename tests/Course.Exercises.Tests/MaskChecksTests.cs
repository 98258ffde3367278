using Course.Exercises;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises.Tests;

/// <summary>Notebook 06 mask checks: causal mask, masked softmax, masked attention, padding.</summary>
public class MaskChecksTests
{
    private static bool[,] Mask(int n, Func<int, int, bool> allowed)
    {
        var m = new bool[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i, j] = allowed(i, j);
        return m;
    }

    [Fact]
    public void InvertedCausalMaskIsRecognised() =>
        Expect.Fails(Check.CausalMask(n => Mask(n, (i, j) => j > i)), "mistake:inverted", "mask[0, 0] (query 0, key 0) should be true, yours is false");

    [Fact]
    public void CausalMaskWithoutDiagonalIsRecognised() =>
        Expect.Fails(Check.CausalMask(n => Mask(n, (i, j) => j < i)), "mistake:diagonal-excluded", "4 of 16 elements differ");

    [Fact]
    public void TransposedCausalMaskIsRecognised() =>
        Expect.Fails(Check.CausalMask(n => Mask(n, (i, j) => j >= i)), "mistake:future-visible");

    [Fact]
    public void AllTrueMaskIsRecognised() =>
        Expect.Fails(Check.CausalMask(n => Mask(n, (_, _) => true)), "mistake:all-true");

    [Fact]
    public void MaskSeeingOneAheadIsRecognised() =>
        Expect.Fails(Check.CausalMask(n => Mask(n, (i, j) => j <= i + 1)), "mistake:one-ahead");

    [Fact]
    public void WrongSizeMaskIsAShapeFailure() =>
        Expect.Fails(Check.CausalMask(n => Mask(n + 1, (i, j) => j <= i)), "shape", "mask should have shape [n, n] = [4, 4], but yours has [5, 5]");

    /// <summary>A masked softmax written with a configurable fill for masked scores and fully masked rows.</summary>
    private static Matrix<float> MaskedSoftmax(Matrix<float> scores, bool[,] allowed, float fill, bool invert = false, bool ignore = false, bool maskAfter = false)
    {
        var s = scores.Clone();
        for (int i = 0; i < s.RowCount; i++)
            for (int j = 0; j < s.ColumnCount; j++)
                if (!ignore && !maskAfter && allowed[i, j] == invert) s[i, j] = fill;
        var w = Solutions.SoftmaxRows(s);
        if (maskAfter)
            for (int i = 0; i < s.RowCount; i++) for (int j = 0; j < s.ColumnCount; j++) if (!allowed[i, j]) w[i, j] = 0;
        return w;
    }

    [Fact]
    public void MaskedSoftmaxWithInvertedMaskIsRecognised() =>
        Expect.Fails(Check.MaskedSoftmax((s, m) => Solutions.MaskedSoftmax(s, Invert(m))), "mistake:inverted-mask", "Case 1 of 6");

    [Fact]
    public void MaskedSoftmaxIgnoringTheMaskIsRecognised() =>
        Expect.Fails(Check.MaskedSoftmax((s, m) => MaskedSoftmax(s, m, 0, ignore: true)), "mistake:mask-ignored");

    [Fact]
    public void MaskedSoftmaxFillingZerosIsRecognised() =>
        Expect.Fails(Check.MaskedSoftmax((s, m) => MaskedSoftmax(s, m, 0)), "mistake:masked-to-zero");

    [Fact]
    public void MaskedSoftmaxMaskingAfterwardsIsRecognised() =>
        Expect.Fails(Check.MaskedSoftmax((s, m) => MaskedSoftmax(s, m, 0, maskAfter: true)), "mistake:mask-after-softmax");

    [Fact]
    public void MinusOneBillionTrickFailsOnlyOnTheFullyMaskedRow()
    {
        CheckResult result = Check.MaskedSoftmax((s, m) => MaskedSoftmax(s, m, -1e9f));
        Expect.Fails(result, "mistake:fully-masked-uniform", "Case 4 of 6", "weights[2, 0] (query 2, key 0) should be 0, yours is 0.25");
        Assert.Contains("return zeros", result.Hint);
    }

    [Fact]
    public void MinusInfinityWithoutGuardGivesNaNOnTheFullyMaskedRow() =>
        Expect.Fails(Check.MaskedSoftmax((s, m) => MaskedSoftmax(s, m, float.NegativeInfinity)), "mistake:fully-masked-nan", "Case 4 of 6", "yours is NaN");

    [Fact]
    public void MaximumOverMaskedScoresIsRecognised()
    {
        Matrix<float> Softmax(Matrix<float> scores, bool[,] allowed)
        {
            var w = Matrix<float>.Build.Dense(scores.RowCount, scores.ColumnCount);
            for (int i = 0; i < scores.RowCount; i++)
            {
                float max = scores.Row(i).Maximum(), sum = 0;   // includes masked scores: the mistake
                for (int j = 0; j < scores.ColumnCount; j++) if (allowed[i, j]) sum += w[i, j] = MathF.Exp(scores[i, j] - max);
                if (sum > 0 || scores.Row(i).Enumerate().Zip(Enumerable.Range(0, scores.ColumnCount)).Any(p => allowed[i, p.Second]))
                    w.SetRow(i, w.Row(i) / sum);
            }
            return w;
        }
        Expect.Fails(Check.MaskedSoftmax(Softmax), "mistake:max-over-masked", "Case 3 of 6", "holds each row's largest score");
    }

    [Fact]
    public void NonZeroMaskedWeightIsExplainedByTheRule()
    {
        // Masked entries get a small constant weight and the rest is renormalised: unlisted, caught by the rule.
        Matrix<float> Softmax(Matrix<float> s, bool[,] m)
        {
            var w = Solutions.MaskedSoftmax(s, m);
            for (int i = 0; i < w.RowCount; i++)
                for (int j = 0; j < w.ColumnCount; j++)
                    w[i, j] = m[i, j] ? w[i, j] * 0.9f : 0.1f / Enumerable.Range(0, w.ColumnCount).Count(c => !m[i, c]);
            return w;
        }
        Expect.Fails(Check.MaskedSoftmax(Softmax), "property:masked-weight-not-zero", "weights[0, 1] is 0.1 but key 1 is masked for query 0");
    }

    private static bool[,] Invert(bool[,] m)
    {
        var r = (bool[,])m.Clone();
        for (int i = 0; i < r.GetLength(0); i++) for (int j = 0; j < r.GetLength(1); j++) r[i, j] = !r[i, j];
        return r;
    }

    private static Matrix<float> MaskedAttention(Matrix<float> q, Matrix<float> k, Matrix<float> v, bool[,] m, Func<Matrix<float>, bool[,], Matrix<float>> softmax, float scale = float.NaN) =>
        softmax(q * k.Transpose() * (float.IsNaN(scale) ? 1 / MathF.Sqrt(q.ColumnCount) : scale), m) * v;

    [Fact]
    public void MaskedAttentionWithInvertedMaskIsRecognised() =>
        Expect.Fails(Check.MaskedAttention((q, k, v, m) => MaskedAttention(q, k, v, m, (s, a) => Solutions.MaskedSoftmax(s, Invert(a)))), "mistake:inverted-mask");

    [Fact]
    public void MaskedAttentionIgnoringTheMaskIsRecognised() =>
        Expect.Fails(Check.MaskedAttention((q, k, v, m) => Solutions.Attention(q, k, v)), "mistake:mask-ignored");

    [Fact]
    public void MaskedAttentionWithoutScaleIsRecognised() =>
        Expect.Fails(Check.MaskedAttention((q, k, v, m) => MaskedAttention(q, k, v, m, Solutions.MaskedSoftmax, scale: 1)), "mistake:no-scale");

    [Fact]
    public void MaskedAttentionWithMinusOneBillionFailsOnTheFullyMaskedQuery() =>
        Expect.Fails(Check.MaskedAttention((q, k, v, m) => MaskedAttention(q, k, v, m, (s, a) => MaskedSoftmax(s, a, -1e9f))),
            "mistake:fully-masked-uniform", "Case 3 of 5", "query 1 has no allowed key");

    [Fact]
    public void TransposedMaskedAttentionOutputIsAShapeFailureThatSaysTransposed()
    {
        CheckResult result = Check.MaskedAttention((q, k, v, m) => Solutions.MaskedAttention(q, k, v, m).Transpose());
        Expect.Fails(result, "shape", "Case 1 of 5", "output should have shape [n_q, d_v] = [3, 2], but yours has [2, 3].",
            "It looks transposed: rows of output should be n_q.");
    }

    private static Matrix<float> Padded(Matrix<float> q, Matrix<float> k, Matrix<float> v, Func<int, bool> keep)
    {
        var allowed = new bool[q.RowCount, k.RowCount];
        for (int i = 0; i < q.RowCount; i++) for (int j = 0; j < k.RowCount; j++) allowed[i, j] = keep(j);
        return Solutions.MaskedAttention(q, k, v, allowed);
    }

    [Fact]
    public void PaddingIgnoredIsRecognised() =>
        Expect.Fails(Check.PaddingAttention((q, k, v, n) => Solutions.Attention(q, k, v)), "mistake:padding-ignored", "Case 1 of 4");

    [Fact]
    public void PaddingOffByOneMoreIsRecognised() =>
        Expect.Fails(Check.PaddingAttention((q, k, v, n) => Padded(q, k, v, j => j <= n)), "mistake:one-key-too-many", "Case 1 of 4");

    [Fact]
    public void PaddingOffByOneLessIsRecognised() =>
        Expect.Fails(Check.PaddingAttention((q, k, v, n) => Padded(q, k, v, j => j < n - 1)), "mistake:one-key-too-few");

    [Fact]
    public void PaddingAtTheStartIsRecognised() =>
        Expect.Fails(Check.PaddingAttention((q, k, v, n) => Padded(q, k, v, j => j >= k.RowCount - n)), "mistake:padding-at-start");

    [Fact]
    public void PaddingOnQueriesIsRecognised()
    {
        Matrix<float> Attention(Matrix<float> q, Matrix<float> k, Matrix<float> v, int n)
        {
            var output = Solutions.Attention(q, k, v);
            for (int i = n; i < q.RowCount; i++) output.ClearRow(i);
            return output;
        }
        Expect.Fails(Check.PaddingAttention(Attention), "mistake:padded-queries");
    }

    [Fact]
    public void PaddingWithoutGuardGivesNaNWhenNoKeyIsReal()
    {
        Matrix<float> Attention(Matrix<float> q, Matrix<float> k, Matrix<float> v, int n)
        {
            var scores = q * k.Transpose() / MathF.Sqrt(q.ColumnCount);
            for (int i = 0; i < scores.RowCount; i++) for (int j = n; j < scores.ColumnCount; j++) scores[i, j] = float.NegativeInfinity;
            return Solutions.SoftmaxRows(scores) * v;
        }
        CheckResult result = Check.PaddingAttention(Attention);
        Expect.Fails(result, "mistake:fully-masked-nan", "Case 4 of 4", "no real key");
    }
}
