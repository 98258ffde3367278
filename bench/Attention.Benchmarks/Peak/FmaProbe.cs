using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Attention.Benchmarks.Peak;

/// <summary>
/// The physical limit the kernels are measured against: a loop of nothing but fused multiply-adds on independent
/// accumulators (more of them than FMA latency × FMA ports, so the FMA units never wait), no loads or stores.
/// Each accumulator follows acc ← acc·a + b with a just below 1, which stays finite and normal forever.
/// </summary>
public static class FmaProbe
{
    /// <summary>Loop trips per call and thread.</summary>
    public const int Iterations = 1 << 20;

    /// <summary>Vector512 accumulators: 16 of the 32 zmm registers.</summary>
    public const int Accumulators512 = 16;

    /// <summary>Vector256 accumulators: 12, so they fit the 16 ymm registers of AVX2 without AVX-512 too.</summary>
    public const int Accumulators256 = 12;

    /// <summary>Floating-point operations of one <see cref="Run512"/> call (an FMA counts as 2 per lane).</summary>
    public const double Flops512 = 2.0 * 16 * Accumulators512 * Iterations;

    /// <summary>Floating-point operations of one <see cref="Run256"/> call.</summary>
    public const double Flops256 = 2.0 * 8 * Accumulators256 * Iterations;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float Run512()
    {
        var a = Vector512.Create(0.9999f);
        var b = Vector512.Create(0.001f);
        Vector512<float> c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b;
        Vector512<float> c8 = b, c9 = b, c10 = b, c11 = b, c12 = b, c13 = b, c14 = b, c15 = b;
        for (int i = 0; i < Iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, a, b); c1 = Vector512.FusedMultiplyAdd(c1, a, b);
            c2 = Vector512.FusedMultiplyAdd(c2, a, b); c3 = Vector512.FusedMultiplyAdd(c3, a, b);
            c4 = Vector512.FusedMultiplyAdd(c4, a, b); c5 = Vector512.FusedMultiplyAdd(c5, a, b);
            c6 = Vector512.FusedMultiplyAdd(c6, a, b); c7 = Vector512.FusedMultiplyAdd(c7, a, b);
            c8 = Vector512.FusedMultiplyAdd(c8, a, b); c9 = Vector512.FusedMultiplyAdd(c9, a, b);
            c10 = Vector512.FusedMultiplyAdd(c10, a, b); c11 = Vector512.FusedMultiplyAdd(c11, a, b);
            c12 = Vector512.FusedMultiplyAdd(c12, a, b); c13 = Vector512.FusedMultiplyAdd(c13, a, b);
            c14 = Vector512.FusedMultiplyAdd(c14, a, b); c15 = Vector512.FusedMultiplyAdd(c15, a, b);
        }
        var sum = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)) + ((c12 + c13) + (c14 + c15));
        return Vector512.Sum(sum);   // used, so the loop cannot be dropped
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float Run256()
    {
        var a = Vector256.Create(0.9999f);
        var b = Vector256.Create(0.001f);
        Vector256<float> c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b, c8 = b, c9 = b, c10 = b, c11 = b;
        for (int i = 0; i < Iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, a, b); c1 = Vector256.FusedMultiplyAdd(c1, a, b);
            c2 = Vector256.FusedMultiplyAdd(c2, a, b); c3 = Vector256.FusedMultiplyAdd(c3, a, b);
            c4 = Vector256.FusedMultiplyAdd(c4, a, b); c5 = Vector256.FusedMultiplyAdd(c5, a, b);
            c6 = Vector256.FusedMultiplyAdd(c6, a, b); c7 = Vector256.FusedMultiplyAdd(c7, a, b);
            c8 = Vector256.FusedMultiplyAdd(c8, a, b); c9 = Vector256.FusedMultiplyAdd(c9, a, b);
            c10 = Vector256.FusedMultiplyAdd(c10, a, b); c11 = Vector256.FusedMultiplyAdd(c11, a, b);
        }
        var sum = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11));
        return Vector256.Sum(sum);
    }
}
