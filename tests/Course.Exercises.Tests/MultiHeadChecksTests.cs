using Course.Exercises;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises.Tests;

/// <summary>Notebook 07 and 08 checks: heads, multi-head attention, cross-attention.</summary>
public class MultiHeadChecksTests
{
    private static Matrix<float>[] SplitInterleaved(Matrix<float> x, int heads)
    {
        int dHead = x.ColumnCount / heads;
        return Enumerable.Range(0, heads)
            .Select(h => Matrix<float>.Build.Dense(x.RowCount, dHead, (i, j) => x[i, h + j * heads])).ToArray();
    }

    private static Matrix<float> MergeInterleaved(Matrix<float>[] parts)
    {
        int heads = parts.Length, dHead = parts[0].ColumnCount;
        return Matrix<float>.Build.Dense(parts[0].RowCount, heads * dHead, (i, c) => parts[c % heads][i, c / heads]);
    }

    [Fact]
    public void InterleavedSplitIsRecognised() =>
        Expect.Fails(Check.SplitHeads(SplitInterleaved), "mistake:interleaved", "heads[0][0, 1] (head 0, row 0, column 1) should be");

    [Fact]
    public void TransposedHeadsAreRecognised() =>
        Expect.Fails(Check.SplitHeads((x, h) => Solutions.SplitHeads(x, h).Select(m => m.Transpose()).ToArray()),
            "mistake:heads-transposed", "heads should have shape heads = 2 matrices of [n, d_head] = [4, 3], but yours has 2 matrices of [3, 4]");

    [Fact]
    public void SwappedHeadCountAndWidthIsRecognised() =>
        Expect.Fails(Check.SplitHeads((x, h) => Solutions.SplitHeads(x, x.ColumnCount / h)), "mistake:heads-and-width-swapped");

    [Fact]
    public void SplittingTheTokensIsRecognised() =>
        Expect.Fails(Check.SplitHeads((x, h) => Solutions.SplitHeads(x.Transpose(), h).Select(m => m.Transpose()).ToArray()), "mistake:rows-split");

    [Fact]
    public void RaggedOrNullHeadsAreReportedWithoutCrashing()
    {
        Expect.Fails(Check.SplitHeads((x, h) => [.. Solutions.SplitHeads(x, h).Take(h - 1), null!]), "output", "heads[1] is null");
        Expect.Fails(Check.SplitHeads((x, h) => [x, .. Solutions.SplitHeads(x, h).Skip(1)]), "output", "heads[1] has shape [4, 3] but heads[0] has shape [4, 6]");
        Expect.Fails(Check.SplitHeads((x, h) => []), "shape", "but yours has 0 matrices");
    }

    [Fact]
    public void InterleavedMergeIsRecognised() =>
        Expect.Fails(Check.MergeHeads(MergeInterleaved), "mistake:interleaved");

    [Fact]
    public void VerticalStackIsRecognised() =>
        Expect.Fails(Check.MergeHeads(parts => parts.Aggregate((a, b) => a.Stack(b))), "mistake:stacked-rows", "merged should have shape [n, d_model] = [4, 6], but yours has [8, 3]");

    [Fact]
    public void ReversedMergeIsRecognised() =>
        Expect.Fails(Check.MergeHeads(parts => Solutions.MergeHeads(parts.Reverse().ToArray())), "mistake:reversed-order");

    /// <summary>Multi-head attention with one switch per typical mistake.</summary>
    private static Matrix<float> MultiHead(Matrix<float> x, Matrix<float> wq, Matrix<float> wk, Matrix<float> wv, Matrix<float> wo, int heads,
        bool modelScale = false, bool noOutput = false, bool interleaved = false, bool oneHead = false)
    {
        if (oneHead) return Solutions.Attention(x * wq, x * wk, x * wv) * wo;
        Func<Matrix<float>, int, Matrix<float>[]> split = interleaved ? SplitInterleaved : Solutions.SplitHeads;
        var (q, k, v) = (split(x * wq, heads), split(x * wk, heads), split(x * wv, heads));
        var outputs = Enumerable.Range(0, heads).Select(h => modelScale
            ? Solutions.SoftmaxRows(q[h] * k[h].Transpose() / MathF.Sqrt(x.ColumnCount)) * v[h]
            : Solutions.Attention(q[h], k[h], v[h])).ToArray();
        var merged = interleaved ? MergeInterleaved(outputs) : Solutions.MergeHeads(outputs);
        return noOutput ? merged : merged * wo;
    }

    [Fact]
    public void MultiHeadScaledByModelWidthIsRecognised() =>
        Expect.Fails(Check.MultiHeadAttention((x, q, k, v, o, h) => MultiHead(x, q, k, v, o, h, modelScale: true)), "mistake:scale-d-model", "1/√d_model instead of 1/√d_head");

    [Fact]
    public void MultiHeadWithoutOutputProjectionIsRecognised() =>
        Expect.Fails(Check.MultiHeadAttention((x, q, k, v, o, h) => MultiHead(x, q, k, v, o, h, noOutput: true)), "mistake:no-output-projection");

    [Fact]
    public void MultiHeadInterleavedIsRecognised() =>
        Expect.Fails(Check.MultiHeadAttention((x, q, k, v, o, h) => MultiHead(x, q, k, v, o, h, interleaved: true)), "mistake:interleaved-heads");

