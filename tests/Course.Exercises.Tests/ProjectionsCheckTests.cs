using Course.Exercises;

namespace Course.Exercises.Tests;

public class ProjectionsCheckTests
{
    [Fact]
    public void SwappedKeysAndValuesAreRecognised()
    {
        Expect.Fails(Check.Projections((x, wq, wk, wv) => (x * wq, x * wv, x * wk)), "mistake:k-v-swapped", "Case 1 of 3", "K[0, 0] (token 0, column 0) should be");
        // Where d_v ≠ d_k the same mistake changes the shapes.
        Expect.Fails(Check.Projections((x, wq, wk, wv) => wq.ColumnCount == wv.ColumnCount ? (x * wq, x * wk, x * wv) : (x * wq, x * wv, x * wk)),
            "mistake:k-v-swapped", "Case 2 of 3", "K should have shape [n, d_k] = [4, 3], but yours has [4, 2]");
    }

    [Fact]
    public void OneWeightForAllIsRecognised() =>
        Expect.Fails(Check.Projections((x, wq, wk, wv) => (x * wq, x * wq, x * wq)), "mistake:same-weight");

    [Fact]
    public void TransposedWeightsAreRecognisedOnTheSquareCase() =>
        Expect.Fails(Check.Projections((x, wq, wk, wv) => (x * wq.Transpose(), x * wk.Transpose(), x * wv.Transpose())), "mistake:weights-transposed", "Case 1 of 3");

    [Fact]
    public void ReturningXUnprojectedIsRecognised()
    {
        CheckResult result = Check.Projections((x, wq, wk, wv) => (x, x, x));
        Expect.Fails(result, "mistake:returned-x", "Case 1 of 3", "Your Q, K and V are X itself");
        Assert.Contains("Q = X·W_Q", result.Hint);
    }

    [Fact]
    public void WeightsBeforeXThrowAndAreExplained()
    {
        CheckResult result = Check.Projections((x, wq, wk, wv) => (wq * x, wk * x, wv * x));
        Expect.Fails(result, "exception", "Case 1 of 3");
        Assert.Contains("X comes first", result.Hint);
    }

    [Fact]
    public void NullMatrixIsReportedWithoutCrashing() =>
        Expect.Fails(Check.Projections((x, wq, wk, wv) => (x * wq, x * wk, null!)), "output", "V is null");
}
