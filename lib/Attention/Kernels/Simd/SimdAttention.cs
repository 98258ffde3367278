namespace Attention.Kernels.Simd;

/// <summary>
/// Attention one query row at a time, every inner loop vectorised across the widest accelerated width:
/// <list type="number">
/// <item>scores = q_i · Kᵀ as d_k axpys over the transposed keys kT [d_k, n_k] (vectorised across keys);</item>
/// <item>scale, bias and masks (<see cref="ScoreRow.ScaleAndMask"/>);</item>
/// <item>softmax (<see cref="SoftmaxKernel"/>: vectorised max, exp and sum), straight into the weights row when asked;</item>
/// <item>out_i = Σ_j p_j · v_j as axpys over d_v (<see cref="ScoreRow.AddWeightedValues"/>).</item>
/// </list>
/// Holds one score row per thread, never the n_q × n_k matrix (unless the caller asks for weights, which it fills).
/// Work is split over (head, block of <see cref="RowsPerItem"/> query rows).
/// </summary>
internal static class SimdAttention
{
    /// <summary>Query rows per work item: enough work to amortise the per-item setup, small enough to balance two cores.</summary>
    public const int RowsPerItem = 16;

    public static unsafe void Forward(
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> output, Span<float> weights,
        in AttentionShape shape, float scale, in KeyMask mask, int maxThreads)
    {
        using var keysT = new TransposedKeys(k, shape);
        fixed (float* qp = q, kp = k, vp = v, op = output, wp = weights)
        {
            var tensors = new PinnedTensors(qp, q.Length, kp, k.Length, vp, v.Length, op, output.Length, wp, weights.Length);
            var work = new RowBlocks(tensors, keysT, shape, scale, mask);
            int blocksPerHead = (shape.QueryLength + RowsPerItem - 1) / RowsPerItem;
            double flopsPerItem = 2.0 * RowsPerItem * shape.KeyLength * (shape.HeadDim + shape.ValueDim);
            WorkSplitter.Run(work, shape.Heads * blocksPerHead, flopsPerItem, maxThreads);
        }
    }

    [ThreadStatic] private static AlignedBuffer? t_scratch;

    private readonly struct RowBlocks(PinnedTensors tensors, TransposedKeys keysT, AttentionShape shape, float scale, KeyMask mask) : IWorkItems
    {
        public unsafe void Run(int item, int nextItem)
        {
            int blocksPerHead = (shape.QueryLength + RowsPerItem - 1) / RowsPerItem;
            int h = item / blocksPerHead;
            int firstRow = item % blocksPerHead * RowsPerItem;
            int rows = Math.Min(RowsPerItem, shape.QueryLength - firstRow);

            int nQ = shape.QueryLength, nK = shape.KeyLength, dK = shape.HeadDim, dV = shape.ValueDim;
            int kvHead = h / shape.GroupSize;
            var kT = keysT.Head(kvHead);                                       // [d_k, stride]
            var vHead = tensors.V.Slice(kvHead * nK * dV, nK * dV);            // [n_k, d_v]
            var weights = tensors.Weights;                                     // [heads, n_q, n_k] or empty

            // One score row and one weight row per thread, kept across calls: a warm call allocates nothing.
            var scratch = new Span<float>((t_scratch ??= new AlignedBuffer()).Ensure(2L * nK + 1), 2 * nK + 1);
            for (int i = firstRow; i < firstRow + rows; i++)
            {
                var qRow = tensors.Q.Slice((h * nQ + i) * dK, dK);          // [d_k]
                var outRow = tensors.Output.Slice((h * nQ + i) * dV, dV);   // [d_v]
                var probsRow = weights.IsEmpty ? scratch.Slice(nK, nK) : weights.Slice((h * nQ + i) * nK, nK);  // [n_k]
                int visible = mask.VisibleKeys(i);                          // keys [0, visible) pass causal + padding
                var scores = scratch[..visible];                            // [visible]

                scores.Clear();
                for (int d = 0; d < dK; d++)
                    VectorDriver.Axpy(qRow[d], kT.Slice(d * keysT.Stride, visible), scores);   // scores += q[d] · kT[d, :]
                var bias = mask.BiasRow(h, i);
                var allowed = mask.AllowedRow(h, i);
                ScoreRow.ScaleAndMask(scores, bias.IsEmpty ? bias : bias[..visible], allowed.IsEmpty ? allowed : allowed[..visible], scale);

                SoftmaxKernel.Forward(scores, probsRow[..visible], factor: 1f);
                probsRow[visible..].Clear();                                // keys hidden by causal/padding: weight 0

                outRow.Clear();
                ScoreRow.AddWeightedValues(scores, probsRow[..visible], vHead, outRow);
            }
        }
    }
}
