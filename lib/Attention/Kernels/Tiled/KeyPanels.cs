using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Attention.Kernels.Simd;

namespace Attention.Kernels.Tiled;

/// <summary>
/// K packed for the score tile: per key/value head, panels of <see cref="TileShape.PanelKeys{TW, TVec}"/> keys, each
/// stored transposed [d_k, panelKeys] in one contiguous run, so a step of the tile's d_k loop reads one panel row of
/// consecutive floats. Layout [kvHeads, panels, d_k, panelKeys]; keys past n_k are zero up to the end of their vector
/// (the tile computes whole vectors, and never one past the last key's). The memory is a thread's
/// <see cref="AlignedBuffer"/>, reused call after call (so concurrent calls from different threads never share it):
/// the caller's for all heads at once, or each kernel thread's for the heads its work items use (<see cref="HeadPanels{TW, TVec}"/>).
/// </summary>
internal static unsafe class KeyPanels
{
    /// <summary>Panels per key/value head.</summary>
    public static int PanelsPerHead<TW, TVec>(int keyLength) where TW : IVectorWidth<TVec> where TVec : struct =>
        (keyLength + TileShape.PanelKeys<TW, TVec>() - 1) / TileShape.PanelKeys<TW, TVec>();

    /// <summary>Floats of one key/value head's panels.</summary>
    public static long FloatsPerHead<TW, TVec>(in AttentionShape shape) where TW : IVectorWidth<TVec> where TVec : struct =>
        (long)PanelsPerHead<TW, TVec>(shape.KeyLength) * shape.HeadDim * TileShape.PanelKeys<TW, TVec>();

    /// <summary>Pack key/value head <paramref name="g"/> of k [kvHeads, n_k, d_k] into <paramref name="packed"/> [panels, d_k, panelKeys].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackHead<TW, TVec>(float* k, in AttentionShape shape, int g, float* packed) where TW : IVectorWidth<TVec> where TVec : struct
    {
        int panelKeys = TileShape.PanelKeys<TW, TVec>();
        int nK = shape.KeyLength, dK = shape.HeadDim;
        int panels = PanelsPerHead<TW, TVec>(nK);
        for (int p = 0; p < panels; p++)
        {
            float* panel = packed + (long)p * dK * panelKeys;                        // [d_k, panelKeys]
            int first = p * panelKeys, keys = Math.Min(panelKeys, nK - first);
            int j = 0;
            if (Avx512F.IsSupported && dK % 16 == 0)                              // 16 keys × 16 dims at a time
                for (; j + 16 <= keys; j += 16)
                    for (int d = 0; d < dK; d += 16)
                        Transpose16x16(k + ((long)g * nK + first + j) * dK + d, dK, panel + d * panelKeys + j, panelKeys);
            if (Avx.IsSupported && dK % 8 == 0)                                   // 8 keys × 8 dims at a time
                for (; j + 8 <= keys; j += 8)
                    for (int d = 0; d < dK; d += 8)
                        Transpose8x8(k + ((long)g * nK + first + j) * dK + d, dK, panel + d * panelKeys + j, panelKeys);
            if (Sse.IsSupported && dK % 4 == 0)
                for (; j + 4 <= keys; j += 4)                                       // 4 keys × 4 dims at a time
                    for (int d = 0; d < dK; d += 4)
                        Transpose4x4(k + ((long)g * nK + first + j) * dK + d, dK, panel + d * panelKeys + j, panelKeys);
            for (; j < keys; j++)
            {
                float* key = k + ((long)g * nK + first + j) * dK;                 // k[g, first + j, :]  [d_k]
                for (int d = 0; d < dK; d++) panel[d * panelKeys + j] = key[d];
            }
            int computed = (keys + TW.Count - 1) / TW.Count * TW.Count;           // the tile reads whole vectors, never past the last key's
            for (int d = 0; keys < computed && d < dK; d++)
                new Span<float>(panel + d * panelKeys + keys, computed - keys).Clear();
        }
    }

