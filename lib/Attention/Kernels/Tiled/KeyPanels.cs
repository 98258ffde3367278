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
    /// destination[c, r] = source[r, c] for a 4 × 4 block (rows <paramref name="sourceStride"/> and
    /// <paramref name="destinationStride"/> floats apart): four loads, eight shuffles, four stores instead of sixteen
    /// scalar copies. Packing is the one serial step of a call, so at n = 64 this halves a few percent of its time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x4(float* source, int sourceStride, float* destination, int destinationStride)
    {
        Vector128<float> r0 = Sse.LoadVector128(source), r1 = Sse.LoadVector128(source + sourceStride);
        Vector128<float> r2 = Sse.LoadVector128(source + 2 * sourceStride), r3 = Sse.LoadVector128(source + 3 * sourceStride);
        Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackLow(r2, r3);     // r0[0] r1[0] r0[1] r1[1] | r2[0] r3[0] …
        Vector128<float> t2 = Sse.UnpackHigh(r0, r1), t3 = Sse.UnpackHigh(r2, r3);   // r0[2] r1[2] r0[3] r1[3] | …
        Sse.Store(destination, Sse.MoveLowToHigh(t0, t1));                            // column 0: r0[0] r1[0] r2[0] r3[0]
        Sse.Store(destination + destinationStride, Sse.MoveHighToLow(t1, t0));        // column 1
        Sse.Store(destination + 2 * destinationStride, Sse.MoveLowToHigh(t2, t3));    // column 2
        Sse.Store(destination + 3 * destinationStride, Sse.MoveHighToLow(t3, t2));    // column 3
    }
}
