using System.Runtime.Intrinsics;
using Attention.Kernels.Simd;

namespace Attention.Tests.Kernels;

/// <summary>
/// <see cref="IVectorWidth{TVec}.SumAcross4"/>, the transposing tree behind the tiled kernel's 1/l, for every width this
/// process accelerates (the CI runs it under all four SIMD settings): each of the four sums is its own vector's, in its
/// own place, within float32 summation's bound, and a NaN or infinity stays in its row.
/// </summary>
public class SumAcross4Tests
{
    private static IEnumerable<(string Name, int Lanes, Func<float[][], float[]> Sums)> Widths()
    {
        if (Vector512.IsHardwareAccelerated) yield return ("Vector512", Width512.Count, Sums<Width512, Vector512<float>>);
        if (Vector256.IsHardwareAccelerated) yield return ("Vector256", Width256.Count, Sums<Width256, Vector256<float>>);
        if (Vector128.IsHardwareAccelerated) yield return ("Vector128", Width128.Count, Sums<Width128, Vector128<float>>);
        yield return ("scalar", ScalarWidth.Count, Sums<ScalarWidth, float>);
    }

    /// <summary>The four rows' first W floats (W = the width's lanes) summed in one call.</summary>
    private static float[] Sums<TW, TVec>(float[][] rows) where TW : IVectorWidth<TVec> where TVec : struct
    {
        var sums = TW.SumAcross4(TW.Load(in rows[0][0]), TW.Load(in rows[1][0]), TW.Load(in rows[2][0]), TW.Load(in rows[3][0]));
        return [sums[0], sums[1], sums[2], sums[3]];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void EachSumIsItsOwnRows(int seed)
    {
        // Rows of very different sizes and signs, so that a sum in the wrong place, or lanes taken from another row, is
        // off by far more than rounding.
        var random = new Random(seed);
        double[] scales = [1, -1000, 1e6, 0.001];
        foreach (var (name, lanes, sumsOf) in Widths())
        {
            var rows = scales.Select(scale => Enumerable.Range(0, 16).Select(_ => (float)(scale * (0.5 + random.NextDouble()))).ToArray()).ToArray();
            var sums = sumsOf(rows);
            for (int r = 0; r < 4; r++)
            {
                double exact = rows[r].Take(lanes).Sum(x => (double)x);
                // float32 summation of `lanes` terms in any order: |error| ≤ (lanes − 1)·u·Σ|x|, u = 2^-24.
                double bound = (lanes - 1) * Math.Pow(2, -24) * rows[r].Take(lanes).Sum(x => Math.Abs((double)x));
                Assert.True(Math.Abs(sums[r] - exact) <= bound,
                    $"{name}: sum {r} is {sums[r]:R}, the float64 sum of its row's {lanes} lanes is {exact:R} (bound {bound:E2})");
            }
        }
    }

    [Fact]
    public void NonFiniteLanesStayInTheirRow()
    {
        foreach (var (name, lanes, sumsOf) in Widths())
        {
            var rows = Enumerable.Range(0, 4).Select(_ => Enumerable.Repeat(1f, 16).ToArray()).ToArray();
            rows[1][0] = float.NaN;
            rows[2][0] = float.PositiveInfinity;
            var sums = sumsOf(rows);
            Assert.Equal(lanes, sums[0]);
            Assert.True(float.IsNaN(sums[1]), $"{name}: a NaN lane in row 1 gave {sums[1]}");
            Assert.Equal(float.PositiveInfinity, sums[2]);
            Assert.Equal(lanes, sums[3]);
        }
    }
}
