using Course.Exercises;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises.Tests;

/// <summary>Notebook 04 checks.</summary>
public class SoftmaxChecksTests
{
    internal static float[] NaiveSoftmax(float[] x)
    {
        float[] e = x.Select(MathF.Exp).ToArray();
        float sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    [Fact]
    public void SoftmaxWithoutMaxSubtractionFailsOnLargeLogits()
    {
        CheckResult result = Check.Softmax(NaiveSoftmax);
        Expect.Fails(result, "mistake:no-max-subtraction", "Case 5 of 7", "large logits", "softmax(x)[0] should be 0.244728, yours is NaN");
        Assert.Contains("Subtract the row's maximum first", result.Hint);
        Assert.Contains("✓ random logits, length 10", result.Details);
    }

    [Fact]
    public void SoftmaxWithoutDivisionIsRecognised() =>
        Expect.Fails(Check.Softmax(x => { float m = x.Max(); return x.Select(v => MathF.Exp(v - m)).ToArray(); }), "mistake:not-normalised");

    [Fact]
    public void SoftmaxOfRawLogitsIsRecognised() =>
        Expect.Fails(Check.Softmax(x => { float s = x.Sum(); return x.Select(v => v / s).ToArray(); }), "mistake:no-exp");

    [Fact]
    public void SoftmaxOfNegatedLogitsIsRecognised() =>
        Expect.Fails(Check.Softmax(x => Solutions.Softmax(x.Select(v => -v).ToArray())), "mistake:negated");

    [Fact]
    public void SoftmaxDividedByTheMaximumBreaksTheSumRule()
    {
        // Not a catalogued mistake: the property rule explains it.
        float[] Softmax(float[] x) { float m = x.Max(); var e = x.Select(v => MathF.Exp(v - m)).ToArray(); float top = e.Max() + e.Min(); return e.Select(v => v / top).ToArray(); }
        Expect.Fails(Check.Softmax(Softmax), "property:rows-do-not-sum-to-one", "sums to");
    }

    [Fact]
    public void SubtractingTheMaximumAfterExpGivesNegativeProbabilities()
    {
        // Not a catalogued mistake: exp(x) − max instead of exp(x − max). On [1, 2, 3], exp(1) − 3 < 0.
        float[] Softmax(float[] x) { float m = x.Max(); var e = x.Select(v => MathF.Exp(v) - m).ToArray(); float sum = e.Sum(); return e.Select(v => v / sum).ToArray(); }
        CheckResult result = Check.Softmax(Softmax);
        Expect.Fails(result, "property:negative-probability", "Case 1 of 7", "Your result contains a negative value", "probabilities are never negative");
        Assert.Contains("exp(·) is always positive", result.Hint);
    }

    [Fact]
    public void SlightlyWrongSoftmaxIsAMismatchNotANamedMistake()
    {
        // Off by 2e-5 relative on [1, 2, 3] while summing to 1: beyond float32 rounding, far from every catalogued mistake.
        // (A mistake whose output equals the reference on this case, like no-max-subtraction on small logits, must not be named.)
        float[] Softmax(float[] x)
        {
            float[] p = Solutions.Softmax(x);
            if (p.Length > 1) { p[0] *= 1 + 2e-5f; p[^1] -= p[0] - Solutions.Softmax(x)[0]; }
            return p;
        }
        Expect.Fails(Check.Softmax(Softmax), "mismatch", "Case 1 of 7");
    }

    [Fact]
    public void SoftmaxOfWrongLengthIsAShapeFailure() =>
        Expect.Fails(Check.Softmax(x => Solutions.Softmax(x).Skip(1).ToArray()), "shape", "softmax(x) should have shape [n] = [3], but yours has [2]");

    [Fact]
    public void SoftmaxRowsOverColumnsIsRecognised() =>
        Expect.Fails(Check.SoftmaxRows(s => Solutions.SoftmaxRows(s.Transpose()).Transpose()), "mistake:softmax-over-columns", "Each column");

    [Fact]
    public void SoftmaxRowsOverTheWholeMatrixIsRecognised()
    {
        Matrix<float> Whole(Matrix<float> s)
        {
            float max = s.Enumerate().Max();
            var e = s.Map(v => MathF.Exp(v - max));
            return e / e.Enumerate().Sum();
        }
        Expect.Fails(Check.SoftmaxRows(Whole), "mistake:whole-matrix");
    }

    [Fact]
    public void SoftmaxRowsWithoutMaxSubtractionFailsOnTheLargeRow()
    {
        Matrix<float> Rows(Matrix<float> s)
        {
            var result = s.Clone();
            for (int i = 0; i < s.RowCount; i++) result.SetRow(i, NaiveSoftmax(s.Row(i).ToArray()));
            return result;
        }
        Expect.Fails(Check.SoftmaxRows(Rows), "mistake:no-max-subtraction", "row 1 holds large logits", "softmax(S)[1, 0]");
    }

    [Fact]
    public void SoftmaxRowsUsingOneMaximumForTheMatrixIsRecognised()
    {
        // Mathematically harmless, numerically not: row 0 sits ~1000 below the large row, its exps underflow to 0/0.
        Matrix<float> Rows(Matrix<float> s)
        {
            float max = s.Enumerate().Max();
            var e = s.Map(v => MathF.Exp(v - max));
            for (int i = 0; i < e.RowCount; i++) e.SetRow(i, e.Row(i) / e.Row(i).Sum());
            return e;
        }
        Expect.Fails(Check.SoftmaxRows(Rows), "mistake:matrix-maximum", "row 1 holds large logits", "softmax(S)[0, 0] (row 0, column 0) should be 0.32685, yours is NaN");
    }

    [Fact]
    public void TemperatureMultipliedIsRecognised() =>
        Expect.Fails(Check.SoftmaxWithTemperature((x, t) => Solutions.Softmax(x.Select(v => v * t).ToArray())), "mistake:multiplied-by-temperature", "Case 2 of 7");

    [Fact]
    public void TemperatureIgnoredIsRecognised() =>
        Expect.Fails(Check.SoftmaxWithTemperature((x, _) => Solutions.Softmax(x)), "mistake:temperature-ignored");

    [Fact]
    public void TemperatureOnProbabilitiesIsRecognised() =>
        Expect.Fails(Check.SoftmaxWithTemperature((x, t) => Solutions.Softmax(x).Select(p => p / t).ToArray()), "mistake:temperature-after-softmax");

    [Fact]
    public void TemperatureWithoutMaxSubtractionFailsOnLargeLogits() =>
        Expect.Fails(Check.SoftmaxWithTemperature((x, t) => NaiveSoftmax(x.Select(v => v / t).ToArray())), "mistake:no-max-subtraction", "Case 6 of 7");

    [Fact]
    public void InPlaceSoftmaxIsJudgedOnItsResult()
    {
        // Overwriting the argument is allowed: the reference is computed from its own copy of the input.
        float[] InPlace(float[] x)
        {
            float max = x.Max(), sum = 0;
            for (int i = 0; i < x.Length; i++) sum += x[i] = MathF.Exp(x[i] - max);
            for (int i = 0; i < x.Length; i++) x[i] /= sum;
            return x;
        }
        Expect.Passes(Check.Softmax(InPlace));
    }
}
