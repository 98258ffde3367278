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
    /// 2^x for x ≤ 0 (the tiled kernel's scores are already in base 2: logit·log2 e minus the running maximum), with
    /// 2^0 = 1 exactly. Maximum relative error 1e-7 against the float64 reference <c>Math.Pow(2, x)</c> over [-126, 0]
    /// (measured 6.1e-8 with fused multiply-add, 7.7e-8 without; <c>Exp2Tests</c> checks the bound under every SIMD setting),
    /// below one float32 ulp of the result.
    /// Results below 2^-126 (x &lt; -126) are flushed to 0; -inf gives 0 and NaN gives NaN.
    /// </summary>
    /// <remarks>
    /// x = n + f with n = round(x) and |f| ≤ 1/2 (exact in float32); 2^f = e^(f·ln 2) by its Taylor polynomial of degree 7
    /// (truncation below 6e-9 relative on that interval; the rest is rounding in the Horner steps); then 2^x = 2^n · 2^f
    /// by adding n to the exponent bits. One fewer multiply than <see cref="Exp{TW, TVec}"/>, and no two-part ln 2:
    /// the multiply by log2 e is folded into the kernel's score scale.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Exp2<TW, TVec>(TVec x) where TW : IVectorWidth<TVec> where TVec : struct
    {
        TVec clamped = TW.Max(x, TW.Broadcast(-127f));                    // keeps n in range; NaN stays NaN
        TVec n = TW.Round(clamped);
        TVec f = TW.Subtract(clamped, n);                                 // |f| ≤ 0.5

        TVec p = TW.Broadcast(1.5252734e-5f);                             // (ln 2)^7 / 7!, down to (ln 2)^0 / 0! = 1
        p = TW.MultiplyAdd(p, f, TW.Broadcast(1.5403530e-4f));
        p = TW.MultiplyAdd(p, f, TW.Broadcast(1.3333558e-3f));
        p = TW.MultiplyAdd(p, f, TW.Broadcast(9.6181291e-3f));
        p = TW.MultiplyAdd(p, f, TW.Broadcast(5.5504109e-2f));
        p = TW.MultiplyAdd(p, f, TW.Broadcast(2.4022651e-1f));
        p = TW.MultiplyAdd(p, f, TW.Broadcast(6.9314718e-1f));
        p = TW.MultiplyAdd(p, f, TW.Broadcast(1f));

        return TW.ZeroWhereLess(x, -126f, TW.MultiplyByPowerOfTwo(p, n));
    }
}
