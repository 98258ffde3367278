using System.Buffers;

namespace Attention.Kernels.Tiled;

/// <summary>
/// Tiled attention with an online softmax (the FlashAttention idea on a CPU). Each work item is one head and a block of
/// <see cref="QueryBlock"/> query rows; it walks the keys in blocks of <see cref="KeyBlock"/>:
/// <list type="number">
/// <item>raw scores of 4 query rows × the key block in registers (<see cref="ScoreTile"/>), reading keys transposed;</item>
/// <item>per row: scale, bias, masks (<see cref="ScoreRow.ScaleAndMask"/>), then <see cref="OnlineSoftmax.AddBlock"/>
/// (running max, running sum, rescaled accumulator, value axpys).</item>
/// </list>
/// Memory per thread is a few blocks, never n_q × n_k; with a causal mask the key blocks past a query block's last
/// visible key are not visited at all. Results match softmax(Q·Kᵀ)·V up to float32 rounding in a different order.
/// </summary>
internal static class TiledAttention
{
    /// <summary>Query rows per work item.</summary>
    public const int QueryBlock = 64;

    /// <summary>Keys per block; the transposed keys' stride is a multiple of it, so a block never reads past the buffer.</summary>
    public const int KeyBlock = TransposedKeys.StrideMultiple;

    public static unsafe void Forward(
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> output,
        in AttentionShape shape, float scale, in KeyMask mask, int maxThreads)
    {
        using var keysT = new TransposedKeys(k, shape);
        fixed (float* qp = q, kp = k, vp = v, op = output)
        {
            var tensors = new PinnedTensors(qp, q.Length, kp, k.Length, vp, v.Length, op, output.Length, null, 0);
            var work = new QueryBlocks(tensors, keysT, shape, scale, mask);
            int blocksPerHead = (shape.QueryLength + QueryBlock - 1) / QueryBlock;
            double flopsPerItem = 2.0 * QueryBlock * shape.KeyLength * (shape.HeadDim + shape.ValueDim);
            WorkSplitter.Run(work, shape.Heads * blocksPerHead, flopsPerItem, maxThreads);
        }
    }

    private readonly struct QueryBlocks(PinnedTensors tensors, TransposedKeys keysT, AttentionShape shape, float scale, KeyMask mask) : IWorkItems
    {
        public void Run(int item)
        {
            int blocksPerHead = (shape.QueryLength + QueryBlock - 1) / QueryBlock;
            int h = item / blocksPerHead;
            int firstRow = item % blocksPerHead * QueryBlock;
            int rows = Math.Min(QueryBlock, shape.QueryLength - firstRow);
            int endRow = firstRow + rows;

            int nQ = shape.QueryLength, nK = shape.KeyLength, dK = shape.HeadDim, dV = shape.ValueDim;
            int kvHead = h / shape.GroupSize;
            var qBlock = tensors.Q.Slice((h * nQ + firstRow) * dK, rows * dK);     // [rows, d_k]
            var kT = keysT.Head(kvHead);                                           // [d_k, stride]
            var vHead = tensors.V.Slice(kvHead * nK * dV, nK * dV);                // [n_k, d_v]

            // Scratch: tile [4, KeyBlock], probs [KeyBlock], acc [rows, d_v], max [rows], sum [rows].
            int tileSize = ScoreTile.Rows * KeyBlock;
            float[] scratch = ArrayPool<float>.Shared.Rent(tileSize + KeyBlock + rows * dV + 2 * rows);
            try
            {
                var tile = scratch.AsSpan(0, tileSize);
                var probs = scratch.AsSpan(tileSize, KeyBlock);
                var acc = scratch.AsSpan(tileSize + KeyBlock, rows * dV);
                var max = scratch.AsSpan(tileSize + KeyBlock + rows * dV, rows);
                var sum = scratch.AsSpan(tileSize + KeyBlock + rows * dV + rows, rows);
                acc.Clear();
                max.Fill(float.NegativeInfinity);
                sum.Clear();

                int blockVisible = mask.MaxVisibleKeys(firstRow, rows);            // causal: later blocks are skipped, not masked
                for (int kb = 0; kb < blockVisible; kb += KeyBlock)
                {
                    for (int g = firstRow; g < endRow; g += ScoreTile.Rows)
                    {
                        int groupRows = Math.Min(ScoreTile.Rows, endRow - g);
                        int groupKeys = Math.Min(KeyBlock, mask.MaxVisibleKeys(g, groupRows) - kb);
                        if (groupKeys <= 0) continue;
                        ScoreTile.Compute(qBlock.Slice((g - firstRow) * dK), groupRows, dK, kT[kb..], keysT.Stride, groupKeys, tile, KeyBlock);

                        for (int r = 0; r < groupRows; r++)
                        {
                            int i = g + r, local = i - firstRow;
                            int rowKeys = Math.Min(groupKeys, mask.VisibleKeys(i) - kb);
                            if (rowKeys <= 0) continue;
                            var scores = tile.Slice(r * KeyBlock, rowKeys);        // [rowKeys]
                            var bias = mask.BiasRow(h, i);
                            var allowed = mask.AllowedRow(h, i);
                            ScoreRow.ScaleAndMask(scores, bias.IsEmpty ? bias : bias.Slice(kb, rowKeys),
                                allowed.IsEmpty ? allowed : allowed.Slice(kb, rowKeys), scale);
                            OnlineSoftmax.AddBlock(scores, probs[..rowKeys], vHead.Slice(kb * dV, rowKeys * dV),
                                ref max[local], ref sum[local], acc.Slice(local * dV, dV));
                        }
                    }
                }

                var outBlock = tensors.Output.Slice((h * nQ + firstRow) * dV, rows * dV);   // [rows, d_v]
                for (int local = 0; local < rows; local++)
                    OnlineSoftmax.Finish(sum[local], acc.Slice(local * dV, dV), outBlock.Slice(local * dV, dV));
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        }
    }
}
