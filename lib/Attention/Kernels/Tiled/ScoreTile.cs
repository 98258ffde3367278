using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Attention.Kernels.Simd;

namespace Attention.Kernels.Tiled;

/// <summary>
/// The register tile of the tiled path: raw dot products S[r, c] = Σ_d q[r, d] · kT[d, c] for <see cref="Rows"/> query
/// rows and a block of keys, 4 vectors of keys at a time. The 16 accumulators (4 rows × 4 vectors) stay in registers
/// for the whole sum over d; each step loads 4 key vectors and 4 query scalars and does 16 fused multiply-adds.
/// </summary>
internal static class ScoreTile
{
    /// <summary>Query rows per tile.</summary>
    public const int Rows = 4;

    /// <summary>
    /// tile[r, c] for r &lt; 4 and c &lt; keys rounded up to a whole chunk (4 vectors); row r of the tile is query row
    /// min(r, rowCount - 1) of <paramref name="qRows"/>, so a short last group repeats its last row instead of reading past it.
    /// </summary>
    /// <param name="qRows">[rowCount, d_k] query rows.</param>
    /// <param name="rowCount">Query rows available, 1 to 4.</param>
    /// <param name="dK">d_k.</param>
    /// <param name="kT">kT [d_k, stride] starting at the block's first key; columns up to the chunk-rounded key count must exist (zero padding).</param>
    /// <param name="stride">Row stride of kT.</param>
    /// <param name="keys">Keys wanted in this block (at most <paramref name="tileStride"/>).</param>
    /// <param name="tile">[4, tileStride] destination.</param>
    /// <param name="tileStride">Row stride of the tile.</param>
    public static void Compute(ReadOnlySpan<float> qRows, int rowCount, int dK, ReadOnlySpan<float> kT, int stride, int keys, Span<float> tile, int tileStride)
    {
        if (Vector512.IsHardwareAccelerated) Compute<Width512, Vector512<float>>(qRows, rowCount, dK, kT, stride, keys, tile, tileStride);
        else if (Vector256.IsHardwareAccelerated) Compute<Width256, Vector256<float>>(qRows, rowCount, dK, kT, stride, keys, tile, tileStride);
        else if (Vector128.IsHardwareAccelerated) Compute<Width128, Vector128<float>>(qRows, rowCount, dK, kT, stride, keys, tile, tileStride);
        else Compute<ScalarWidth, float>(qRows, rowCount, dK, kT, stride, keys, tile, tileStride);
    }

    private static void Compute<TW, TVec>(ReadOnlySpan<float> qRows, int rowCount, int dK, ReadOnlySpan<float> kT, int stride, int keys, Span<float> tile, int tileStride)
        where TW : IVectorWidth<TVec> where TVec : struct
    {
        int n = TW.Count, chunk = 4 * n;
        int roundedKeys = (keys + chunk - 1) / chunk * chunk;
        Debug.Assert(rowCount is > 0 and <= Rows && qRows.Length >= rowCount * dK);
        Debug.Assert(roundedKeys <= tileStride && tile.Length >= Rows * tileStride);
        Debug.Assert(kT.Length >= (dK - 1) * stride + roundedKeys);

        ref float q = ref MemoryMarshal.GetReference(qRows);
        ref float q0 = ref q;                                              // [d_k] each
        ref float q1 = ref Unsafe.Add(ref q, Math.Min(1, rowCount - 1) * dK);
        ref float q2 = ref Unsafe.Add(ref q, Math.Min(2, rowCount - 1) * dK);
        ref float q3 = ref Unsafe.Add(ref q, Math.Min(3, rowCount - 1) * dK);
        ref float kBase = ref MemoryMarshal.GetReference(kT);
        ref float tBase = ref MemoryMarshal.GetReference(tile);

        for (int c = 0; c < roundedKeys; c += chunk)
        {
            TVec s00 = TW.Zero, s01 = TW.Zero, s02 = TW.Zero, s03 = TW.Zero;
            TVec s10 = TW.Zero, s11 = TW.Zero, s12 = TW.Zero, s13 = TW.Zero;
            TVec s20 = TW.Zero, s21 = TW.Zero, s22 = TW.Zero, s23 = TW.Zero;
            TVec s30 = TW.Zero, s31 = TW.Zero, s32 = TW.Zero, s33 = TW.Zero;
            ref float kChunk = ref Unsafe.Add(ref kBase, c);
            for (int d = 0; d < dK; d++)
            {
                ref float kd = ref Unsafe.Add(ref kChunk, d * stride);     // kT[d, c .. c + chunk)
                TVec k0 = TW.Load(ref kd), k1 = TW.Load(ref Unsafe.Add(ref kd, n));
                TVec k2 = TW.Load(ref Unsafe.Add(ref kd, 2 * n)), k3 = TW.Load(ref Unsafe.Add(ref kd, 3 * n));
                TVec a = TW.Broadcast(Unsafe.Add(ref q0, d));
                s00 = TW.MultiplyAdd(a, k0, s00); s01 = TW.MultiplyAdd(a, k1, s01); s02 = TW.MultiplyAdd(a, k2, s02); s03 = TW.MultiplyAdd(a, k3, s03);
                a = TW.Broadcast(Unsafe.Add(ref q1, d));
                s10 = TW.MultiplyAdd(a, k0, s10); s11 = TW.MultiplyAdd(a, k1, s11); s12 = TW.MultiplyAdd(a, k2, s12); s13 = TW.MultiplyAdd(a, k3, s13);
                a = TW.Broadcast(Unsafe.Add(ref q2, d));
                s20 = TW.MultiplyAdd(a, k0, s20); s21 = TW.MultiplyAdd(a, k1, s21); s22 = TW.MultiplyAdd(a, k2, s22); s23 = TW.MultiplyAdd(a, k3, s23);
                a = TW.Broadcast(Unsafe.Add(ref q3, d));
                s30 = TW.MultiplyAdd(a, k0, s30); s31 = TW.MultiplyAdd(a, k1, s31); s32 = TW.MultiplyAdd(a, k2, s32); s33 = TW.MultiplyAdd(a, k3, s33);
            }
            StoreRow<TW, TVec>(ref Unsafe.Add(ref tBase, 0 * tileStride + c), n, s00, s01, s02, s03);
            StoreRow<TW, TVec>(ref Unsafe.Add(ref tBase, 1 * tileStride + c), n, s10, s11, s12, s13);
            StoreRow<TW, TVec>(ref Unsafe.Add(ref tBase, 2 * tileStride + c), n, s20, s21, s22, s23);
            StoreRow<TW, TVec>(ref Unsafe.Add(ref tBase, 3 * tileStride + c), n, s30, s31, s32, s33);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TW, TVec>(ref float destination, int n, TVec a, TVec b, TVec c, TVec d)
        where TW : IVectorWidth<TVec> where TVec : struct
    {
        TW.Store(a, ref destination);
        TW.Store(b, ref Unsafe.Add(ref destination, n));
        TW.Store(c, ref Unsafe.Add(ref destination, 2 * n));
        TW.Store(d, ref Unsafe.Add(ref destination, 3 * n));
    }
}
