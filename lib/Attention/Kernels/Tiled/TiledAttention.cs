using System.Runtime.Intrinsics;
using Attention.Kernels.Simd;

namespace Attention.Kernels.Tiled;

/// <summary>
/// Tiled attention with an online softmax (the FlashAttention idea on a CPU), in register-blocked micro-kernels:
/// <list type="number">
/// <item>K is packed per key/value head into transposed 64-key panels (<see cref="KeyPanels"/>), up front by the caller
/// or, in a short call, by each thread for the heads it works on (<see cref="HeadPanels{TW, TVec}"/>);</item>
/// <item>work items (head × block of query rows, <see cref="QueryBlocks{TW, TVec}"/>) are spread over the kernel threads,
/// a plain loop for one thread or a small call (<see cref="WorkSplitter"/>);</item>
/// <item>each item computes 4 × 64 score tiles in registers (<see cref="ScoreTile"/>, scale folded into the store), takes
/// an online-softmax step per block of 512 keys and 8 rows (4 below Vector512) with a vectorised 2^x whose log2 e is
/// folded into one fused multiply-add (<see cref="TileSoftmax"/>), and adds P·V in 4-row register tiles, 8-row ones
/// at d_v ≤ 32 (<see cref="RowTile"/>).</item>
/// </list>
/// Memory: the packed keys (n_k · d_k floats per key/value head), past 64 keys (past 32 when d_v &gt; 64) the values in aligned
/// panels of at most 64 columns (<see cref="ValuePanels"/>, about n_k · d_v floats per key/value head; in a short call each thread packs its own copy of the
/// heads it uses, at most 1 MB; past 4 MB for all heads, one head's at a time), and a few blocks per thread, all
/// thread-local and kept, never n_q × n_k; warm calls allocate nothing. Under a causal mask the blocks above the
/// diagonal are skipped, not masked. Results match softmax(Q·Kᵀ)·V up to float32 rounding in a different order.
/// </summary>
internal static unsafe class TiledAttention
{
    public static void Forward(
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> output,
        in AttentionShape shape, float scale, in KeyMask mask, int maxThreads)
    {
        if (Vector512.IsHardwareAccelerated) Forward<Width512, Vector512<float>>(q, k, v, output, shape, scale, mask, maxThreads);
        else if (Vector256.IsHardwareAccelerated) Forward<Width256, Vector256<float>>(q, k, v, output, shape, scale, mask, maxThreads);
        else if (Vector128.IsHardwareAccelerated) Forward<Width128, Vector128<float>>(q, k, v, output, shape, scale, mask, maxThreads);
        else Forward<ScalarWidth, float>(q, k, v, output, shape, scale, mask, maxThreads);
    }

    /// <summary>Whether a call of this shape packs K (and V) on each thread for the heads it uses (<see cref="HeadPanels{TW, TVec}"/>), at the widest width in use.</summary>
    public static bool PacksWhereUsed(in AttentionShape shape, int maxThreads) =>
        Vector512.IsHardwareAccelerated ? HeadPanels<Width512, Vector512<float>>.PacksWhereUsed(shape, maxThreads)
        : Vector256.IsHardwareAccelerated ? HeadPanels<Width256, Vector256<float>>.PacksWhereUsed(shape, maxThreads)
        : Vector128.IsHardwareAccelerated ? HeadPanels<Width128, Vector128<float>>.PacksWhereUsed(shape, maxThreads)
        : HeadPanels<ScalarWidth, float>.PacksWhereUsed(shape, maxThreads);

    /// <summary>Whether a call of this shape packs K and V up front one key/value head at a time (<see cref="HeadPanels{TW, TVec}"/>), at the widest width in use.</summary>
    public static bool PacksOneGroupAtATime(in AttentionShape shape, int maxThreads) =>
        Vector512.IsHardwareAccelerated ? HeadPanels<Width512, Vector512<float>>.PacksOneGroupAtATime(shape, maxThreads)
        : Vector256.IsHardwareAccelerated ? HeadPanels<Width256, Vector256<float>>.PacksOneGroupAtATime(shape, maxThreads)
        : Vector128.IsHardwareAccelerated ? HeadPanels<Width128, Vector128<float>>.PacksOneGroupAtATime(shape, maxThreads)
        : HeadPanels<ScalarWidth, float>.PacksOneGroupAtATime(shape, maxThreads);

    private static void Forward<TW, TVec>(
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> output,
        in AttentionShape shape, float scale, in KeyMask mask, int maxThreads) where TW : IVectorWidth<TVec> where TVec : struct
    {
        fixed (float* qp = q, kp = k, vp = v, op = output)
        {
            int blocks = QueryBlocks<TW, TVec>.BlocksPerHead(shape.QueryLength);
            double flopsPerItem = 2.0 * Math.Min(TileShape.QueryBlock, shape.QueryLength) * shape.KeyLength * (shape.HeadDim + shape.ValueDim);
            // All heads in one run, or (large panels) one K/V head's group of query heads at a time.
            bool oneGroup = HeadPanels<TW, TVec>.PacksOneGroupAtATime(shape, maxThreads);
            int runs = oneGroup ? shape.KvHeads : 1, headsPerRun = oneGroup ? shape.GroupSize : shape.Heads;
            for (int g = 0; g < runs; g++)
            {
                var panels = HeadPanels<TW, TVec>.ForCall(kp, vp, shape, maxThreads, onlyHead: oneGroup ? g : -1);
                var work = new QueryBlocks<TW, TVec>(qp, vp, op, panels, shape, scale, mask, firstHead: g * headsPerRun, headCount: headsPerRun);
                WorkSplitter.Run(work, headsPerRun * blocks, flopsPerItem, maxThreads);
            }
        }
    }
}
