using System.Runtime.CompilerServices;

namespace Attention.Kernels.Tiled;

/// <summary>
/// The block sizes of the tiled kernel and the register tile of each vector width.
/// <list type="bullet">
/// <item>A register tile is <see cref="Rows"/> query rows × <see cref="VectorsPerRow{TW, TVec}"/> vectors: 4 × 4 Vector512
/// (16 of the 32 zmm registers hold the sums, so the fused multiply-adds never wait for each other) and 4 × 2 for the
/// narrower widths (which may have only 16 registers).</item>
/// <item>Keys are packed in panels of one tile's width (<see cref="PanelKeys{TW, TVec}"/>: 64 keys for Vector512).</item>
/// <item>The online softmax advances <see cref="KeyBlock"/> keys at a time, so its per-row bookkeeping (a maximum, a
/// rescale factor) is paid once per 512 keys; a work item is <see cref="QueryBlock"/> query rows of one head, and walks
/// the key blocks with all its rows, so a block of K and V (128 KB each at d = 64) is read from the L2 cache by every
/// row group in turn. The sizes were chosen by measurement on the course machine (Zen 5: 48 KB L1, 1 MB L2 per core):
/// 256-key blocks and 64-row items were 2–5 % slower at n = 4096, d = 64.</item>
/// </list>
/// </summary>
internal static class TileShape
{
    /// <summary>Query rows per register tile.</summary>
    public const int Rows = 4;

    /// <summary>Most rows of one online-softmax step (two register tiles' rows): the size of its scratch.</summary>
    public const int MostStepRows = 2 * Rows;

    /// <summary>
    /// Rows per online-softmax step: 8 (two register tiles) for Vector512, 4 otherwise. The step runs one chain of
    /// exponentials per row, and two groups' score tiles read the same key panels one after the other, then their P·V
    /// tiles the same values, while those are in the L1 cache: measured 2–5 % faster at n = 64, d = 128 and no change
    /// elsewhere with Vector512; 1–3 % slower with Vector256, whose 16 registers cannot hold 8 chains. A JIT-time constant.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int StepRows<TW, TVec>() where TW : Simd.IVectorWidth<TVec> where TVec : struct => TW.Count >= 16 ? MostStepRows : Rows;

    /// <summary>Keys per online-softmax step (a multiple of every width's panel).</summary>
    public const int KeyBlock = 512;

    /// <summary>
    /// Floats from one row of a step's scores (and weights) to the next: one block of keys and one cache line more. At
    /// exactly <see cref="KeyBlock"/> (2 KB) every other row starts at the same address modulo 4 KB, so a store to one
    /// row's weights and a load of another row's scores can look dependent to the core (4K aliasing), and the rows
    /// share a few of the L1 cache's sets. What that cost depended on where the other buffers lay: moving the weights
    /// 256 bytes along made n = 64, d = 64 3 % faster. With the padded stride such moves change nothing; against 512,
    /// switched in one process on an Intel Xeon (a layout where 512 did not suffer much): 0.990–0.998 of the time at
    /// n ≤ 64, causal too.
    /// </summary>
    public const int StepStride = KeyBlock + 16;

    /// <summary>Query rows per work item (a multiple of <see cref="Rows"/>).</summary>
    public const int QueryBlock = 128;

    /// <summary>Vectors per row of a register tile: 4 for Vector512, 2 otherwise. A JIT-time constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int VectorsPerRow<TW, TVec>() where TW : Simd.IVectorWidth<TVec> where TVec : struct => TW.Count >= 16 ? 4 : 2;

    /// <summary>Keys per packed panel = one register tile's width in keys.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int PanelKeys<TW, TVec>() where TW : Simd.IVectorWidth<TVec> where TVec : struct => TW.Count * VectorsPerRow<TW, TVec>();
}
