using Course.Exercises;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises.Tests;

/// <summary>Notebook 02 checks: each typical wrong implementation fails with its diagnosis.</summary>
public class SimilarityChecksTests
{
    [Fact]
    public void DotProductForgettingToAccumulateIsRecognised()
    {
        float Dot(float[] a, float[] b) { float sum = 0; for (int i = 0; i < a.Length; i++) sum = a[i] * b[i]; return sum; }
        Expect.Fails(Check.DotProduct(Dot), "mistake:last-product-only", "a·b should be 12, yours is 18");
    }

    [Fact]
    public void DotProductLoopStoppingEarlyIsRecognised()
    {
        float Dot(float[] a, float[] b) { float sum = 0; for (int i = 0; i < a.Length - 1; i++) sum += a[i] * b[i]; return sum; }
        Expect.Fails(Check.DotProduct(Dot), "mistake:skipped-last", "loop stops one element early");
    }

    [Fact]
    public void DotProductOfSumsIsRecognised() =>
        Expect.Fails(Check.DotProduct((a, b) => a.Sum() * b.Sum()), "mistake:sum-times-sum");

    [Fact]
    public void DotProductAddingElementsIsRecognised() =>
        Expect.Fails(Check.DotProduct((a, b) => a.Zip(b, (x, y) => x + y).Sum()), "mistake:added-elements");

    [Fact]
    public void DotProductOfAWithItselfIsRecognised() =>
        Expect.Fails(Check.DotProduct((a, _) => a.Sum(x => x * x)), "mistake:used-a-twice");

    [Fact]
    public void DotProductThatCannotHandleEmptyVectorsReportsTheException() =>
        Expect.Fails(Check.DotProduct((a, b) => a.Zip(b, (x, y) => x * y).Aggregate((s, p) => s + p)), "exception",
            "Case 5 of 5", "empty vectors", "InvalidOperationException");

    [Fact]
    public void CosineWithoutNormalisingIsRecognised() =>
        Expect.Fails(Check.CosineSimilarity(Solutions.DotProduct), "mistake:not-normalised", "cos(a, b) should be 1, yours is 28");

    [Fact]
    public void CosineDividingByOneLengthIsRecognised() =>
        Expect.Fails(Check.CosineSimilarity((a, b) => Solutions.DotProduct(a, b) / MathF.Sqrt(Solutions.DotProduct(a, a))), "mistake:one-length-only");

    [Fact]
    public void CosineWithSquaredLengthsIsRecognised() =>
        Expect.Fails(Check.CosineSimilarity((a, b) => Solutions.DotProduct(a, b) / (Solutions.DotProduct(a, a) * Solutions.DotProduct(b, b))),
            "mistake:squared-lengths");

    [Fact]
    public void CosineOfTheDifferenceGivesAPreciseMismatch()
    {
        // An unrecognised wrong formula: the message still names the case, expected and got.
        float Cosine(float[] a, float[] b) => 1 - Solutions.CosineSimilarity(a, b);
        Expect.Fails(Check.CosineSimilarity(Cosine), "mismatch", "Case 1 of 5", "cos(a, b) should be 1, yours is 5.96046e-08");
    }

    [Fact]
    public void ScoresWithoutTransposeAreNamedOnTheSquareCase() =>
        Expect.Fails(Check.ScoreMatrix((q, k) => q * k), "mistake:k-not-transposed", "Case 1 of 4", "K is not transposed");

    [Fact]
    public void ScoresWithoutTransposeThatThrowLaterGetTheTransposeHint()
    {
        // Passing the square case by luck, then throwing: reported as an exception with the shapes hint.
        Matrix<float> Scores(Matrix<float> q, Matrix<float> k) => q.RowCount == 4 ? q * k.Transpose() : q * k;
        CheckResult result = Check.ScoreMatrix(Scores);
        Expect.Fails(result, "exception", "Case 2 of 4", "ArgumentException");
        Assert.Contains("K.Transpose()", result.Hint);
    }

    [Fact]
    public void TransposedScoresAreRecognised()
    {
        Expect.Fails(Check.ScoreMatrix((q, k) => k * q.Transpose()), "mistake:transposed-result", "Case 1 of 4");
        // On a non-square case the same mistake shows as a shape, named precisely.
        Matrix<float> Scores(Matrix<float> q, Matrix<float> k) => q.RowCount == 4 ? q * k.Transpose() : k * q.Transpose();
        Expect.Fails(Check.ScoreMatrix(Scores), "mistake:transposed-result", "S should have shape [n_q, n_k] = [3, 5], but yours has [5, 3]");
    }

    [Fact]
    public void ScaledScoresAreRecognised() =>
        Expect.Fails(Check.ScoreMatrix((q, k) => q * k.Transpose() / MathF.Sqrt(q.ColumnCount)), "mistake:scaled");

    [Fact]
    public void FeatureProductIsRecognised() =>
        Expect.Fails(Check.ScoreMatrix((q, k) => q.Transpose() * k), "mistake:qt-times-k", "Case 1 of 4");
}
