using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Attention.Kernels.Simd;

namespace Attention.Kernels.Tiled;

/// <summary>
/// The Q·Kᵀ register tile: s[r, c] = factor · Σ_d q_r[d] · panel[d, c] for 4 query rows and one key panel (or its first
/// vectors). The sums (4 rows × 4 vectors for Vector512) stay in registers for the whole d_k loop; each step loads one panel row
/// (4 vectors of keys), broadcasts one float of each query row and does 16 fused multiply-adds.
/// The scale is applied once, at the store: a logit is rounded exactly once, as in the scalar reference.
/// </summary>
internal static unsafe class ScoreTile
{
    /// <param name="q0">Query row 0 [d_k].</param>
    /// <param name="q1">Query row 1 (a short group repeats its last row).</param>
    /// <param name="q2">Query row 2.</param>
    /// <param name="q3">Query row 3.</param>
    /// <param name="panel">Packed keys [d_k, panelKeys].</param>
    /// <param name="dK">d_k.</param>
    /// <param name="scores">Destination [4, stride]: vectors·W floats per row.</param>
    /// <param name="stride">Row stride of <paramref name="scores"/>.</param>
    /// <param name="scale">Multiplier of every sum (1/√d_k by default).</param>
    /// <param name="vectors">Vectors of keys to compute, 1 … <see cref="TileShape.VectorsPerRow{TW, TVec}"/>: fewer than a
    /// whole panel on the causal diagonal and at the end of a short sequence, where the rest of the panel is hidden.</param>
    /// <param name="prefetch">Null, or d_k cache lines from here to bring into the L2 cache, one per term (a whole panel's
    /// tile only: <see cref="NextBlockPrefetch"/>).</param>
    public static void Compute<TW, TVec>(float* q0, float* q1, float* q2, float* q3, float* panel, int dK, float* scores, int stride, float scale, int vectors,
        float* prefetch = null)
        where TW : IVectorWidth<TVec> where TVec : struct
    {
        if (prefetch != null && Sse.IsSupported && vectors == TileShape.VectorsPerRow<TW, TVec>())
        {
            if (vectors == 4) Compute<TW, TVec, Four, Prefetching>(q0, q1, q2, q3, panel, dK, scores, stride, scale, prefetch);
            else Compute<TW, TVec, Two, Prefetching>(q0, q1, q2, q3, panel, dK, scores, stride, scale, prefetch);
            return;
        }
        switch (vectors)
        {
            case 1: ComputeOneVector<TW, TVec>(q0, q1, q2, q3, panel, dK, scores, stride, scale); break;
            case 2: Compute<TW, TVec, Two, NotPrefetching>(q0, q1, q2, q3, panel, dK, scores, stride, scale, null); break;
            case 3: Compute<TW, TVec, Three, NotPrefetching>(q0, q1, q2, q3, panel, dK, scores, stride, scale, null); break;
            default: Compute<TW, TVec, Four, NotPrefetching>(q0, q1, q2, q3, panel, dK, scores, stride, scale, null); break;
        }
    }

