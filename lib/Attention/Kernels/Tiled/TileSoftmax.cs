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
/// <para>
/// The shift m need not be the exact maximum: any m that keeps the weights finite and not too large gives the same o/l
/// (FlashAttention-4 skips most rescales on this ground). So a step whose keys are all visible and unmasked first tries
/// a <em>lagging</em> shift: the row's running m, or on its first keys the maximum of its first vector of logits, with
/// no pass to find the block's maximum. If every exponent stays at most <see cref="MostLaggingExponent"/> (the logits
/// rose less than 2.8 past m) the step is kept, with α = 1; else each row whose logits rose further is redone exactly,
/// a -inf logit or one more than about 87 below the shift (<see cref="LeastUnflushedExponent"/>) sends the whole step
/// down the exact path, and the caller stops trying for the rest of its work item.
/// Measured on an Intel Xeon at n = 1024, d = 64 (one thread, against the exact path in the same process): 0.96 of the
/// time with uniform random inputs (logits within about ±1), 0.99 with logits spread 3 times wider, and 1.00–1.01 with
/// widely spread logits, which are redone once and then take the exact path.
/// </para>
/// </summary>
[SkipLocalsInit]
internal static unsafe class TileSoftmax
{
    private const float Log2E = 1.44269504f;

    /// <summary>Below this |m| the offset m·log2 e is rounded by less than 0.1 in the exponent (1e6 · 2^-24 · 1.44).</summary>
    private const float ModerateLogit = 1e6f;

    /// <summary>
    /// Largest exponent a lagging shift may leave (the exact shift's is 0), so every weight is at most 16. A weight 2^x
    /// is rounded relative to |x| (x itself is a float), so this bound also keeps the large weights as accurate as the
    /// exact shift's: letting them grow to 2^16 left outputs up to 1.8 times further from float64 than the exact path
    /// (<c>TiledBlockBoundaryTests</c>: logits spread by amplitude 2.5), while with 4 they stay within the float32
    /// reference's own error.
    /// </summary>
    private const float MostLaggingExponent = 4f;

    /// <summary>
    /// Least exponent a lagging step's weights may have: they are computed without the flush below 2^-126
    /// (<see cref="VectorMath.Exp2{TW, TVec}"/>), so a step with an exponent below this, or a -inf, is taken again by the
    /// exact path. Heads whose logits spread over more than about 87 within a block (weights below 2^-126 next to 1)
    /// then take the exact path for the rest of their work item, as widely spread logits already did.
    /// </summary>
    private const float LeastUnflushedExponent = -126f;

