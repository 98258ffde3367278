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
}
