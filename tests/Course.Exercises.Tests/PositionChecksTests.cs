using Course.Exercises;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises.Tests;

/// <summary>Notebook 09 checks: sinusoidal encoding and RoPE.</summary>
public class PositionChecksTests
{
    /// <summary>A sinusoidal encoding with the angle of column j given by <paramref name="exponent"/>(j, dim).</summary>
    private static Matrix<float> Encoding(int length, int dim, Func<int, int, float> exponent, bool cosFirst = false, int firstPosition = 0) =>
        Matrix<float>.Build.Dense(length, dim, (p, j) =>
        {
            float angle = (p + firstPosition) / MathF.Pow(10000, exponent(j, dim));
            return (j % 2 == 0) != cosFirst ? MathF.Sin(angle) : MathF.Cos(angle);
        });

    [Fact]
    public void CorrectEncodingWrittenPerColumnPasses() =>
        Expect.Passes(Check.SinusoidalEncoding((n, d) => Encoding(n, d, (j, dim) => 2f * (j / 2) / dim)));

    [Fact]
    public void SwappedSinAndCosAreRecognised() =>
        Expect.Fails(Check.SinusoidalEncoding((n, d) => Encoding(n, d, (j, dim) => 2f * (j / 2) / dim, cosFirst: true)), "mistake:sin-cos-swapped",
            "PE[0, 0] (position 0, column 0) should be 0, yours is 1");

    [Fact]
    public void IntegerDivisionIsRecognised() =>
        Expect.Fails(Check.SinusoidalEncoding((n, d) => Encoding(n, d, (j, dim) => 2 * (j / 2) / dim)), "mistake:integer-division", "integer division");

    [Fact]
    public void OwnFrequencyPerColumnIsRecognised() =>
        Expect.Fails(Check.SinusoidalEncoding((n, d) => Encoding(n, d, (j, dim) => (float)j / dim)), "mistake:column-index-exponent");

    [Fact]
    public void ExponentWithoutTwoIsRecognised() =>
        Expect.Fails(Check.SinusoidalEncoding((n, d) => Encoding(n, d, (j, dim) => (float)(j / 2) / dim)), "mistake:exponent-without-2");

    [Fact]
    public void DoubledExponentIsRecognised() =>
        Expect.Fails(Check.SinusoidalEncoding((n, d) => Encoding(n, d, (j, dim) => 2f * (j - j % 2) / dim)), "mistake:exponent-doubled");

    [Fact]
    public void PositiveExponentIsRecognised() =>
        Expect.Fails(Check.SinusoidalEncoding((n, d) => Encoding(n, d, (j, dim) => -2f * (j / 2) / dim)), "mistake:positive-exponent");

    [Fact]
    public void PositionsFromOneAreRecognised() =>
        Expect.Fails(Check.SinusoidalEncoding((n, d) => Encoding(n, d, (j, dim) => 2f * (j / 2) / dim, firstPosition: 1)), "mistake:positions-from-one");

    [Fact]
    public void SinesThenCosinesAreRecognised() =>
        Expect.Fails(Check.SinusoidalEncoding((n, d) => Matrix<float>.Build.Dense(n, d, (p, j) =>
        {
            int i = j % (d / 2);
            float angle = p / MathF.Pow(10000, 2f * i / d);
            return j < d / 2 ? MathF.Sin(angle) : MathF.Cos(angle);
        })), "mistake:halves");

    /// <summary>RoPE with a choice of pairing, direction and exponent.</summary>
    private static float[] Rope(float[] x, int position, bool halves = false, int direction = 1, Func<int, int, float>? exponent = null)
    {
        exponent ??= (i, d) => 2f * i / d;
        var r = new float[x.Length];
        int d = x.Length;
        for (int i = 0; i < d / 2; i++)
        {
            float angle = direction * position / MathF.Pow(10000, exponent(i, d));
            int a = halves ? i : 2 * i, b = halves ? i + d / 2 : 2 * i + 1;
            r[a] = x[a] * MathF.Cos(angle) - x[b] * MathF.Sin(angle);
            r[b] = x[a] * MathF.Sin(angle) + x[b] * MathF.Cos(angle);
        }
        return r;
    }

    [Fact]
    public void RopeHelperWithoutMistakePasses() => Expect.Passes(Check.Rope((x, p) => Rope(x, p)));

    [Fact]
    public void RotateHalfLayoutIsRecognised() =>
        Expect.Fails(Check.Rope((x, p) => Rope(x, p, halves: true)), "mistake:half-split", "adjacent dimensions (2i, 2i+1)");

    [Fact]
    public void OppositeRotationIsRecognised() =>
        Expect.Fails(Check.Rope((x, p) => Rope(x, p, direction: -1)), "mistake:opposite-direction", "rotated[0] should be");

    [Fact]
    public void IgnoredPositionIsRecognised() =>
        Expect.Fails(Check.Rope((x, p) => (float[])x.Clone()), "mistake:position-ignored");

    [Fact]
    public void RopeIntegerDivisionIsRecognised() =>
        Expect.Fails(Check.Rope((x, p) => Rope(x, p, exponent: (i, d) => 2 * i / d)), "mistake:integer-division");

    [Fact]
    public void RopeDoubledExponentIsRecognised() =>
        Expect.Fails(Check.Rope((x, p) => Rope(x, p, exponent: (i, d) => 4f * i / d)), "mistake:exponent-doubled");

    [Fact]
    public void RopeExponentWithoutTwoIsRecognised() =>
        Expect.Fails(Check.Rope((x, p) => Rope(x, p, exponent: (i, d) => (float)i / d)), "mistake:exponent-without-2");

    [Fact]
    public void RopeModifyingItsInputInPlaceIsJudgedOnItsResult()
    {
        float[] InPlace(float[] x, int p) { Rope(x, p).CopyTo(x, 0); return x; }
        Expect.Passes(Check.Rope(InPlace));
    }
}
