using Course.Exercises;
using MathNet.Numerics.LinearAlgebra;
using static Course.Exercises.Tests.WrongAttention;

namespace Course.Exercises.Tests;

/// <summary>Notebook 05 checks: each wrong attention fails with its diagnosis, in both the output-only and the with-weights check.</summary>
public class AttentionChecksTests
{
    public static TheoryData<Mistake, string, string> Mistakes => new()
    {
        { Mistake.NoScale, "mistake:no-scale", "without the 1/√d_k scale" },
        { Mistake.ScaleOverDk, "mistake:scale-1-over-dk", "1/d_k instead of 1/√d_k" },
        { Mistake.ScaleTimesSqrtDk, "mistake:scale-times-sqrt-dk", "multiplied by √d_k" },
        { Mistake.ScaleSqrtDv, "mistake:scale-sqrt-dv", "1/√d_v" },
        { Mistake.SoftmaxOverColumns, "mistake:softmax-over-columns", "over the queries" },
        { Mistake.ForgotV, "mistake:forgot-v", "never multiplied by V" },
        { Mistake.KNotTransposed, "mistake:k-not-transposed", "Q·K instead of Q·Kᵀ" },
        { Mistake.ScaleAfterSoftmax, "mistake:scale-after-softmax", "after the softmax" },
        { Mistake.WeightsTransposed, "mistake:weights-transposed", "weightsᵀ·V" },
        { Mistake.NoMaxSubtraction, "mistake:no-max-subtraction", "overflows" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void OutputOnlyCheckNamesTheMistake(Mistake mistake, string diagnosis, string phrase) =>
        Expect.Fails(Check.Attention((q, k, v) => Attend(q, k, v, mistake).Output), diagnosis, phrase);

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void WithWeightsCheckNamesTheMistake(Mistake mistake, string diagnosis, string phrase) =>
        Expect.Fails(Check.AttentionWithWeights((q, k, v) => Attend(q, k, v, mistake)), diagnosis, phrase);

    /// <summary>The hint of each mistake, written out here: a hint taken from another mistake's entry must not pass.</summary>
    public static TheoryData<Mistake, string> Hints => new()
    {
        { Mistake.NoScale, "Divide the scores by √d_k before the softmax" },
        { Mistake.ScaleOverDk, "one over the square root of d_k" },
        { Mistake.ScaleTimesSqrtDk, "equivalently, multiply by 1/√d_k" },
        { Mistake.ScaleSqrtDv, "d_k is the width of the queries and keys" },
        { Mistake.SoftmaxOverColumns, "Normalise each row of the scores" },
        { Mistake.ForgotV, "Finish with `weights * V`" },
        { Mistake.KNotTransposed, "Use `Q * K.Transpose()`" },
        { Mistake.ScaleAfterSoftmax, "Scale the scores before the softmax" },
        { Mistake.WeightsTransposed, "with the weights as they are" },
        { Mistake.NoMaxSubtraction, "Subtract each row's largest score before exp" },
    };

    [Theory]
    [MemberData(nameof(Hints))]
    public void EachMistakeGetsItsOwnHint(Mistake mistake, string hint)
    {
        CheckResult result = Check.Attention((q, k, v) => Attend(q, k, v, mistake).Output);
        Assert.False(result.Passed);
        Assert.True(result.Hint?.Contains(hint, StringComparison.Ordinal) == true, $"Expected the hint to contain \"{hint}\":\n{result}");
    }

    [Fact]
    public void WeightsNormalisedDownTheColumnsAreExplainedByTheRule()
    {
        // Two mistakes at once (no scale and softmax over the queries) match no catalogued mistake: the rule names the axis.
        (Matrix<float>, Matrix<float>) Attention(Matrix<float> q, Matrix<float> k, Matrix<float> v)
        {
            var w = Solutions.SoftmaxRows((q * k.Transpose()).Transpose()).Transpose();
            return (w * v, w);
        }
        CheckResult result = Check.AttentionWithWeights(Attention);
        Expect.Fails(result, "property:columns-sum-to-one", "Case 1 of 7", "Each column of your weights sums to 1 instead of each row");
        Assert.Contains("Normalise every row on its own", result.Hint);
    }

    [Fact]
    public void CorrectWrongVariantHelperPasses()
    {
        // The helper without a mistake is a correct attention: the failures above come from the mistakes alone.
        Expect.Passes(Check.Attention((q, k, v) => Attend(q, k, v, Mistake.None).Output));
        Expect.Passes(Check.AttentionWithWeights((q, k, v) => Attend(q, k, v, Mistake.None)));
    }

    [Fact]
    public void NoMaxSubtractionPassesOrdinaryCasesAndFailsOnLargeScores()
    {
        CheckResult result = Check.Attention((q, k, v) => Attend(q, k, v, Mistake.NoMaxSubtraction).Output);
        Expect.Fails(result, "mistake:no-max-subtraction", "Case 5 of 7", "large scores", "yours is NaN");
        Assert.Equal(4, result.Details.Count(line => line.StartsWith('✓')));
    }

    [Fact]
    public void ScaleMistakeMessageSaysWhereAndByHowMuch()
    {
        CheckResult result = Check.AttentionWithWeights((q, k, v) => Attend(q, k, v, Mistake.NoScale));
        Expect.Fails(result, "mistake:no-scale", "Case 1 of 7", "weights[0, 0] (query 0, key 0) should be", "of 16 elements differ, largest difference");
        Assert.Contains(result.Details, line => line.StartsWith("    expected weights[0, :] = ["));
        Assert.Contains(result.Details, line => line.StartsWith("    yours    weights[0, :] = ["));
    }

    [Fact]
    public void SwappedTupleIsCaught()
    {
        // (weights, output) instead of (output, weights): values differ on the square case, shapes on the next.
        CheckResult result = Check.AttentionWithWeights((q, k, v) => { var (o, w) = Solutions.AttentionWithWeights(q, k, v); return (w, o); });
        Expect.Fails(result, "mistake:tuple-swapped", "Case 1 of 7", "weights[0, 0] (query 0, key 0) should be");
        CheckResult later = Check.AttentionWithWeights((q, k, v) => { var (o, w) = Solutions.AttentionWithWeights(q, k, v); return q.RowCount == 4 ? (o, w) : (w, o); });
        Expect.Fails(later, "mistake:tuple-swapped", "Case 2 of 7", "weights should have shape [n_q, n_k] = [3, 5], but yours has [3, 2]");
        Assert.Contains("Return `(output, weights)`", later.Hint);
    }

    [Fact]
    public void ForgettingVWithRightWeightsPointsAtTheOutput() =>
        Expect.Fails(Check.AttentionWithWeights((q, k, v) => Attend(q, k, v, Mistake.ForgotV)), "mistake:forgot-v", "output[0, 0] (query 0, column 0) should be");

    [Fact]
    public void WeightsThatDoNotSumToOneAreExplainedByTheRule()
    {
        // An unlisted mistake in the weights: dividing by the row maximum instead of the row sum.
        (Matrix<float>, Matrix<float>) Attention(Matrix<float> q, Matrix<float> k, Matrix<float> v)
        {
            var scores = q * k.Transpose() / MathF.Sqrt(q.ColumnCount);
            var w = scores.Clone();
            for (int i = 0; i < w.RowCount; i++) { var e = scores.Row(i).Map(x => MathF.Exp(x - scores.Row(i).Maximum())); w.SetRow(i, e / (e.Sum() + 0.5f)); }
            return (w * v, w);
        }
        Expect.Fails(Check.AttentionWithWeights(Attention), "property:rows-do-not-sum-to-one", "Row 0 of your weights sums to");
    }

    [Fact]
    public void ThrowingAttentionIsReportedWithTheShapeHint()
    {
        CheckResult result = Check.Attention((q, k, v) => Solutions.Attention(q, k, v.SubMatrix(0, v.RowCount - 1, 0, v.ColumnCount)));
        Assert.False(result.Passed);
        Assert.Equal("exception", result.Diagnosis);
        Assert.Contains("Matrix dimensions must agree", result.Message);
        Assert.Contains("K.Transpose()", result.Hint);
    }
}