    /// <summary>Whether a tile requests a cache line per term: a JIT-time choice, so the other tiles have no extra instruction.</summary>
    private interface IPrefetching { static abstract bool Enabled { get; } }
    private readonly struct Prefetching : IPrefetching { public static bool Enabled => true; }
    private readonly struct NotPrefetching : IPrefetching { public static bool Enabled => false; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // optimised from the first call (no slow tier-0 pass)
    private static void Compute<TW, TVec, TVectors, TPrefetch>(float* q0, float* q1, float* q2, float* q3, float* panel, int dK, float* scores, int stride, float scale,
        float* prefetch) where TW : IVectorWidth<TVec> where TVec : struct where TVectors : struct, ICount where TPrefetch : struct, IPrefetching
    {
        int n = TW.Count, vectors = TVectors.Count;              // JIT-time constant: the unused sums disappear
        int panelKeys = TileShape.PanelKeys<TW, TVec>();
        TVec s00 = TW.Zero, s01 = TW.Zero, s02 = TW.Zero, s03 = TW.Zero;
        TVec s10 = TW.Zero, s11 = TW.Zero, s12 = TW.Zero, s13 = TW.Zero;
        TVec s20 = TW.Zero, s21 = TW.Zero, s22 = TW.Zero, s23 = TW.Zero;
        TVec s30 = TW.Zero, s31 = TW.Zero, s32 = TW.Zero, s33 = TW.Zero;
        float* k = panel;                                       // panel[d, :]
        for (nint d = 0; d < dK; d++, k += panelKeys)           // native-sized d: no sign extension per load (1–2 %)
        {
            if (TPrefetch.Enabled) Sse.Prefetch1(prefetch + d * AlignedBuffer.LineFloats);   // into L2
            TVec k0 = TW.Load(in k[0]);
            TVec k1 = vectors > 1 ? TW.Load(in k[n]) : TW.Zero;
            TVec k2 = vectors > 2 ? TW.Load(in k[2 * n]) : TW.Zero;
            TVec k3 = vectors > 3 ? TW.Load(in k[3 * n]) : TW.Zero;
            TVec a = TW.Broadcast(q0[d]);
            s00 = TW.MultiplyAdd(a, k0, s00);
            if (vectors > 1) s01 = TW.MultiplyAdd(a, k1, s01);
            if (vectors > 2) s02 = TW.MultiplyAdd(a, k2, s02);
            if (vectors > 3) s03 = TW.MultiplyAdd(a, k3, s03);
            a = TW.Broadcast(q1[d]);
            s10 = TW.MultiplyAdd(a, k0, s10);
            if (vectors > 1) s11 = TW.MultiplyAdd(a, k1, s11);
            if (vectors > 2) s12 = TW.MultiplyAdd(a, k2, s12);
            if (vectors > 3) s13 = TW.MultiplyAdd(a, k3, s13);
            a = TW.Broadcast(q2[d]);
            s20 = TW.MultiplyAdd(a, k0, s20);
            if (vectors > 1) s21 = TW.MultiplyAdd(a, k1, s21);
            if (vectors > 2) s22 = TW.MultiplyAdd(a, k2, s22);
            if (vectors > 3) s23 = TW.MultiplyAdd(a, k3, s23);
            a = TW.Broadcast(q3[d]);
            s30 = TW.MultiplyAdd(a, k0, s30);
            if (vectors > 1) s31 = TW.MultiplyAdd(a, k1, s31);
            if (vectors > 2) s32 = TW.MultiplyAdd(a, k2, s32);
            if (vectors > 3) s33 = TW.MultiplyAdd(a, k3, s33);
        }
        TVec factor = TW.Broadcast(scale);
        StoreRow<TW, TVec>(scores, vectors, factor, s00, s01, s02, s03);
        StoreRow<TW, TVec>(scores + stride, vectors, factor, s10, s11, s12, s13);
        StoreRow<TW, TVec>(scores + 2 * stride, vectors, factor, s20, s21, s22, s23);
        StoreRow<TW, TVec>(scores + 3 * stride, vectors, factor, s30, s31, s32, s33);
    }

    /// <summary>
    /// One vector of keys (n_k ≤ 16, or a panel's last vector): the 4 sums would each wait for the previous
    /// multiply-add (4 chains where the FMA units need 8 in flight), so even and odd d go to separate sums, added at the end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ComputeOneVector<TW, TVec>(float* q0, float* q1, float* q2, float* q3, float* panel, int dK, float* scores, int stride, float scale)
        where TW : IVectorWidth<TVec> where TVec : struct
    {
        int panelKeys = TileShape.PanelKeys<TW, TVec>();
        TVec e0 = TW.Zero, e1 = TW.Zero, e2 = TW.Zero, e3 = TW.Zero;   // even d
        TVec o0 = TW.Zero, o1 = TW.Zero, o2 = TW.Zero, o3 = TW.Zero;   // odd d
        int d = 0;
        for (; d + 1 < dK; d += 2)
        {
            float* k = panel + d * panelKeys;                   // panel[d, 0 .. W) and panel[d + 1, 0 .. W)
            TVec even = TW.Load(in k[0]), odd = TW.Load(in k[panelKeys]);
            e0 = TW.MultiplyAdd(TW.Broadcast(q0[d]), even, e0);
            e1 = TW.MultiplyAdd(TW.Broadcast(q1[d]), even, e1);
            e2 = TW.MultiplyAdd(TW.Broadcast(q2[d]), even, e2);
            e3 = TW.MultiplyAdd(TW.Broadcast(q3[d]), even, e3);
            o0 = TW.MultiplyAdd(TW.Broadcast(q0[d + 1]), odd, o0);
            o1 = TW.MultiplyAdd(TW.Broadcast(q1[d + 1]), odd, o1);
            o2 = TW.MultiplyAdd(TW.Broadcast(q2[d + 1]), odd, o2);
            o3 = TW.MultiplyAdd(TW.Broadcast(q3[d + 1]), odd, o3);
        }
        if (d < dK)                                             // odd d_k: the last term
        {
            TVec last = TW.Load(in panel[d * panelKeys]);
            e0 = TW.MultiplyAdd(TW.Broadcast(q0[d]), last, e0);
            e1 = TW.MultiplyAdd(TW.Broadcast(q1[d]), last, e1);
            e2 = TW.MultiplyAdd(TW.Broadcast(q2[d]), last, e2);
            e3 = TW.MultiplyAdd(TW.Broadcast(q3[d]), last, e3);
        }
        TVec factor = TW.Broadcast(scale);
        TW.Store(TW.Multiply(TW.Add(e0, o0), factor), ref scores[0]);
        TW.Store(TW.Multiply(TW.Add(e1, o1), factor), ref scores[stride]);
        TW.Store(TW.Multiply(TW.Add(e2, o2), factor), ref scores[2 * stride]);
        TW.Store(TW.Multiply(TW.Add(e3, o3), factor), ref scores[3 * stride]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TW, TVec>(float* row, int vectors, TVec factor, TVec a, TVec b, TVec c, TVec d)
        where TW : IVectorWidth<TVec> where TVec : struct
    {
        int n = TW.Count;
        TW.Store(TW.Multiply(a, factor), ref row[0]);
        if (vectors > 1) TW.Store(TW.Multiply(b, factor), ref row[n]);
        if (vectors > 2) TW.Store(TW.Multiply(c, factor), ref row[2 * n]);
        if (vectors > 3) TW.Store(TW.Multiply(d, factor), ref row[3 * n]);
    }
}