    [Fact]
    public void MultiHeadNeverSplittingIsRecognised() =>
        Expect.Fails(Check.MultiHeadAttention((x, q, k, v, o, h) => MultiHead(x, q, k, v, o, h, oneHead: true)), "mistake:one-head");

    /// <summary>Multi-head attention written head by head, with the head's scale and softmax axis as parameters.</summary>
    private static Matrix<float> PerHead(Matrix<float> x, Matrix<float> wq, Matrix<float> wk, Matrix<float> wv, Matrix<float> wo, int heads,
        Func<int, float> scale, bool softmaxOverColumns = false)
    {
        var (q, k, v) = (Solutions.SplitHeads(x * wq, heads), Solutions.SplitHeads(x * wk, heads), Solutions.SplitHeads(x * wv, heads));
        var outputs = Enumerable.Range(0, heads).Select(h =>
        {
            var scores = q[h] * k[h].Transpose() * scale(q[h].ColumnCount);
            var weights = softmaxOverColumns ? Solutions.SoftmaxRows(scores.Transpose()).Transpose() : Solutions.SoftmaxRows(scores);
            return weights * v[h];
        }).ToArray();
        return Solutions.MergeHeads(outputs) * wo;
    }

    [Fact]
    public void PerHeadHelperWithTheRightScalePasses() =>
        Expect.Passes(Check.MultiHeadAttention((x, q, k, v, o, h) => PerHead(x, q, k, v, o, h, dHead => 1 / MathF.Sqrt(dHead))));

    [Fact]
    public void MultiHeadScaledByOneOverDHeadIsRecognised() =>
        Expect.Fails(Check.MultiHeadAttention((x, q, k, v, o, h) => PerHead(x, q, k, v, o, h, dHead => 1f / dHead)), "mistake:scale-1-over-d-head", "Case 1 of 5", "1/d_head instead of 1/√d_head");

    [Fact]
    public void MultiHeadWithoutScaleIsRecognised() =>
        Expect.Fails(Check.MultiHeadAttention((x, q, k, v, o, h) => PerHead(x, q, k, v, o, h, _ => 1)), "mistake:no-scale", "Case 1 of 5", "do not scale the scores");

    [Fact]
    public void MultiHeadSoftmaxOverTheQueriesIsRecognised() =>
        Expect.Fails(Check.MultiHeadAttention((x, q, k, v, o, h) => PerHead(x, q, k, v, o, h, dHead => 1 / MathF.Sqrt(dHead), softmaxOverColumns: true)),
            "mistake:softmax-over-columns", "Case 1 of 5", "over the queries");

    [Fact]
    public void MultiHeadSwitchesWithoutMistakePass() =>
        Expect.Passes(Check.MultiHeadAttention((x, q, k, v, o, h) => MultiHead(x, q, k, v, o, h)));

    [Fact]
    public void CrossAttentionWithSwappedRolesIsRecognised() =>
        Expect.Fails(Check.CrossAttention((d, e, wq, wk, wv) => Solutions.Attention(e * wq, d * wk, d * wv)), "mistake:roles-swapped",
            "output should have shape [n_dec, d_v] = [3, 3], but yours has [5, 3]");

    [Fact]
    public void CrossAttentionAsSelfAttentionIsRecognised() =>
        Expect.Fails(Check.CrossAttention((d, e, wq, wk, wv) => Solutions.Attention(d * wq, d * wk, d * wv)), "mistake:self-attention");

    [Fact]
    public void CrossAttentionOnTheEncoderAloneIsRecognised() =>
        Expect.Fails(Check.CrossAttention((d, e, wq, wk, wv) => Solutions.Attention(e * wq, e * wk, e * wv)), "mistake:encoder-self-attention");

    [Fact]
    public void CausalCrossAttentionIsRecognised()
    {
        Matrix<float> Cross(Matrix<float> d, Matrix<float> e, Matrix<float> wq, Matrix<float> wk, Matrix<float> wv)
        {
            var allowed = new bool[d.RowCount, e.RowCount];
            for (int i = 0; i < d.RowCount; i++) for (int j = 0; j <= Math.Min(i, e.RowCount - 1); j++) allowed[i, j] = true;
            return Solutions.MaskedAttention(d * wq, e * wk, e * wv, allowed);
        }
        Expect.Fails(Check.CrossAttention(Cross), "mistake:causal-mask", "every decoder position may look at every encoder position");
    }

    [Fact]
    public void CrossAttentionWithoutScaleIsRecognised() =>
        Expect.Fails(Check.CrossAttention((d, e, wq, wk, wv) => Solutions.SoftmaxRows(d * wq * (e * wk).Transpose()) * (e * wv)), "mistake:no-scale");

    [Fact]
    public void CrossAttentionWithMismatchedWidthsThrowsAndIsExplained()
    {
        // Swapped roles pass the shape-compatible cases only as the named mistake; with d_dec ≠ d_enc MathNet throws.
        Matrix<float> Cross(Matrix<float> d, Matrix<float> e, Matrix<float> wq, Matrix<float> wk, Matrix<float> wv) =>
            d.ColumnCount == e.ColumnCount ? Solutions.CrossAttention(d, e, wq, wk, wv) : Solutions.Attention(e * wq, d * wk, d * wv);
        CheckResult result = Check.CrossAttention(Cross);
        Expect.Fails(result, "exception", "Case 3 of 6", "Matrix dimensions must agree");
        Assert.Contains("W_Q [d_dec, d_k] multiplies the decoder states", result.Hint);
    }
}
