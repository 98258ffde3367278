using System.Runtime.CompilerServices;
using Attention.Kernels.Simd;

namespace Attention.Kernels.Tiled;

/// <summary>
/// One step of the online softmax (Milakov and Gimelshein 2018; FlashAttention) for the rows of one or two score tiles
/// (<see cref="TileShape.StepRows{TW, TVec}"/>).
/// Each row keeps a running maximum m and running sums l = Σ e^(s − m) (one partial sum per vector lane; the lanes are
/// added at the end). A block of logits s raises m to m' = max(m, max s); what was summed so far is rescaled by
/// α = e^(m − m'), which the caller applies to its output sums; the block's weights are e^(s − m').
/// Each exponential is 2^(s·log2 e − m'·log2 e) by <see cref="VectorMath.Exp2{TW, TVec}"/>, the exponent in one fused
/// multiply-add: s·log2 e is never rounded at its full size, only the difference is, so the weights are as accurate as
/// the scalar reference's e^(s − m). (Folding log2 e into the score store instead would round every logit a second
/// time at its full size.)
/// </summary>
[SkipLocalsInit]
internal static unsafe class TileSoftmax
{
    private const float Log2E = 1.44269504f;

    /// <summary>Below this |m| the offset m·log2 e is rounded by less than 0.1 in the exponent (1e6 · 2^-24 · 1.44).</summary>
    private const float ModerateLogit = 1e6f;

