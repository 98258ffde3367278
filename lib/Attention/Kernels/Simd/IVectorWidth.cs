using System.Runtime.Intrinsics;

namespace Attention.Kernels.Simd;

/// <summary>
/// The operations the kernels need from one vector width, so that each kernel body is written once and compiled for
/// <see cref="Width512"/>, <see cref="Width256"/>, <see cref="Width128"/> and <see cref="ScalarWidth"/> (the tails).
/// Every member is static, and the width is a struct type argument, so the JIT compiles a separate, fully inlined
/// copy of each kernel per width: no virtual calls, no boxing.
/// </summary>
/// <typeparam name="TVec">The vector type: Vector512&lt;float&gt;, Vector256&lt;float&gt;, Vector128&lt;float&gt; or float.</typeparam>
internal interface IVectorWidth<TVec> where TVec : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }
    static abstract TVec Zero { get; }
    static abstract TVec Broadcast(float value);
    static abstract TVec Load(ref readonly float source);
    static abstract void Store(TVec value, ref float destination);
    static abstract TVec Add(TVec a, TVec b);
    static abstract TVec Subtract(TVec a, TVec b);
    static abstract TVec Multiply(TVec a, TVec b);
    static abstract TVec Divide(TVec a, TVec b);
    /// <summary>|x|, lane by lane (the sign bit cleared: NaN stays NaN).</summary>
    static abstract TVec Abs(TVec x);
    /// <summary>|value| with the sign bit of <paramref name="sign"/>, lane by lane.</summary>
    static abstract TVec CopySign(TVec value, TVec sign);
    /// <summary>a·b + c, fused (one rounding) where the hardware has FMA, multiply then add otherwise.</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);
    /// <summary>Lane-wise maximum that propagates NaN (IEEE 754:2019 maximum).</summary>
    static abstract TVec Max(TVec a, TVec b);
    /// <summary>Lane-wise minimum that propagates NaN.</summary>
    static abstract TVec Min(TVec a, TVec b);
    /// <summary>
    /// Lane-wise maximum as the hardware does it (one instruction): where a lane of <paramref name="b"/> is NaN the result
    /// is NaN; where only <paramref name="a"/>'s lane is NaN it may be either. For hot loops that do not need IEEE rules.
    /// </summary>
    static abstract TVec MaxNative(TVec a, TVec b);
    /// <summary>Lane-wise minimum as the hardware does it; NaN as in <see cref="MaxNative"/>.</summary>
    static abstract TVec MinNative(TVec a, TVec b);
    /// <summary>Round to the nearest integer, ties to even.</summary>
    static abstract TVec Round(TVec x);
    /// <summary>
    /// x − floor(x), in [0, 1] (1 only for x in [-2^-25, 0), where x + 1 rounds up to 1): one vreduceps with AVX-512,
    /// a floor and a subtraction otherwise. For infinite x, 0 with AVX-512, NaN otherwise.
    /// </summary>
    static abstract TVec Fraction(TVec x);
    /// <summary>value · 2^exponent for an integral <paramref name="exponent"/>, by adding it to the float's exponent bits
    /// (valid while the result stays a normal float).</summary>
    static abstract TVec MultiplyByPowerOfTwo(TVec value, TVec exponent);
    /// <summary>
    /// value · 2^floor(exponent) for <paramref name="value"/> in [1, 2] and <paramref name="exponent"/> &lt; 1 (the last
    /// step of 2^x): exact while the result is a normal float, that is for exponents from -126; below that undefined
    /// (AVX-512's scalef makes subnormals, the exponent-bits addition garbage), so <see cref="VectorMath.Exp2{TW, TVec}"/>
    /// flushes those lanes to 0. (Multiply-adds that read subnormal weights take a slow microcode path on Intel cores:
    /// with the scalef's subnormals left in, logits spread over about ±50 made a whole attention call 4.4 times
    /// slower.) A NaN exponent gives NaN, and so does a NaN value with an exponent in range.
    /// </summary>
    static abstract TVec ScaleByPowerOfTwo(TVec value, TVec exponent);
    /// <summary>Lane-wise: 0 where <paramref name="x"/> &lt; <paramref name="limit"/>, elsewhere <paramref name="value"/>.</summary>
    static abstract TVec ZeroWhereLess(TVec x, float limit, TVec value);
    /// <summary>Lane-wise: where <paramref name="test"/> is -inf the result is -inf, elsewhere <paramref name="value"/>.</summary>
    static abstract TVec NegativeInfinityWhere(TVec test, TVec value);
    /// <summary>Lanes [0, <paramref name="lanes"/>) of <paramref name="value"/>; the later lanes are <paramref name="fill"/>.</summary>
    static abstract TVec KeepFirst(TVec value, int lanes, float fill);
    /// <summary>Sum of the lanes.</summary>
    static abstract float SumAcross(TVec value);
    /// <summary>
    /// [Σ lanes of a, Σ b, Σ c, Σ d]: four sums in one transposing tree (interleave, add, fold), about a third of the
    /// instructions of four <see cref="SumAcross"/>; the lanes are added in another order, so the last bit may differ.
    /// </summary>
    static abstract Vector128<float> SumAcross4(TVec a, TVec b, TVec c, TVec d);
    /// <summary>Maximum of the lanes (NaN if any lane is NaN).</summary>
    static abstract float MaxAcross(TVec value);
    /// <summary>Minimum of the lanes (NaN if any lane is NaN).</summary>
    static abstract float MinAcross(TVec value);
    /// <summary>Maximum of the lanes with <see cref="MaxNative"/> steps: a short chain of instructions; NaN lanes may be ignored.</summary>
    static abstract float MaxAcrossNative(TVec value);
    /// <summary>Minimum of the lanes with <see cref="MinNative"/> steps; NaN lanes may be ignored.</summary>
    static abstract float MinAcrossNative(TVec value);
}