    /// <summary>
    /// destination[c, r] = source[r, c] for a 16 × 16 block (rows <paramref name="sourceStride"/> and
    /// <paramref name="destinationStride"/> floats apart) in Vector512 registers: 16 loads, 64 shuffles, 16 stores, a
    /// quarter of the loads and stores of sixteen 4 × 4 blocks and half their shuffles. Each group of four source rows
    /// becomes four vectors whose 128-bit lane L holds one column of the four rows (<c>FourRows</c>), then
    /// four such vectors, one per group, trade lanes to make whole destination rows (<see cref="FourColumns"/>).
    /// Measured against the 4 × 4 blocks on an Intel Xeon (alternating in one process): a call at n = 64, d = 128 3.7 %
    /// faster on one thread and on two (causal 2.8 %), d = 64 0.8 % (two threads 1.6 %), n = 16 2 %, n = 256 on two
    /// threads (each packs its own) 0.5–1.5 %, one thread at n ≥ 256 under 0.5 %.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose16x16(float* source, int sourceStride, float* destination, int destinationStride)
    {
        // b[4i + c], lane L: column 4L + c of source rows 4i … 4i + 3.
        Vector512<float> b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15;
        FourRows(source, sourceStride, out b0, out b1, out b2, out b3);
        FourRows(source + 4L * sourceStride, sourceStride, out b4, out b5, out b6, out b7);
        FourRows(source + 8L * sourceStride, sourceStride, out b8, out b9, out b10, out b11);
        FourRows(source + 12L * sourceStride, sourceStride, out b12, out b13, out b14, out b15);
        FourColumns(b0, b4, b8, b12, destination, destinationStride);                             // columns 0, 4, 8, 12
        FourColumns(b1, b5, b9, b13, destination + destinationStride, destinationStride);         // columns 1, 5, 9, 13
        FourColumns(b2, b6, b10, b14, destination + 2L * destinationStride, destinationStride);
        FourColumns(b3, b7, b11, b15, destination + 3L * destinationStride, destinationStride);
    }

    /// <summary>
    /// Four source rows r0 … r3 → c0 … c3, where lane L of c_j is column 4L + j of the four rows: r0, r1, r2, r3 (a 4 × 4
    /// transpose in each 128-bit lane). The one step all three block sizes share, at each width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourRows(float* source, int stride, out Vector512<float> c0, out Vector512<float> c1, out Vector512<float> c2, out Vector512<float> c3)
    {
        Vector512<float> r0 = Avx512F.LoadVector512(source), r1 = Avx512F.LoadVector512(source + stride);
        Vector512<float> r2 = Avx512F.LoadVector512(source + 2L * stride), r3 = Avx512F.LoadVector512(source + 3L * stride);
        Vector512<float> a0 = Avx512F.UnpackLow(r0, r1), a1 = Avx512F.UnpackHigh(r0, r1);   // per lane: r0[0] r1[0] r0[1] r1[1] | r0[2] r1[2] …
        Vector512<float> a2 = Avx512F.UnpackLow(r2, r3), a3 = Avx512F.UnpackHigh(r2, r3);
        c0 = Avx512F.Shuffle(a0, a2, 0x44);                                                    // per lane: r0[0] r1[0] r2[0] r3[0]
        c1 = Avx512F.Shuffle(a0, a2, 0xEE);                                                    // r0[1] r1[1] r2[1] r3[1]
        c2 = Avx512F.Shuffle(a1, a3, 0x44);
        c3 = Avx512F.Shuffle(a1, a3, 0xEE);
    }

    /// <summary>
    /// x0 … x3 (lane L of x_i: column 4L + j of source rows 4i … 4i + 3) → destination rows j, 4 + j, 8 + j, 12 + j
    /// (<paramref name="destination"/> is row j): destination row 4L + j is lane L of x0, x1, x2, x3, in two rounds of
    /// 128-bit lane shuffles.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourColumns(Vector512<float> x0, Vector512<float> x1, Vector512<float> x2, Vector512<float> x3, float* destination, int stride)
    {
        Vector512<float> p0 = Avx512F.Shuffle4x128(x0, x1, 0x44), p1 = Avx512F.Shuffle4x128(x0, x1, 0xEE);   // x0.0 x0.1 x1.0 x1.1 | x0.2 x0.3 x1.2 x1.3
        Vector512<float> q0 = Avx512F.Shuffle4x128(x2, x3, 0x44), q1 = Avx512F.Shuffle4x128(x2, x3, 0xEE);
        Avx512F.Store(destination, Avx512F.Shuffle4x128(p0, q0, 0x88));                         // x0.0 x1.0 x2.0 x3.0
        Avx512F.Store(destination + 4L * stride, Avx512F.Shuffle4x128(p0, q0, 0xDD));            // x0.1 x1.1 x2.1 x3.1
        Avx512F.Store(destination + 8L * stride, Avx512F.Shuffle4x128(p1, q1, 0x88));
        Avx512F.Store(destination + 12L * stride, Avx512F.Shuffle4x128(p1, q1, 0xDD));
    }

