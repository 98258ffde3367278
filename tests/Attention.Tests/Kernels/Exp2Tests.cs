using Attention.Kernels.Simd;
using Attention.Tests.TestSupport;
using Xunit.Abstractions;

namespace Attention.Tests.Kernels;

/// <summary>
/// The tiled kernel's fast 2^x (<see cref="VectorMath.Exp2{TW, TVec}"/>) against the scalar reference Math.Pow(2, x) in
/// float64, for every width this process accelerates (the CI runs it under all four SIMD settings).
/// </summary>
public class Exp2Tests(ITestOutputHelper log)
{
    /// <summary>
    /// The bound documented on <see cref="VectorMath.Exp2{TW, TVec}"/> (measured: 7.9e-8 with AVX-512, 8.3e-8 with
    /// fused multiply-add, 1.03e-7 without), under one ulp of 1 (2^-23 ≈ 1.19e-7).
    /// </summary>
    private const double DocumentedMaxRelativeError = 1.1e-7;

    /// <summary>
    /// Every float32 in [-126, 0] would be 2^30 inputs; instead a dense grid (steps of 2^-12, so every 1/4096 of each
    /// unit interval: all of the polynomial's range), the float32 neighbours of every integer and half-integer (where
    /// floor(x) changes and the reduced argument jumps between 0 and 1), and 200,000 seeded random x in (-1, 0) spread
    /// over the binades down to 2^-40: there the reduced argument x + 1 is rounded, and that rounding is largest.
    /// </summary>
    private static float[] Inputs()
    {
        var inputs = new List<float>();
        for (int i = 0; i <= 126 * 4096; i++) inputs.Add(-i / 4096f);
        for (int k = 0; k <= 252; k++)
        {
            float x = -k / 2f;
            inputs.Add(MathF.BitDecrement(x));
            inputs.Add(MathF.BitIncrement(x));
        }
        var random = new Random(2);
        for (int i = 0; i < 200_000; i++) inputs.Add(-(float)(Math.Pow(2, -40 * random.NextDouble()) * (1 + random.NextDouble()) / 2));
        return [.. inputs.Where(x => x >= -126f && x <= 0f)];
    }

    [Fact]
    public void MaxRelativeErrorIsBounded()
    {
        var inputs = Inputs();
        foreach (var (name, exp2) in EveryWidth.Of<Exp2Operator>())
        {
            double worst = 0;
            float worstAt = 0;
            var actual = exp2(inputs);
            for (int i = 0; i < inputs.Length; i++)
            {
                double expected = Math.Pow(2, inputs[i]);
                double relative = Math.Abs(actual[i] - expected) / expected;
                if (!(relative <= worst)) (worst, worstAt) = (relative, inputs[i]);
            }
            log.WriteLine($"{name}: max relative error {worst:E3} at x = {worstAt:R} ({worst / Math.Pow(2, -23):F2} ulp of 1)");
            Assert.True(worst <= DocumentedMaxRelativeError, $"{name}: relative error {worst:E3} at x = {worstAt:R} exceeds {DocumentedMaxRelativeError:E1}");
        }
    }

    [Fact]
    public void SpecialValues()
    {
        float[] exact = [0f, -0f, -1f, -24f, -126f];                     // powers of two: exact
        float[] tiny = [-126.25f, -126.5f, -127f, -149f, -150f, -200f, -1e30f, float.NegativeInfinity];
        foreach (var (name, exp2) in EveryWidth.Of<Exp2Operator>())
        {
            var actual = exp2(exact);
            for (int i = 0; i < exact.Length; i++)
                Assert.True(actual[i] == MathF.Pow(2, exact[i]), $"{name}: 2^{exact[i]:R} = {actual[i]:R}");

            actual = exp2(tiny);
            for (int i = 0; i < tiny.Length; i++)                        // documented: below 2^-126 the result is 0, never subnormal
                Assert.True(actual[i] == 0f, $"{name}: 2^{tiny[i]:R} = {actual[i]:R}");   // (so 2^-inf = 0: a masked key's weight)

            actual = exp2([float.NaN]);
            Assert.True(float.IsNaN(actual[0]), $"{name}: 2^NaN = {actual[0]}");
        }
    }

    /// <summary>
    /// Without the flush (the tiled kernel's lagging softmax step, which discards a step with an exponent below -126) the
    /// results are the flushed ones, bit for bit, wherever the flush would keep them: from -126 to 0.
    /// </summary>
    [Fact]
    public void UnflushedIsTheSameFromMinus126()
    {
        var inputs = Inputs();
        var unflushed = EveryWidth.Of<UnflushedExp2Operator>().ToDictionary(w => w.Name, w => w.Apply);
        foreach (var (name, exp2) in EveryWidth.Of<Exp2Operator>())
        {
            float[] expected = exp2(inputs), actual = unflushed[name](inputs);
            for (int i = 0; i < inputs.Length; i++)
                Assert.True(actual[i].Equals(expected[i]), $"{name}: unflushed 2^{inputs[i]:R} = {actual[i]:R}, flushed {expected[i]:R}");
        }
    }

    /// <summary>2^x lane by lane, for <see cref="EveryWidth"/>.</summary>
    private readonly struct Exp2Operator : IMapOperator
    {
        public TVec Invoke<TW, TVec>(TVec x) where TW : IVectorWidth<TVec> where TVec : struct => VectorMath.Exp2<TW, TVec>(x);
    }

    /// <summary>2^x without the flush below 2^-126.</summary>
    private readonly struct UnflushedExp2Operator : IMapOperator
    {
        public TVec Invoke<TW, TVec>(TVec x) where TW : IVectorWidth<TVec> where TVec : struct => VectorMath.Exp2<TW, TVec>(x, flush: false);
    }
}