    /// <summary>
    /// Turn the logits of keys [0, vectors·W) of the rows (4 or 8: <typeparamref name="TRows"/>) into weights, update m and l, and set α.
    /// Keys at or past <paramref name="rowKeys"/>[r] are hidden from row r (causal or padding): they get weight 0.
    /// Returns true when a key a row can see has the score -inf (a boolean or -inf bias mask, or q·k overflowing):
    /// its value row must not be read, so the weights then go to <paramref name="separateWeights"/> and the scores are
    /// kept for the caller to skip those keys. Otherwise the weights overwrite the scores.
    /// </summary>
    /// <param name="scores">[rows, stride] logits (scaled, biased, masked scores).</param>
    /// <param name="stride">Row stride of the scores (and weights).</param>
    /// <param name="vectors">Vectors of keys per row in this block.</param>
    /// <param name="rowKeys">Keys each row can see in this block, 0 … vectors·W.</param>
    /// <param name="allVisible">Every row sees every key of the block (the common case: no tail to hide).</param>
    /// <param name="max">m of the rows.</param>
    /// <param name="sums">l of the rows, [rows, W] lane sums.</param>
    /// <param name="rescale">Receives α of the rows.</param>
    /// <param name="separateWeights">[rows, stride] where the weights go when a visible score is -inf.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Step<TW, TVec, TRows>(float* scores, int stride, int vectors, int* rowKeys, bool allVisible,
        float* max, float* sums, float* rescale, float* separateWeights) where TW : IVectorWidth<TVec> where TVec : struct where TRows : struct, ICount
    {
        int n = TW.Count, rows = TRows.Count;                             // 4 or 8, a JIT-time constant
        float* blockMax = stackalloc float[TileShape.MostStepRows];
        bool maskedVisibleKey = false;
        TVec lowest = TW.Broadcast(float.PositiveInfinity);   // over the visible whole vectors of all the rows
        for (int r = 0; r < rows; r++)
        {
            // One pass finds the row's maximum and whether a visible score is -inf; the keys hidden from the row
            // (past rowKeys[r]) are set to -inf first and left out of that check.
            float* row = scores + r * stride;
            int visible = allVisible ? vectors * n : rowKeys[r], whole = visible / n;
            if (!allVisible) lowest = HideBeyond<TW, TVec>(row, visible, vectors * n, lowest);
            TVec highest = TW.Broadcast(float.NegativeInfinity);
            int x = 0;
            for (; x < whole; x++)
            {
                TVec s = TW.Load(in row[x * n]);
                highest = TW.MaxNative(highest, s);        // a NaN score may be dropped here, but 2^(NaN − m) below
                lowest = TW.MinNative(lowest, s);          // still makes the row NaN, as it must
            }
            for (; x < vectors; x++) highest = TW.MaxNative(highest, TW.Load(in row[x * n]));
            blockMax[r] = TW.MaxAcrossNative(highest);
        }
        maskedVisibleKey |= TW.MinAcrossNative(lowest) == float.NegativeInfinity;   // one reduction for the step

        float* weights = maskedVisibleKey ? separateWeights : scores;
        float* offset = stackalloc float[TileShape.MostStepRows];              // weights are 2^(s·log2 e − offset)
        for (int r = 0; r < rows; r++)
        {
            float previous = max[r], updated = MathF.Max(previous, blockMax[r]);   // NaN stays NaN: the row is then undefined
            max[r] = updated;
            if (updated == float.NegativeInfinity)                                 // no visible key so far: weights 0, sums stay 0
            {
                rescale[r] = 1f;
                offset[r] = 0f;
            }
            else if (MathF.Abs(updated) < ModerateLogit)
            {
                // The offset o = m'·log2 e rounded to float, the exponent in one fused multiply-add; α is a difference
                // of two such offsets, so o's rounding scales the sums and the new weights alike and cancels in the
                // final division.
                offset[r] = updated * Log2E;
                // α = 0 on a row's first keys, without the scalar 2^x: with n ≤ 512 every step is a row's first keys.
                rescale[r] = previous == float.NegativeInfinity ? 0f : VectorMath.Exp2<ScalarWidth, float>(previous * Log2E - offset[r]);
            }
            else
            {
                // Huge logits (|m'| ≥ 1e6): o's rounding error would be a large exponent, so subtract m' from the row
                // first (exactly what the scalar reference does); -inf stays -inf.
                SubtractFromRow<TW, TVec>(scores + r * stride, vectors, updated);
                offset[r] = 0f;
                rescale[r] = VectorMath.Exp2<ScalarWidth, float>((previous - updated) * Log2E);
            }
        }

        // All the rows' exponentials in one loop: 4 or 8 independent chains of about 10 dependent steps each per vector,
        // so the core always has work while one waits (one row at a time left it idle at the start and end of each
        // row, and a step is short: at n = 64 a row has 4 vectors).
        TVec log2e = TW.Broadcast(Log2E);
        TVec b0 = TW.Broadcast(-offset[0]), b1 = TW.Broadcast(-offset[1]), b2 = TW.Broadcast(-offset[2]), b3 = TW.Broadcast(-offset[3]);
        TVec b4 = rows > 4 ? TW.Broadcast(-offset[4]) : TW.Zero, b5 = rows > 4 ? TW.Broadcast(-offset[5]) : TW.Zero;
        TVec b6 = rows > 4 ? TW.Broadcast(-offset[6]) : TW.Zero, b7 = rows > 4 ? TW.Broadcast(-offset[7]) : TW.Zero;
        TVec l0 = TW.Zero, l1 = TW.Zero, l2 = TW.Zero, l3 = TW.Zero, l4 = TW.Zero, l5 = TW.Zero, l6 = TW.Zero, l7 = TW.Zero;
        for (int x = 0, end = vectors * n; x < end; x += n)
        {
            l0 = ExpAndAdd<TW, TVec>(scores, weights, x, log2e, b0, l0);   // e^(s − m'); hidden keys 0
            l1 = ExpAndAdd<TW, TVec>(scores + stride, weights + stride, x, log2e, b1, l1);
            l2 = ExpAndAdd<TW, TVec>(scores + 2 * stride, weights + 2 * stride, x, log2e, b2, l2);
            l3 = ExpAndAdd<TW, TVec>(scores + 3 * stride, weights + 3 * stride, x, log2e, b3, l3);
            if (rows > 4)
            {
                l4 = ExpAndAdd<TW, TVec>(scores + 4 * stride, weights + 4 * stride, x, log2e, b4, l4);
                l5 = ExpAndAdd<TW, TVec>(scores + 5 * stride, weights + 5 * stride, x, log2e, b5, l5);
                l6 = ExpAndAdd<TW, TVec>(scores + 6 * stride, weights + 6 * stride, x, log2e, b6, l6);
                l7 = ExpAndAdd<TW, TVec>(scores + 7 * stride, weights + 7 * stride, x, log2e, b7, l7);
            }
        }
        UpdateSums<TW, TVec>(sums, rescale[0], l0);                        // l = α·l + Σ weights
        UpdateSums<TW, TVec>(sums + n, rescale[1], l1);
        UpdateSums<TW, TVec>(sums + 2 * n, rescale[2], l2);
        UpdateSums<TW, TVec>(sums + 3 * n, rescale[3], l3);
        if (rows > 4)
        {
            UpdateSums<TW, TVec>(sums + 4 * n, rescale[4], l4);
            UpdateSums<TW, TVec>(sums + 5 * n, rescale[5], l5);
            UpdateSums<TW, TVec>(sums + 6 * n, rescale[6], l6);
            UpdateSums<TW, TVec>(sums + 7 * n, rescale[7], l7);
        }
        return maskedVisibleKey;
    }

    /// <summary>One vector of a row: weights[x ..] = 2^(s·log2 e − o); returns the row's lane sums plus them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec ExpAndAdd<TW, TVec>(float* scores, float* weights, int x, TVec log2e, TVec negativeOffset, TVec laneSums)
        where TW : IVectorWidth<TVec> where TVec : struct
    {
        TVec e = VectorMath.Exp2<TW, TVec>(TW.MultiplyAdd(TW.Load(in scores[x]), log2e, negativeOffset));
        TW.Store(e, ref weights[x]);
        return TW.Add(laneSums, e);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateSums<TW, TVec>(float* lanes, float rescale, TVec blockSums) where TW : IVectorWidth<TVec> where TVec : struct =>
        TW.Store(TW.MultiplyAdd(TW.Load(in lanes[0]), TW.Broadcast(rescale), blockSums), ref lanes[0]);

    /// <summary>s −= m over a row's vectors (huge logits only).</summary>
    private static void SubtractFromRow<TW, TVec>(float* row, int vectors, float m) where TW : IVectorWidth<TVec> where TVec : struct
    {
        TVec subtrahend = TW.Broadcast(m);
        for (int x = 0; x < vectors * TW.Count; x += TW.Count) TW.Store(TW.Subtract(TW.Load(in row[x]), subtrahend), ref row[x]);
    }

    /// <summary>
    /// Scores [keys, count) become -inf (hidden); returns <paramref name="lowest"/> lowered by the visible scores of the
    /// partial vector before them ([keys rounded down to whole vectors, keys)), so that a -inf among them is seen with
    /// the whole vectors' (checked by the caller) in the step's one reduction.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec HideBeyond<TW, TVec>(float* row, int keys, int count, TVec lowest) where TW : IVectorWidth<TVec> where TVec : struct
    {
        int n = TW.Count, whole = keys / n * n, partialLanes = keys - whole;
        int next = keys;
        if (partialLanes > 0)                                              // the vector the row's last visible key is in
        {
            TVec partial = TW.Load(in row[whole]);
            lowest = TW.MinNative(lowest, TW.KeepFirst(partial, partialLanes, float.PositiveInfinity));
            TW.Store(TW.KeepFirst(partial, partialLanes, float.NegativeInfinity), ref row[whole]);
            next = whole + n;
        }
        TVec hidden = TW.Broadcast(float.NegativeInfinity);
        for (; next < count; next += n) TW.Store(hidden, ref row[next]);
        return lowest;
    }
}
