using System.Runtime.CompilerServices;

namespace Attention.Kernels.Tiled;

/// <summary>
/// V packed for the P·V tile when a value row is wider than one register tile (d_v &gt; 64): per key/value head, panels
/// of <see cref="Width"/> columns, each stored [n_k, 64] in one contiguous run, so the tile streams consecutive floats
/// instead of reading 64-column slices of longer rows (at d_v = 128, 256-byte halves of 512-byte rows). Measured on
/// the course machine: P·V at d_v = 128 took a quarter longer than Q·Kᵀ for the same arithmetic, and the whole kernel
/// gains 10–13 % with the panels. Layout [kvHeads, panels, n_k, 64], the last panel's unused columns never read. The
/// memory is a thread's <see cref="AlignedBuffer"/>, reused call after call (see <see cref="HeadPanels{TW, TVec}"/>).
/// </summary>
internal static unsafe class ValuePanels
{
    /// <summary>Columns per panel: one Vector512 register tile.</summary>
    public const int Width = 64;

    /// <summary>
    /// Whether the kernel packs V for this shape: only when a row spans more than one panel and there are more than
    /// <see cref="Width"/> keys (up to that, the values of a head are at most 32 KB at d_v = 128 and stay in the L1
    /// cache whatever their layout: packing them cost 2 % at n = 16 and gained nothing at n = 64).
    /// </summary>
    public static bool Needed(in AttentionShape shape) => shape.ValueDim > Width && shape.KeyLength > Width;

    /// <summary>Panels per key/value head.</summary>
    public static int PanelsPerHead(int valueDim) => (valueDim + Width - 1) / Width;

    /// <summary>Floats of one key/value head's panels.</summary>
    public static long FloatsPerHead(in AttentionShape shape) => (long)PanelsPerHead(shape.ValueDim) * shape.KeyLength * Width;

    /// <summary>Pack key/value head <paramref name="g"/> of v [kvHeads, n_k, d_v] into <paramref name="packed"/> [panels, n_k, 64].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackHead(float* v, in AttentionShape shape, int g, float* packed)
    {
        int nK = shape.KeyLength, dV = shape.ValueDim, panels = PanelsPerHead(dV);
        for (int p = 0; p < panels; p++)
        {
            int first = p * Width, width = Math.Min(Width, dV - first);
            float* panel = packed + (long)p * nK * Width;                                 // [n_k, 64]
            for (int j = 0; j < nK; j++)                                                  // v[g, j, first ..]  → panel[j, :]
                new ReadOnlySpan<float>(v + ((long)g * nK + j) * dV + first, width).CopyTo(new Span<float>(panel + (long)j * Width, width));
        }
    }
}
