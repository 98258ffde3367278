using System.Runtime.CompilerServices;

namespace Attention.Kernels.Tiled;

/// <summary>
/// V packed for the P·V tile whenever a call has more than <see cref="InPlaceKeys"/> keys, or more than
/// <see cref="WideInPlaceKeys"/> with value rows wider than one panel: per key/value head, panels of
/// <see cref="Width"/> columns (d_v rounded up to whole 64-byte cache lines, at most 64), each stored [n_k, width] in one
/// contiguous, 64-byte aligned run. Two reasons, both measured:
/// <list type="bullet">
/// <item><b>Alignment.</b> The caller's v is wherever its array lives (a .NET array is 8- or 16-byte aligned), so in
/// place every 64-byte load of a value row straddles two cache lines. On an Intel Xeon (Sapphire Rapids class) a whole
/// call at n = 1024, d = 64 ran at 117 GFLOP/s with the caller's v and 133 with the same v 64-byte aligned: P·V had run at
/// about two thirds of the multiply-add peak, Q·Kᵀ (on packed keys) at 85–90 %.</item>
/// <item><b>Contiguity</b> when a value row is wider than one register tile (d_v &gt; 64): the tile streams consecutive
/// floats instead of 64-column slices of longer rows (at d_v = 128, 256-byte halves of 512-byte rows). On the AMD Zen 5
/// machine P·V at d_v = 128 took a quarter longer than Q·Kᵀ for the same arithmetic, and the kernel gained 10–13 %.</item>
/// </list>
/// Up to 64 keys the values of a head (at most 32 KB at d_v = 128) stay in the L1 cache and are read in place when
/// d_v ≤ 64: packing them cost 2 % at n = 16 and gained nothing at n = 64 on Zen 5, and cost 1–2 % at n = 64, d = 32 and
/// 64 on an Intel Xeon. Wider rows are packed from 33 keys: on that Xeon, n = 48 and 64 with d = 128 ran 3–7 % faster
/// packed (causal too), n = 32 the same, n = 16 4 % slower. Layout [kvHeads, panels, n_k, width], the last
/// panel's unused columns never read. The memory is a thread's <see cref="AlignedBuffer"/>, reused call after call (see
/// <see cref="HeadPanels{TW, TVec}"/>).
/// </summary>
internal static unsafe class ValuePanels
{
    /// <summary>Most columns per panel: one Vector512 register tile.</summary>
    public const int MaxWidth = 64;

    /// <summary>Most keys whose values are read in place, unpacked (they stay in the L1 cache).</summary>
    public const int InPlaceKeys = 64;

    /// <summary>Most keys whose values are read in place when a value row is wider than one panel (d_v &gt; 64).</summary>
    public const int WideInPlaceKeys = 32;

    /// <summary>
    /// Whether the kernel packs V for this shape: more than <see cref="InPlaceKeys"/> keys, or more than
    /// <see cref="WideInPlaceKeys"/> with d_v &gt; <see cref="MaxWidth"/>.
    /// </summary>
    public static bool Needed(in AttentionShape shape) =>
        shape.KeyLength > InPlaceKeys || (shape.ValueDim > MaxWidth && shape.KeyLength > WideInPlaceKeys);

    /// <summary>Columns per panel: d_v rounded up to whole cache lines, at most <see cref="MaxWidth"/>.</summary>
    public static int Width(int valueDim) => Math.Min(MaxWidth, (valueDim + AlignedBuffer.LineFloats - 1) / AlignedBuffer.LineFloats * AlignedBuffer.LineFloats);

    /// <summary>Panels per key/value head.</summary>
    public static int PanelsPerHead(int valueDim) => (valueDim + MaxWidth - 1) / MaxWidth;

    /// <summary>Floats of one key/value head's panels.</summary>
    public static long FloatsPerHead(in AttentionShape shape) => (long)PanelsPerHead(shape.ValueDim) * shape.KeyLength * Width(shape.ValueDim);

    /// <summary>Pack key/value head <paramref name="g"/> of v [kvHeads, n_k, d_v] into <paramref name="packed"/> [panels, n_k, width].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackHead(float* v, in AttentionShape shape, int g, float* packed)
    {
        int nK = shape.KeyLength, dV = shape.ValueDim, panels = PanelsPerHead(dV), panelWidth = Width(dV);
        for (int p = 0; p < panels; p++)
        {
            int first = p * panelWidth, width = Math.Min(panelWidth, dV - first);
            float* panel = packed + (long)p * nK * panelWidth;                            // [n_k, width]
            for (int j = 0; j < nK; j++)                                                  // v[g, j, first ..]  → panel[j, :]
                RowCopy.Copy(v + ((long)g * nK + j) * dV + first, panel + (long)j * panelWidth, width);
        }
    }
}
