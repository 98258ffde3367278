using System.Runtime.CompilerServices;

namespace Attention.Kernels.Simd;

/// <summary>Elementary functions written once over <see cref="IVectorWidth{TVec}"/>: vector lanes and scalar tails run the same formula.</summary>
internal static class VectorMath
{
    /// <summary>
    /// e^x for x ≤ 88 (the kernels only pass x ≤ 0: logits minus their maximum), within 1 ulp, with e^0 = 1 exactly
    /// (so a softmax row's largest term is exactly 1). Results below about 1.6e-38 (x &lt; -87) are flushed to 0;
    /// -inf gives 0 and NaN gives NaN.
    /// </summary>
    /// <remarks>
    /// Range reduction x = n·ln 2 + r with n = round(x·log2 e) and |r| ≤ ln 2 / 2 (ln 2 split in two parts so n·ln2_hi is
    /// exact); e^r by its Taylor polynomial of degree 7 (truncation error below 0.05 ulp on that interval);
    /// then e^x = 2^n · e^r by adding n to the exponent bits.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Exp<TW, TVec>(TVec x) where TW : IVectorWidth<TVec> where TVec : struct
    {
        const float Log2E = 1.44269504f, Ln2High = 0.693359375f, Ln2Low = -2.12194440e-4f;
        TVec clamped = TW.Min(x, TW.Broadcast(88f));
        TVec n = TW.Round(TW.Multiply(clamped, TW.Broadcast(Log2E)));
        TVec r = TW.MultiplyAdd(n, TW.Broadcast(-Ln2High), clamped);
        r = TW.MultiplyAdd(n, TW.Broadcast(-Ln2Low), r);                  // r = x - n·ln 2, |r| ≤ 0.347

        TVec p = TW.Broadcast(1f / 5040);                                 // Horner: 1 + r(1 + r(1/2 + r(1/6 + ...)))
        p = TW.MultiplyAdd(p, r, TW.Broadcast(1f / 720));
        p = TW.MultiplyAdd(p, r, TW.Broadcast(1f / 120));
        p = TW.MultiplyAdd(p, r, TW.Broadcast(1f / 24));
        p = TW.MultiplyAdd(p, r, TW.Broadcast(1f / 6));
        p = TW.MultiplyAdd(p, r, TW.Broadcast(0.5f));
        p = TW.MultiplyAdd(p, r, TW.Broadcast(1f));
        p = TW.MultiplyAdd(p, r, TW.Broadcast(1f));

        return TW.ZeroWhereLess(x, -87f, TW.MultiplyByPowerOfTwo(p, n));
    }
    /// <summary>
    /// 2^x for x ≤ 0 (the tiled kernel's exponents: logits minus their running maximum, times log2 e), with 2^0 = 1
    /// exactly. Maximum relative error 1.1e-7 against the float64 reference <c>Math.Pow(2, x)</c> over [-126, 0]
    /// (measured 7.9e-8 with AVX-512, 8.3e-8 with fused multiply-add, 1.03e-7 without; <c>Exp2Tests</c> checks the bound
    /// under every SIMD setting), under one ulp of 1 (2^-23). Below 2^-126 (x &lt; -126) the result is 0, never
    /// subnormal (unless <paramref name="flush"/> is false); -inf gives 0 and NaN gives NaN.
    /// </summary>
    /// <remarks>
    /// x = floor(x) + f with f in [0, 1) (<see cref="IVectorWidth{TVec}.Fraction"/>: one vreduceps with AVX-512); 2^f by a
    /// degree-6 polynomial 1 + f·(c1 + … + c6·f^5) fitted to minimise the largest relative error on [0, 1] (Remez
    /// exchange: 2.0e-9 before rounding; the constant term is exactly 1, so 2^0 = 1; the rest of the error is rounding in
    /// the Horner steps and in f itself, which for x in (-1, 0) is x + 1 rounded); then 2^x = 2^floor(x) · 2^f
    /// (<see cref="IVectorWidth{TVec}.ScaleByPowerOfTwo"/>: with AVX-512 one vscalefps, which floors x itself). So with
    /// AVX-512 no separate rounding instruction is needed: 17 % faster than rounding x to the nearest integer and
    /// reducing to [-1/2, 1/2] (1.66 against 2.00 ns per 16 values on an Intel Xeon; 0.985–0.999 of the time of a whole
    /// attention call). Exponents below -126, -inf among them, give 0 whatever f is (NaN for -inf without AVX-512):
    /// the flush costs one compare, which with AVX-512 masks the scalef (1.71 against 1.57 ns per 16 values). About 10
    /// vector operations.
    /// </remarks>
    /// <param name="x">The exponents.</param>
    /// <param name="flush">
    /// Whether results below 2^-126 become 0 (one compare, a constant at each call). Without it a lane whose x is
    /// below -126, -inf among them, gets an undefined value (subnormal with AVX-512, garbage otherwise): only for a
    /// caller that knows every x is at least -126, or that checks afterwards and discards the results.
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Exp2<TW, TVec>(TVec x, bool flush = true) where TW : IVectorWidth<TVec> where TVec : struct
    {
        TVec f = TW.Fraction(x);                                          // x − floor(x), in [0, 1]

        TVec p = TW.Broadcast(2.1612915e-4f);                             // c6 … c1 (c_k ≈ (ln 2)^k / k!)
        p = TW.MultiplyAdd(p, f, TW.Broadcast(1.2467847e-3f));
        p = TW.MultiplyAdd(p, f, TW.Broadcast(9.675452e-3f));
        p = TW.MultiplyAdd(p, f, TW.Broadcast(5.5485282e-2f));
        p = TW.MultiplyAdd(p, f, TW.Broadcast(2.4022931e-1f));
        p = TW.MultiplyAdd(p, f, TW.Broadcast(6.9314706e-1f));
        p = TW.MultiplyAdd(p, f, TW.Broadcast(1f));

        TVec scaled = TW.ScaleByPowerOfTwo(p, x);                         // p · 2^floor(x)
        return flush ? TW.ZeroWhereLess(x, -126f, scaled) : scaled;
    }
}
