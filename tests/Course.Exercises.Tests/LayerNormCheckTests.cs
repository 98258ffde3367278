using Course.Exercises;
using MathNet.Numerics.LinearAlgebra;
using Course.Exercises.Framework;

namespace Course.Exercises.Tests;

/// <summary>Notebook 12: layer normalisation.</summary>
public class LayerNormCheckTests
{
    /// <summary>Layer norm with one switch per typical mistake.</summary>
    private static Matrix<float> Norm(Matrix<float> x, float[] g, float[] b, float eps,
        bool unbiased = false, int epsPlace = 0, bool noSqrt = false, bool swap = false, bool noAffine = false, bool onePass = false)
    {
        var y = x.Clone();
        int d = x.ColumnCount;
        for (int r = 0; r < x.RowCount; r++)
        {
            var row = x.Row(r);
            float mean = row.Sum() / d;
            float variance = onePass ? row.Map(v => v * v).Sum() / d - mean * mean : row.Map(v => (v - mean) * (v - mean)).Sum() / (unbiased ? d - 1 : d);
            float denominator = epsPlace switch { 0 => noSqrt ? variance + eps : MathF.Sqrt(variance + eps), 1 => MathF.Sqrt(variance) + eps, _ => MathF.Sqrt(variance) };
            for (int c = 0; c < d; c++)
            {
                float n = (x[r, c] - mean) / denominator;
                y[r, c] = noAffine ? n : swap ? b[c] * n + g[c] : g[c] * n + b[c];
            }
        }
        return y;
    }

    [Fact]
    public void HelperWithoutMistakePasses() => Expect.Passes(Check.LayerNorm((x, g, b, e) => Norm(x, g, b, e)));

    [Fact]
    public void UnbiasedVarianceIsRecognised() =>
        Expect.Fails(Check.LayerNorm((x, g, b, e) => Norm(x, g, b, e, unbiased: true)), "mistake:unbiased-variance", "divides by d − 1");

    [Fact]
    public void EpsilonOutsideTheRootIsRecognised() =>
        // ε = 1e-5 against a variance near 1 shifts the result by ~5e-6 relative: far above float32 rounding, so the
        // first case already shows it.
        Expect.Fails(Check.LayerNorm((x, g, b, e) => Norm(x, g, b, e, epsPlace: 1)), "mistake:epsilon-outside-sqrt", "Case 1 of 6", "largest difference");

    [Fact]
    public void MissingEpsilonIsRecognisedOnTheConstantRow() =>
        Expect.Fails(Check.LayerNorm((x, g, b, e) => Norm(x, g, b, e, epsPlace: 2)), "mistake:no-epsilon", "Case 1 of 6");

    [Fact]
    public void NaNOnTheConstantRowGetsTheCaseHint()
    {
        // Correct everywhere except a constant row, which divides 0 by 0: the case's own hint explains it.
        Matrix<float> Norm0(Matrix<float> x, float[] g, float[] b, float e) =>
            Norm(x, g, b, e).MapIndexed((r, c, v) => x.Row(r).Maximum() == x.Row(r).Minimum() ? float.NaN : v);
        CheckResult result = Check.LayerNorm(Norm0);
        Expect.Fails(result, "non-finite", "Case 3 of 6", "Y[0, 0] (row 0, column 0) should be -0.363346, yours is NaN");
        Assert.Contains("Use √(σ² + ε)", result.Hint);
    }

    [Fact]
    public void MissingSquareRootIsRecognised() =>
        Expect.Fails(Check.LayerNorm((x, g, b, e) => Norm(x, g, b, e, noSqrt: true)), "mistake:no-sqrt");

    [Fact]
    public void SwappedGammaAndBetaAreRecognised() =>
        Expect.Fails(Check.LayerNorm((x, g, b, e) => Norm(x, g, b, e, swap: true)), "mistake:gamma-beta-swapped");

    [Fact]
    public void MissingAffineIsRecognised() =>
        Expect.Fails(Check.LayerNorm((x, g, b, e) => Norm(x, g, b, e, noAffine: true)), "mistake:no-affine");

    [Fact]
    public void ColumnNormalisationIsRecognised()
    {
        Matrix<float> Columns(Matrix<float> x, float[] g, float[] b, float e)
        {
            var ones = Enumerable.Repeat(1f, x.RowCount).ToArray();
            var normalised = Norm(x.Transpose(), ones, new float[x.RowCount], e).Transpose();   // each column over the tokens
            return normalised.MapIndexed((r, c, v) => g[c] * v + b[c]);
        }
        Expect.Fails(Check.LayerNorm(Columns), "mistake:columns", "down each column");
    }

    [Fact]
    public void AConstantEpsilonInsteadOfTheGivenOneFailsOnTheLargeEpsilonCase()
    {
        var result = Check.LayerNorm((x, g, b, _) => Norm(x, g, b, 1e-5f));

        Expect.Fails(result, "mismatch", "Case 6 of 6", "ε = 0.1");
        Assert.Contains("use the `eps` argument", result.Hint);
    }

    [Fact]
    public void OnePassVarianceFailsOnlyOnTheLargeMean()
    {
        CheckResult result = Check.LayerNorm((x, g, b, e) => Norm(x, g, b, e, onePass: true));
        Assert.False(result.Passed);
        Assert.Contains("Case 5 of 6", result.Message);
        Assert.Contains("E[x²] − μ²", result.Hint);
        Assert.Equal(4, result.Details.Count(line => line.StartsWith('✓')));
    }

    [Fact]
    public void ReferenceUsesTheEpsilonItIsGiven()
    {
        // The reference on a row worked out by hand. Row [1, 3]: μ = 2, σ² = 1;
        // with ε = 0.5, x̂ = ±1/√1.5 = ±0.8164966; with γ = [2, 1], β = [0, 10]: Y = [−1.6329932, 10.8164966].
        var x = Matrix<float>.Build.DenseOfArray(new float[,] { { 1, 3 } });
        Tensor y = LayerNormCheck.Exercise.Reference(new LayerNormCheck.Input(x, [2, 1], [0, 10], 0.5f))[0];
        Assert.Equal(-1.6329932, y.Values[0], 6);
        Assert.Equal(10.8164966, y.Values[1], 6);
    }
}
