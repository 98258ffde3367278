using Attention.Kernels.Simd;
using Attention.Tests.TestSupport;
using MathNet.Numerics;

namespace Attention.MiniLM.Tests;

/// <summary>The encoder's small operations against float64 references.</summary>
public sealed class LayerTests
{
    // Abramowitz–Stegun 7.1.26's error bound, plus half a float32 ulp at 1 for rounding the float64 result.
    private const double ErfTolerance = 1.5e-7 + 1.0 / (1 << 24);

    // The vector form runs in float32: about 15 roundings of relative size 2⁻²⁴ on values of magnitude ≤ 1 (Gelu.Erf<TW, TVec>).
    private const double VectorErfTolerance = 1.5e-7 + 15.0 / (1 << 24);

    [Fact]
    public void ErfMatchesTheFloat64ErrorFunction()
    {
        double worst = 0;
        for (double x = -6; x <= 6; x += 0.001)
        {
            float input = (float)x;
            worst = Math.Max(worst, Math.Abs(Gelu.Erf(input) - SpecialFunctions.Erf(input)));
        }
        Assert.True(worst <= ErfTolerance, $"erf differs by {worst:E2}");
        Assert.InRange(Math.Abs(Gelu.Erf(0f)), 0, ErfTolerance); // the formula gives 1e-9 at 0, within its bound
        Assert.Equal(1f, Gelu.Erf(float.PositiveInfinity));
        Assert.Equal(-1f, Gelu.Erf(float.NegativeInfinity));
        Assert.True(float.IsNaN(Gelu.Erf(float.NaN)));
    }

    [Fact]
    public void VectorErfMatchesTheFloat64ErrorFunctionAtEveryWidth()
    {
        var xs = Enumerable.Range(0, 12001).Select(i => (float)(-6 + 0.001 * i)).ToArray();   // [-6, 6]
        foreach (var (name, apply) in EveryWidth.Of<ErfOperator>())
        {
            var erf = apply(xs);
            double worst = 0;
            for (int i = 0; i < xs.Length; i++) worst = Math.Max(worst, Math.Abs(erf[i] - SpecialFunctions.Erf(xs[i])));
            Assert.True(worst <= VectorErfTolerance, $"{name}: erf differs by {worst:E2}");
            var specials = apply([float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0f]);
            Assert.Equal([1f, -1f], specials[..2]);
            Assert.True(float.IsNaN(specials[2]), $"{name}: erf(NaN) = {specials[2]}");
            Assert.InRange(Math.Abs(specials[3]), 0, VectorErfTolerance);
        }
    }

    [Theory]
    [InlineData(4001)]   // whole vectors and a tail
    [InlineData(3)]      // the tail only
    public void GeluMatchesItsDefinition(int count)
    {
        var xs = Enumerable.Range(0, count).Select(i => -10 + 20f * i / Math.Max(count - 1, 1)).ToArray(); // [-10, 10]
        var applied = (float[])xs.Clone();
        Gelu.Apply(applied);
        foreach (var (name, ys) in EveryWidth.Of<GeluOperator>().Select(w => (w.Name, w.Apply(xs))).Prepend(("Gelu.Apply", applied)))
            for (int i = 0; i < xs.Length; i++)
            {
                double x = xs[i], expected = 0.5 * x * (1 + SpecialFunctions.Erf(x / Math.Sqrt(2)));
                // erf's error scaled by |x|/2, then two float32 roundings (Φ and x·Φ).
                double tolerance = Math.Abs(x) / 2 * VectorErfTolerance + Math.Abs(expected) * 2.0 / (1 << 24) + 1e-30;
                Assert.True(Math.Abs(ys[i] - expected) <= tolerance, $"{name}: GELU({x}) = {ys[i]}, expected {expected}");
            }
    }

    [Fact]
    public void GeluOfInfinitiesAndNaNAtEveryWidth()
    {
        foreach (var (name, apply) in EveryWidth.Of<GeluOperator>())
        {
            var values = apply([float.PositiveInfinity, float.NegativeInfinity, float.NaN, -1e30f]);
            Assert.True(values[0] == float.PositiveInfinity, $"{name}: GELU(+inf) = {values[0]}");
            Assert.True(values[1] == 0f, $"{name}: GELU(-inf) = {values[1]}");
            Assert.True(float.IsNaN(values[2]), $"{name}: GELU(NaN) = {values[2]}");
            Assert.True(values[3] == 0f, $"{name}: GELU(-1e30) = {values[3]}");
        }
    }

    /// <summary>erf lane by lane, for <see cref="EveryWidth"/>.</summary>
    private readonly struct ErfOperator : IMapOperator
    {
        public TVec Invoke<TW, TVec>(TVec x) where TW : IVectorWidth<TVec> where TVec : struct => Gelu.Erf<TW, TVec>(x);
    }

    [Theory]
    [InlineData(384)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(383)]
    public void LayerNormMatchesAFloat64Reference(int d)   // whole vectors of 8 features and every kind of tail
    {
        var random = new Random(7 + d);
        int rows = 5;
        var x = Enumerable.Range(0, rows * d).Select(_ => (float)(random.NextDouble() * 8 - 3)).ToArray();
        var weights = new LayerNormWeights(
            Enumerable.Range(0, d).Select(_ => (float)(random.NextDouble() + 0.5)).ToArray(),
            Enumerable.Range(0, d).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray(), 1e-12f);
        var y = new float[rows * d];
        LayerNorm.Forward(x, y, rows, weights);
        for (int r = 0; r < rows; r++)
        {
            var row = x.Skip(r * d).Take(d).Select(v => (double)v).ToArray();
            double mean = row.Average(), std = Math.Sqrt(row.Select(v => (v - mean) * (v - mean)).Average() + 1e-12);
            for (int i = 0; i < d; i++)
            {
                double expected = (row[i] - mean) / std * weights.Scale[i] + weights.Bias[i];
                Assert.True(Math.Abs(y[r * d + i] - expected) <= 1e-6 * (1 + Math.Abs(expected)), $"row {r}, feature {i}: {y[r * d + i]} vs {expected}");
            }
        }
    }

    [Fact]
    public void LayerNormOfAConstantRowIsTheShift()
    {
        var weights = new LayerNormWeights([2f, 3f, 4f], [0.5f, -1f, 7f], 1e-12f);
        float[] x = [5f, 5f, 5f];
        LayerNorm.Forward(x, x, 1, weights); // in place
        Assert.Equal([0.5f, -1f, 7f], x);
    }

    [Fact]
    public void LayerNormRejectsMismatchedShapes()
    {
        var weights = new LayerNormWeights(new float[4], new float[4], 1e-12f);
        var error = Assert.Throws<ArgumentException>(() => LayerNorm.Forward(new float[7], new float[7], 2, weights));
        Assert.Equal("x", error.ParamName);
        Assert.Contains("[2, 4]", error.Message);
    }

    [Fact]
    public void MeanPoolingAveragesTheRealRowsAndNormalises()
    {
        // Rows 0-1 are real, row 2 is padding and must not count.
        float[] hidden = [1, 2, 0, 3, 6, 4, 100, 100, 100];
        var embedding = new float[3];
        MeanPooling.Forward(hidden, rows: 3, length: 2, embedding);
        double[] mean = [2, 4, 2];
        double norm = Math.Sqrt(mean.Sum(m => m * m));
        for (int i = 0; i < 3; i++) Assert.Equal(mean[i] / norm, embedding[i], 6);

        MeanPooling.Forward(hidden, rows: 3, length: 0, embedding);
        Assert.Equal([0f, 0f, 0f], embedding);
    }
}