    /// <summary>
    /// destination[c, r] = source[r, c] for an 8 × 8 block in Vector256 registers (AVX without AVX-512, where a panel is
    /// 16 keys): 8 loads, 24 shuffles, 8 stores, half the loads and stores of four 4 × 4 blocks. As in
    /// <see cref="Transpose16x16"/>, each half's four rows become vectors whose 128-bit lane L holds column 4L + c, and
    /// the two halves then trade lanes. Measured with AVX-512 switched off, in one process against the 4 × 4 blocks:
    /// 0.988–0.999 of the time at n ≤ 64.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* source, int sourceStride, float* destination, int destinationStride)
    {
        Vector256<float> b0, b1, b2, b3, b4, b5, b6, b7;
        FourRows(source, sourceStride, out b0, out b1, out b2, out b3);                               // rows 0–3
        FourRows(source + 4L * sourceStride, sourceStride, out b4, out b5, out b6, out b7);           // rows 4–7
        Avx.Store(destination, Avx.Permute2x128(b0, b4, 0x20));                                           // column 0: lane 0 of each
        Avx.Store(destination + destinationStride, Avx.Permute2x128(b1, b5, 0x20));
        Avx.Store(destination + 2L * destinationStride, Avx.Permute2x128(b2, b6, 0x20));
        Avx.Store(destination + 3L * destinationStride, Avx.Permute2x128(b3, b7, 0x20));
        Avx.Store(destination + 4L * destinationStride, Avx.Permute2x128(b0, b4, 0x31));                  // column 4: lane 1 of each
        Avx.Store(destination + 5L * destinationStride, Avx.Permute2x128(b1, b5, 0x31));
        Avx.Store(destination + 6L * destinationStride, Avx.Permute2x128(b2, b6, 0x31));
        Avx.Store(destination + 7L * destinationStride, Avx.Permute2x128(b3, b7, 0x31));
    }

    /// <summary>The Vector256 <c>FourRows</c>: two 128-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourRows(float* source, int stride, out Vector256<float> c0, out Vector256<float> c1, out Vector256<float> c2, out Vector256<float> c3)
    {
        Vector256<float> r0 = Avx.LoadVector256(source), r1 = Avx.LoadVector256(source + stride);
        Vector256<float> r2 = Avx.LoadVector256(source + 2L * stride), r3 = Avx.LoadVector256(source + 3L * stride);
        Vector256<float> a0 = Avx.UnpackLow(r0, r1), a1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> a2 = Avx.UnpackLow(r2, r3), a3 = Avx.UnpackHigh(r2, r3);
        c0 = Avx.Shuffle(a0, a2, 0x44);
        c1 = Avx.Shuffle(a0, a2, 0xEE);
        c2 = Avx.Shuffle(a1, a3, 0x44);
        c3 = Avx.Shuffle(a1, a3, 0xEE);
    }

    /// <summary>
    /// destination[c, r] = source[r, c] for a 4 × 4 block (rows <paramref name="sourceStride"/> and
    /// <paramref name="destinationStride"/> floats apart): four loads, eight shuffles, four stores instead of sixteen
    /// scalar copies; with one 128-bit lane, <c>FourRows</c> gives the columns themselves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x4(float* source, int sourceStride, float* destination, int destinationStride)
    {
        Vector128<float> c0, c1, c2, c3;
        FourRows(source, sourceStride, out c0, out c1, out c2, out c3);
        Sse.Store(destination, c0);                                                   // column 0: r0[0] r1[0] r2[0] r3[0]
        Sse.Store(destination + destinationStride, c1);
        Sse.Store(destination + 2L * destinationStride, c2);
        Sse.Store(destination + 3L * destinationStride, c3);
    }

    /// <summary>The Vector128 <c>FourRows</c>: one lane, so c_j is column j of the four rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourRows(float* source, int stride, out Vector128<float> c0, out Vector128<float> c1, out Vector128<float> c2, out Vector128<float> c3)
    {
        Vector128<float> r0 = Sse.LoadVector128(source), r1 = Sse.LoadVector128(source + stride);
        Vector128<float> r2 = Sse.LoadVector128(source + 2L * stride), r3 = Sse.LoadVector128(source + 3L * stride);
        Vector128<float> a0 = Sse.UnpackLow(r0, r1), a1 = Sse.UnpackHigh(r0, r1);
        Vector128<float> a2 = Sse.UnpackLow(r2, r3), a3 = Sse.UnpackHigh(r2, r3);
        c0 = Sse.Shuffle(a0, a2, 0x44);
        c1 = Sse.Shuffle(a0, a2, 0xEE);
        c2 = Sse.Shuffle(a1, a3, 0x44);
        c3 = Sse.Shuffle(a1, a3, 0xEE);
    }
}