    /// <summary>
    /// Turn the logits of keys [0, vectors·W) of the rows (4 or 8: <typeparamref name="TRows"/>) into weights, update m and l, and set α.
    /// Keys at or past <paramref name="rowKeys"/>[r] are hidden from row r (causal or padding): they get weight 0.
    /// Returns true when a key a row can see has the score -inf (a boolean or -inf bias mask, or q·k overflowing):
    /// its value row must not be read, and the caller skips those keys by their scores, which are kept.
    /// </summary>
    /// <param name="scores">[rows, stride] logits (scaled, biased, masked scores).</param>
    /// <param name="stride">Row stride of the scores (and weights).</param>
    /// <param name="vectors">Vectors of keys per row in this block.</param>
    /// <param name="rowKeys">Keys each row can see in this block, 0 … vectors·W.</param>
    /// <param name="allVisible">Every row sees every key of the block (the common case: no tail to hide).</param>
    /// <param name="lag">
    /// Whether to try a lagging shift when <paramref name="allVisible"/> (the caller's first steps: true when there is no
    /// bias or boolean mask, as a -inf logit is then rare). Set to false when a lagging step has to be redone: its caller's
    /// later steps (the same head's rows) then go straight to the exact path, so logits that spread widely cost one
    /// wasted step, not one per step.
    /// </param>
    /// <param name="max">m of the rows.</param>
    /// <param name="sums">l of the rows, [rows, W] lane sums.</param>
    /// <param name="rescale">Receives α of the rows.</param>
    /// <param name="weights">[rows, stride] receives the weights. They never overwrite the scores: a lagging row that is
    /// redone, or a step that finds a -inf logit, reads them again.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Step<TW, TVec, TRows>(float* scores, int stride, int vectors, int* rowKeys, bool allVisible, ref bool lag,
        float* max, float* sums, float* rescale, float* weights) where TW : IVectorWidth<TVec> where TVec : struct where TRows : struct, ICount
    {
        if (lag && allVisible && LaggingStep<TW, TVec, TRows>(scores, stride, vectors, max, sums, rescale, weights, ref lag)) return false;

        int n = TW.Count, rows = TRows.Count;                             // 4 or 8, a JIT-time constant
        float* blockMax = stackalloc float[TileShape.MostStepRows];
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
        bool maskedVisibleKey = TW.MinAcrossNative(lowest) == float.NegativeInfinity;   // one reduction for the step

        float* offset = stackalloc float[TileShape.MostStepRows];              // weights are 2^(s·log2 e − offset)
        for (int r = 0; r < rows; r++) offset[r] = Advance<TW, TVec>(scores + r * stride, vectors, max + r, blockMax[r], rescale + r);

        float* blockSums = stackalloc float[TileShape.MostStepRows * n];     // [rows, W] each row's lane sums
        ExpRows<TW, TVec, TRows>(scores, weights, stride, vectors, offset, blockSums, track: false, out _, out _);   // e^(s − m'); hidden keys 0
        UpdateSums<TW, TVec, TRows>(sums, rescale, blockSums);
        return maskedVisibleKey;
    }

    /// <summary>
    /// The exact shift of a row: m' = max(m, the block's maximum), α = e^(m − m'); returns the offset o of its weights
    /// 2^(s·log2 e − o).
    /// </summary>
    private static float Advance<TW, TVec>(float* row, int vectors, float* max, float blockMax, float* rescale) where TW : IVectorWidth<TVec> where TVec : struct
    {
        float previous = *max, updated = MathF.Max(previous, blockMax);   // NaN stays NaN: the row is then undefined
        *max = updated;
        if (updated == float.NegativeInfinity)                            // no visible key so far: weights 0, sums stay 0
        {
            *rescale = 1f;
            return 0f;
        }
        if (MathF.Abs(updated) < ModerateLogit)
        {
            // The offset o = m'·log2 e rounded to float, the exponent in one fused multiply-add; α is a difference
            // of two such offsets, so o's rounding scales the sums and the new weights alike and cancels in the
            // final division.
            float offset = updated * Log2E;
            // α = 0 on a row's first keys, without the scalar 2^x: with n ≤ 512 every step is a row's first keys.
            *rescale = previous == float.NegativeInfinity ? 0f : VectorMath.Exp2<ScalarWidth, float>(previous * Log2E - offset);
            return offset;
        }
        // Huge logits (|m'| ≥ 1e6): o's rounding error would be a large exponent, so subtract m' from the row
        // first (exactly what the scalar reference does); -inf stays -inf.
        SubtractFromRow<TW, TVec>(row, vectors, updated);
        *rescale = VectorMath.Exp2<ScalarWidth, float>((previous - updated) * Log2E);
        return 0f;
    }

    /// <summary>
    /// The step with a lagging shift (see the class): every key of the block visible to every row, no mask. Returns
    /// false, having changed nothing but the weights, when a shift is not moderate or a logit is -inf: the caller then
    /// takes the exact path.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]   // inlined, it made the exact path's registers spill
    private static bool LaggingStep<TW, TVec, TRows>(float* scores, int stride, int vectors, float* max, float* sums, float* rescale, float* weights, ref bool lag)
        where TW : IVectorWidth<TVec> where TVec : struct where TRows : struct, ICount
    {
        int n = TW.Count, rows = TRows.Count;
        float* shift = stackalloc float[TileShape.MostStepRows];
        for (int r = 0; r < rows; r++)
        {
            // The running m, or on the row's first keys the largest logit of its first vector (a lower bound of the
            // block's maximum). How far the logits rise past it is checked after the exponentials, not before.
            float m = max[r] == float.NegativeInfinity ? TW.MaxAcrossNative(TW.Load(in scores[r * stride])) : max[r];
            if (!(MathF.Abs(m) < ModerateLogit)) return lag = false;      // huge, infinite or NaN: the exact path
            shift[r] = m;
        }

        // As in the exact step, all the rows' exponentials in one loop. Their exponents' extremes are tracked instead of
        // the logits' maxima: the highest, which bounds every weight, and the lowest. The weights are not flushed (one
        // compare less per vector), so an exponent below -126 leaves a weight undefined; that, or a -inf (whose value
        // row must not be read), sends the step down the exact path, which flushes.
        float* offset = stackalloc float[TileShape.MostStepRows];
        for (int r = 0; r < rows; r++) offset[r] = shift[r] * Log2E;
        float* blockSums = stackalloc float[TileShape.MostStepRows * n];     // [rows, W] each row's lane sums
        ExpRows<TW, TVec, TRows>(scores, weights, stride, vectors, offset, blockSums, track: true, out TVec lowest, out TVec highest);
        if (!(TW.MinAcrossNative(lowest) >= LeastUnflushedExponent)) return lag = false;

        if (!(TW.MaxAcrossNative(highest) <= MostLaggingExponent))      // some row's logits rose past its shift
        {
            SettleEach<TW, TVec>(scores, stride, vectors, rows, max, shift, sums, rescale, weights, blockSums);
            lag = false;
            return true;
        }
        for (int r = 0; r < rows; r++)                                    // m stays; α = 1 (0 on a row's first keys)
        {
            rescale[r] = max[r] == float.NegativeInfinity ? 0f : 1f;
            max[r] = shift[r];
        }
        UpdateSums<TW, TVec, TRows>(sums, rescale, blockSums);
        return true;
    }

    /// <summary>
    /// Row by row, after lagging exponentials of which some exceeded 2^<see cref="MostLaggingExponent"/>: a row whose
    /// logits stayed within that of its shift keeps its weights, any other is redone with its exact shift.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SettleEach<TW, TVec>(float* scores, int stride, int vectors, int rows, float* max, float* shift, float* sums, float* rescale,
        float* weights, float* blockSums) where TW : IVectorWidth<TVec> where TVec : struct
    {
        int n = TW.Count;
        for (int r = 0; r < rows; r++)
        {
            float* row = scores + r * stride, rowWeights = weights + r * stride;
            TVec rowSums = TW.Load(in blockSums[r * n]);
            TVec highest = TW.Broadcast(float.NegativeInfinity);
            for (int x = 0; x < vectors * n; x += n) highest = TW.MaxNative(highest, TW.Load(in row[x]));
            float blockMax = TW.MaxAcrossNative(highest);
            if (blockMax * Log2E - shift[r] * Log2E <= MostLaggingExponent)
            {
                rescale[r] = max[r] == float.NegativeInfinity ? 0f : 1f;
                max[r] = shift[r];
            }
            else                                                          // NaN included: the exact path makes the row NaN
            {
                TVec offset = TW.Broadcast(-Advance<TW, TVec>(row, vectors, max + r, blockMax, rescale + r));
                TVec log2e = TW.Broadcast(Log2E);
                rowSums = TW.Zero;
                for (int x = 0; x < vectors * n; x += n) rowSums = ExpAndAdd<TW, TVec>(row, rowWeights, x, log2e, offset, rowSums, track: false, ref highest, ref highest);   // untracked: the refs are left alone
            }
            UpdateSums<TW, TVec>(sums + r * n, rescale[r], rowSums);
        }
    }

    /// <summary>
    /// weights = 2^(s·log2 e − offset[r]) for every row of a step, all in one loop: 4 or 8 independent chains of about
    /// 10 dependent steps each per vector, so the core always has work while one waits (one row at a time left it idle at
    /// the start and end of each row, and a step is short: at n = 64 a row has 4 vectors). Each row's lane sums go to
    /// <paramref name="blockSums"/> [rows, W]; with <paramref name="track"/> (a constant at each call: the untracked loop
    /// has no extra instruction) also the lowest and highest exponent of the step, the weights unflushed (<see cref="ExpAndAdd{TW, TVec}"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ExpRows<TW, TVec, TRows>(float* scores, float* weights, int stride, int vectors, float* offset, float* blockSums, bool track,
        out TVec lowest, out TVec highest) where TW : IVectorWidth<TVec> where TVec : struct where TRows : struct, ICount
    {
        int n = TW.Count, rows = TRows.Count;
        TVec log2e = TW.Broadcast(Log2E);
        TVec b0 = TW.Broadcast(-offset[0]), b1 = TW.Broadcast(-offset[1]), b2 = TW.Broadcast(-offset[2]), b3 = TW.Broadcast(-offset[3]);
        TVec b4 = rows > 4 ? TW.Broadcast(-offset[4]) : TW.Zero, b5 = rows > 4 ? TW.Broadcast(-offset[5]) : TW.Zero;
        TVec b6 = rows > 4 ? TW.Broadcast(-offset[6]) : TW.Zero, b7 = rows > 4 ? TW.Broadcast(-offset[7]) : TW.Zero;
        TVec l0 = TW.Zero, l1 = TW.Zero, l2 = TW.Zero, l3 = TW.Zero, l4 = TW.Zero, l5 = TW.Zero, l6 = TW.Zero, l7 = TW.Zero;
        TVec low = TW.Broadcast(float.PositiveInfinity), high = TW.Broadcast(float.NegativeInfinity);
        for (int x = 0, end = vectors * n; x < end; x += n)
        {
            l0 = ExpAndAdd<TW, TVec>(scores, weights, x, log2e, b0, l0, track, ref low, ref high);
            l1 = ExpAndAdd<TW, TVec>(scores + stride, weights + stride, x, log2e, b1, l1, track, ref low, ref high);
            l2 = ExpAndAdd<TW, TVec>(scores + 2 * stride, weights + 2 * stride, x, log2e, b2, l2, track, ref low, ref high);
            l3 = ExpAndAdd<TW, TVec>(scores + 3 * stride, weights + 3 * stride, x, log2e, b3, l3, track, ref low, ref high);
            if (rows > 4)
            {
                l4 = ExpAndAdd<TW, TVec>(scores + 4 * stride, weights + 4 * stride, x, log2e, b4, l4, track, ref low, ref high);
                l5 = ExpAndAdd<TW, TVec>(scores + 5 * stride, weights + 5 * stride, x, log2e, b5, l5, track, ref low, ref high);
                l6 = ExpAndAdd<TW, TVec>(scores + 6 * stride, weights + 6 * stride, x, log2e, b6, l6, track, ref low, ref high);
                l7 = ExpAndAdd<TW, TVec>(scores + 7 * stride, weights + 7 * stride, x, log2e, b7, l7, track, ref low, ref high);
            }
        }
        TW.Store(l0, ref blockSums[0]); TW.Store(l1, ref blockSums[n]); TW.Store(l2, ref blockSums[2 * n]); TW.Store(l3, ref blockSums[3 * n]);
        if (rows > 4)
        {
            TW.Store(l4, ref blockSums[4 * n]); TW.Store(l5, ref blockSums[5 * n]); TW.Store(l6, ref blockSums[6 * n]); TW.Store(l7, ref blockSums[7 * n]);
        }
        lowest = low;
        highest = high;
    }

    /// <summary>
    /// One vector of a row: weights[x ..] = 2^(s·log2 e − o); returns the row's lane sums plus them. With
    /// <paramref name="track"/> (the lagging step) it widens [<paramref name="lowest"/>, <paramref name="highest"/>] by the
    /// exponents and leaves weights below 2^-126 unflushed: the caller discards a step whose lowest exponent is below
    /// <see cref="LeastUnflushedExponent"/>. Without, such weights are 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec ExpAndAdd<TW, TVec>(float* scores, float* weights, int x, TVec log2e, TVec negativeOffset, TVec laneSums, bool track,
        ref TVec lowest, ref TVec highest) where TW : IVectorWidth<TVec> where TVec : struct
    {
        TVec exponent = TW.MultiplyAdd(TW.Load(in scores[x]), log2e, negativeOffset);
        if (track)
        {
            lowest = TW.MinNative(lowest, exponent);
            highest = TW.MaxNative(highest, exponent);
        }
        TVec e = VectorMath.Exp2<TW, TVec>(exponent, flush: !track);
        TW.Store(e, ref weights[x]);
        return TW.Add(laneSums, e);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateSums<TW, TVec>(float* lanes, float rescale, TVec blockSums) where TW : IVectorWidth<TVec> where TVec : struct =>
        TW.Store(TW.MultiplyAdd(TW.Load(in lanes[0]), TW.Broadcast(rescale), blockSums), ref lanes[0]);

    /// <summary>l = α·l + the block's lane sums, for each row of a step (both [rows, W]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateSums<TW, TVec, TRows>(float* lanes, float* rescale, float* blockSums)
        where TW : IVectorWidth<TVec> where TVec : struct where TRows : struct, ICount
    {
        for (int r = 0, n = TW.Count; r < TRows.Count; r++) UpdateSums<TW, TVec>(lanes + r * n, rescale[r], TW.Load(in blockSums[r * n]));
    }

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
