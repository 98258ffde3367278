using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Attention.Kernels.Simd;

namespace Attention.Kernels.Tiled;

/// <summary>
/// The work items of the tiled kernel: item = (head, block of <see cref="TileShape.QueryBlock"/> query rows). An item
/// walks the key blocks its rows can see; for each block it takes its rows 8 at a time with Vector512 (<see cref="TileShape.StepRows{TW, TVec}"/>:
/// two groups of 4, else one): the score tiles of the groups (<see cref="ScoreTile"/>), masked, then one online-softmax
/// step over their rows (<see cref="TileSoftmax"/>), then each group's P·V (<see cref="RowTile"/>; with d_v ≤ 32 one
/// 8-row tile for both). The two groups' score tiles take the key panels one at a time, so the second group reads each
/// panel from the L1 cache, and at a small n_k their P·V tiles read values the first group just brought there: at
/// n = 64, d = 128 (32 KB of keys and 32 KB of values per head) one group at a time was 2–5 % slower. Under a causal mask the key blocks past the item's last visible key are never
/// visited, and within a block a group computes only the panels up to its last visible key. A group's running sums start
/// at 0 on its first key block and its last block writes o/l straight into the output: no pass clears or normalises them
/// (at n = 16 those two passes were a sixth of a call).
/// </summary>
[SkipLocalsInit]
internal readonly unsafe struct QueryBlocks<TW, TVec> : IWorkItems where TW : IVectorWidth<TVec> where TVec : struct
{
    private readonly float* _q, _v, _output;             // q [heads, n_q, d_k], v [kvHeads, n_k, d_v], output [heads, n_q, d_v]
    private readonly HeadPanels<TW, TVec> _panels;       // packed K, and V when ValuePanels.Needed
    private readonly AttentionShape _shape;
    private readonly float _scale;
    private readonly KeyMask _mask;
    private readonly int _firstHead, _headCount;         // the query heads this run covers (all, or one K/V head's group)

    public QueryBlocks(float* q, float* v, float* output, in HeadPanels<TW, TVec> panels, in AttentionShape shape, float scale, in KeyMask mask,
        int firstHead, int headCount)
    {
        _firstHead = firstHead;
        _headCount = headCount;
        _q = q;
        _v = v;
        _output = output;
        _panels = panels;
        _shape = shape;
        _scale = scale;
        _mask = mask;
    }

    public static int BlocksPerHead(int queryLength) => (queryLength + TileShape.QueryBlock - 1) / TileShape.QueryBlock;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(int item, int nextItem)
    {
        // Items are numbered last block first: under a causal mask the later query blocks see more keys, and handing
        // out the biggest items first evens out the threads.
        int blocks = BlocksPerHead(_shape.QueryLength);
        int h = _firstHead + item % _headCount;
        int firstRow = (blocks - 1 - item / _headCount) * TileShape.QueryBlock;
        int rows = Math.Min(TileShape.QueryBlock, _shape.QueryLength - firstRow);

        int nQ = _shape.QueryLength, nK = _shape.KeyLength, dK = _shape.HeadDim, dV = _shape.ValueDim;
        int kvHead = h / _shape.GroupSize;
        int lanes = TW.Count;
        float* q = _q + ((long)h * nQ + firstRow) * dK;                      // [rows, d_k]
        float* values = _v + (long)kvHead * nK * dV;                         // [n_k, d_v]
        _panels.ForHead(kvHead, out float* headPanels, out float* valuePanels);   // [panels, d_k, panelKeys], [panels, n_k, width] or null

        float* outBlock = _output + ((long)h * nQ + firstRow) * dV;          // [rows, d_v]

        // Rows past `rows` in the last step are copies of its last row: their outputs are never read, but their m and
        // l are set here too. A lagging step decides for all its rows at once (a shift that is not moderate, an
        // exponent past the bound), so a copy's m left over from an earlier item would steer the real rows onto the
        // exact path or off it, and the output would depend on what the thread ran before (found by
        // TiledThreadsTests: a 2-row block on 4 threads differed from one thread in the last bit).
        // The running sums o need no clearing: a group's first key block starts them at 0, and its last block writes
        // o/l straight into the output.
        var scratch = new TileScratch(dV, lanes);
        int stepSize = TileShape.StepRows<TW, TVec>();
        int slotRows = Math.Min(TileShape.QueryBlock, (rows + stepSize - 1) / stepSize * stepSize);   // rows and their copies
        new Span<float>(scratch.Max, slotRows).Fill(float.NegativeInfinity);
        new Span<float>(scratch.Sums, slotRows * lanes).Clear();
        int* rowKeys = stackalloc int[TileShape.MostStepRows];
        bool masks = _mask.HasBiasOrBoolean;
        bool lag = !masks;                                                   // lagging shifts, until one has to be redone

        for (int g = 0; g < rows; g += TileShape.Rows)                       // rows that see no key at all: zeros
            if (_mask.VisibleKeys(firstRow + Math.Min(g + TileShape.Rows, rows) - 1) == 0)
                new Span<float>(outBlock + (long)g * dV, Math.Min(TileShape.Rows, rows - g) * dV).Clear();

        int visible = _mask.MaxVisibleKeys(firstRow, rows);                  // causal: later blocks are skipped, not masked
        int steps = (rows + stepSize - 1) / stepSize;
        for (int kb = 0; kb < visible; kb += TileShape.KeyBlock)
        {
            // The steps bring the next block into L2 while they use this one (no next block: default, no requests).
            int nextKeys = Math.Min(TileShape.KeyBlock, visible - kb - TileShape.KeyBlock);
            var next = nextKeys > 0 ? new NextBlockPrefetch(headPanels, TileShape.PanelKeys<TW, TVec>(), valuePanels, _shape, kb + TileShape.KeyBlock, nextKeys, steps) : default;
            // A softmax step takes two row groups with Vector512 (one when at most 4 rows are left); each group has
            // its own score tile and its own P·V tile.
            for (int s = 0; s < rows; s += stepSize)
            {
                int stepRows = Math.Min(stepSize, rows - s), slots = stepRows > TileShape.Rows ? TileShape.MostStepRows : TileShape.Rows;
                int fewest = int.MaxValue, most = 0;
                for (int r = 0; r < slots; r++)                               // a short step repeats its last row
                {
                    int keys = Math.Clamp(_mask.VisibleKeys(firstRow + s + Math.Min(r, stepRows - 1)) - kb, 0, TileShape.KeyBlock);
                    rowKeys[r] = keys;
                    fewest = Math.Min(fewest, keys);
                    most = Math.Max(most, keys);
                }
                if (most == 0) continue;                                      // the rows saw their last key in an earlier block

                // Scores only up to the last vector some row of the group sees: the causal diagonal and a short
                // sequence's last panel compute part of a panel, not all of it. What a group leaves uncomputed up to
                // the step's last vector is hidden by the step (its rows see fewer keys).
                ScoreTiles(q + (long)s * dK, stepRows, slots, rowKeys, headPanels, kb, scratch.Scores, next, s / stepSize);
                if (masks)
                    for (int t = 0; t < slots; t += TileShape.Rows)
                        ApplyMasks(h, firstRow + s + t, Math.Min(TileShape.Rows, stepRows - t), kb, rowKeys + t, scratch.Scores + t * TileShape.StepStride);

                int vectors = (most + lanes - 1) / lanes;
                bool allVisible = fewest == vectors * lanes;
                bool maskedVisibleKey = slots == TileShape.MostStepRows
                    ? TileSoftmax.Step<TW, TVec, Eight>(scratch.Scores, TileShape.StepStride, vectors, rowKeys, allVisible, ref lag,
                        scratch.Max + s, scratch.Sums + s * lanes, scratch.Rescale, scratch.Weights)
                    : TileSoftmax.Step<TW, TVec, Four>(scratch.Scores, TileShape.StepStride, vectors, rowKeys, allVisible, ref lag,
                        scratch.Max + s, scratch.Sums + s * lanes, scratch.Rescale, scratch.Weights);

                // P·V: with d_v ≤ 32 (two vectors a row) both groups in one 8-row tile, 16 sums in registers instead of
                // 8 (a 4 × 2 tile's multiply-adds wait for each other); else group by group.
                int groupSize = slots == TileShape.MostStepRows && stepRows == slots && dV <= 2 * lanes
                    && Most(rowKeys, TileShape.Rows) > 0 && Most(rowKeys + TileShape.Rows, TileShape.Rows) > 0
                    && LastBlock(firstRow + s + TileShape.Rows - 1, kb) == LastBlock(firstRow + s + slots - 1, kb)
                    ? TileShape.MostStepRows : TileShape.Rows;
                for (int t = 0; t < slots; t += groupSize)
                {
                    int g = s + t;
                    var group = new Group(Math.Min(groupSize, stepRows - t), Math.Min(groupSize, slots - t), rowKeys + t,
                        scratch.Scores + t * TileShape.StepStride, scratch.Weights + t * TileShape.StepStride, scratch.Rescale + t, scratch.Sums + g * lanes);
                    if (Most(group.RowKeys, group.Slots) == 0) continue;     // this group saw its last key in an earlier block
                    AddValues(group, kb, first: kb == 0, maskedVisibleKey, values, valuePanels,
                        scratch.Output + (long)g * dV, LastBlock(firstRow + g + group.Rows - 1, kb) ? outBlock + (long)g * dV : null);
                }
            }
        }
    }

    /// <summary>
    /// Rows of a softmax step, after the step, that one P·V tile takes (4, or 8 with d_v ≤ 32): its rows, its slots (a
    /// short group repeats its last row up to 4), keys per slot, weights (and scores), α and l.
    /// </summary>
    private readonly struct Group(int rows, int slots, int* rowKeys, float* scores, float* weights, float* rescale, float* laneSums)
    {
        public readonly int Rows = rows, Slots = slots;
        public readonly int* RowKeys = rowKeys;
        public readonly float* Scores = scores, Weights = weights, Rescale = rescale, LaneSums = laneSums;
    }

    /// <summary>Whether a row sees no key past key block <paramref name="kb"/>: its output is written there.</summary>
    private bool LastBlock(int row, int kb) => _mask.VisibleKeys(row) <= kb + TileShape.KeyBlock;

    /// <summary>Most keys a row of a group sees in this block (4 or 8 entries of rowKeys).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Most(int* rowKeys, int slots)
    {
        int most = Math.Max(Math.Max(rowKeys[0], rowKeys[1]), Math.Max(rowKeys[2], rowKeys[3]));
        return slots > TileShape.Rows ? Math.Max(most, Math.Max(Math.Max(rowKeys[4], rowKeys[5]), Math.Max(rowKeys[6], rowKeys[7]))) : most;
    }

    /// <summary>Fewest keys a row of a group sees in this block (4 or 8 entries of rowKeys).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Fewest(int* rowKeys, int slots)
    {
        int fewest = Math.Min(Math.Min(rowKeys[0], rowKeys[1]), Math.Min(rowKeys[2], rowKeys[3]));
        return slots > TileShape.Rows ? Math.Min(fewest, Math.Min(Math.Min(rowKeys[4], rowKeys[5]), Math.Min(rowKeys[6], rowKeys[7]))) : fewest;
    }

    /// <summary>
    /// The scores of a step's rows for keys [kb, kb + keys) of each group (its rows' most, rounded up to whole vectors),
    /// one register tile per key panel and group: panel by panel, each group in turn, so that a second group reads the
    /// panel (16 KB at d_k = 64) from the L1 cache, not again from L2 (1–3 % of a call at n ≥ 256, d = 64, measured
    /// on an Intel Xeon). The first group's tiles also request the step's share of the next key block
    /// (<see cref="NextBlockPrefetch"/>).
    /// </summary>
    private void ScoreTiles(float* q, int stepRows, int slots, int* rowKeys, float* headPanels, int kb, float* scores, in NextBlockPrefetch next, int step)
    {
        int dK = _shape.HeadDim, panelKeys = TileShape.PanelKeys<TW, TVec>(), lanes = TW.Count, perPanel = panelKeys / lanes;
        int vectors0 = (Most(rowKeys, TileShape.Rows) + lanes - 1) / lanes;
        int vectors1 = slots > TileShape.Rows ? (Most(rowKeys + TileShape.Rows, TileShape.Rows) + lanes - 1) / lanes : 0;
        for (int p = 0; p * perPanel < Math.Max(vectors0, vectors1); p++)
        {
            float* panel = headPanels + (long)(kb / panelKeys + p) * dK * panelKeys;   // [d_k, panelKeys]
            for (int t = 0; t < slots; t += TileShape.Rows)
            {
                int vectors = (t == 0 ? vectors0 : vectors1) - p * perPanel;
                if (vectors <= 0) continue;                                     // this group's rows see no key of the panel
                int groupRows = Math.Min(TileShape.Rows, stepRows - t);         // a short group repeats its last row
                float* g = q + (long)t * dK;
                ScoreTile.Compute<TW, TVec>(g, g + (long)Math.Min(1, groupRows - 1) * dK, g + (long)Math.Min(2, groupRows - 1) * dK,
                    g + (long)Math.Min(3, groupRows - 1) * dK, panel, dK, scores + t * TileShape.StepStride + p * panelKeys,
                    TileShape.StepStride, _scale, Math.Min(perPanel, vectors), t == 0 ? next.Tile(step, p) : null);
            }
        }
    }

    /// <summary>
    /// o = α·o + P·V for a group's rows and this block's keys (o starts at 0 on the first block); on the group's last
    /// block the result, divided by l, goes to <paramref name="output"/> instead of o.
    /// </summary>
    private void AddValues(in Group group, int kb, bool first, bool maskedVisibleKey, float* values, float* valuePanels, float* sums, float* output)
    {
        int dV = _shape.ValueDim;
        bool last = output != null;
        float* destination = last ? output : sums;
        float* block = values + (long)kb * dV;                                // [keys, d_v]
        float* inverse = stackalloc float[TileShape.MostStepRows];
        if (last) Inverses(group.LaneSums, group.Rows, inverse);
        if (!maskedVisibleKey)
        {
            int* rowKeys = group.RowKeys;
            int fewest = Fewest(rowKeys, group.Slots), most = Most(rowKeys, group.Slots);
            float* rescale = first ? null : group.Rescale;                    // first keys: the sums start at 0
            // o = α·o + P·V (÷ l on the last block). On the causal diagonal a later row sees a few more keys than the
            // one before it: each row then takes the keys up to its own depth, in the same pass.
            MultiplyValues(valuePanels, kb, most, group.Rows, most == fewest ? null : rowKeys, block, sums, rescale, destination,
                last ? inverse : null, group.Weights);
            return;
        }
        if (first) new Span<float>(sums, group.Rows * dV).Clear();
        for (int r = 0; r < group.Rows; r++)
            AddValuesSkippingMasked(group.Scores + r * TileShape.StepStride, group.Weights + r * TileShape.StepStride,
                group.RowKeys[r], group.Rescale[r], block, sums + r * dV, dV);
        if (last)
            for (int r = 0; r < group.Rows; r++)
                VectorDriver.Map(new ReadOnlySpan<float>(sums + r * dV, dV), new Span<float>(destination + r * dV, dV), new ScaleOperator(inverse[r]));
    }

    /// <summary>
    /// 1/l for each row of a group on its last keys (0 for a row that saw no key: its output row is zeros), four rows at a
    /// time: their lane sums in one transposing tree and one vector division, not a horizontal sum and a scalar division
    /// per row (at n = 64 that was a few percent of a call: measured 2.3–4.7 % faster at n = 16 and 64 on an Intel Xeon).
    /// A group of fewer than 4 rows reads the slots after it too, which are in the scratch (<see cref="TileScratch"/>:
    /// QueryBlock rows, and a group starts at a multiple of 4); what they give is never used.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Inverses(float* laneSums, int groupRows, float* inverse)
    {
        int n = TW.Count;
        for (int r = 0; r < groupRows; r += 4)
        {
            float* rows = laneSums + r * n;
            Vector128<float> sums = TW.SumAcross4(TW.Load(in rows[0]), TW.Load(in rows[n]), TW.Load(in rows[2 * n]), TW.Load(in rows[3 * n]));
            Vector128<float> inverses = Vector128.ConditionalSelect(Vector128.Equals(sums, Vector128<float>.Zero), Vector128<float>.Zero, Vector128<float>.One / sums);
            inverses.Store(inverse + r);
        }
    }

    /// <summary>
    /// o[rows, d_v] = α·o + P[rows, keys]·V[kb .. kb + keys, :] for one row group (from 0 when α is null), row r only to
    /// its own depth <paramref name="rowKeys"/>[r] when given, stored to <paramref name="destination"/> times
    /// <paramref name="storeScale"/> when given: one register-tile pass per value panel (<see cref="ValuePanels"/>: one
    /// panel when d_v ≤ 64), or over the caller's value rows when V is not packed (a few keys: <see cref="ValuePanels.Needed"/>).
    /// </summary>
    private void MultiplyValues(float* valuePanels, int kb, int keys, int rows, int* rowKeys, float* block, float* sums, float* rescale, float* destination, float* storeScale, float* weights)
    {
        int dV = _shape.ValueDim;
        if (valuePanels == null)
        {
            RowTile.MultiplyAccumulate(new RowTileOperands(weights, TileShape.StepStride, block, dV, keys, sums, dV, rescale, rowKeys, destination, storeScale), rows, 0, dV);
            return;
        }
        int nK = _shape.KeyLength, panels = ValuePanels.PanelsPerHead(dV), width = ValuePanels.Width(dV);
        for (int p = 0; p < panels; p++)
        {
            float* panelBlock = valuePanels + ((long)p * nK + kb) * width;      // [keys, width]
            int column = p * width;
            var tile = new RowTileOperands(weights, TileShape.StepStride, panelBlock, width, keys,
                sums + column, dV, rescale, rowKeys, destination + column, storeScale);
            RowTile.MultiplyAccumulate(tile, rows, 0, Math.Min(width, dV - column));
        }
    }

    /// <summary>Bias and boolean mask on the visible logits of each row of the group.</summary>
    private void ApplyMasks(int h, int firstRow, int groupRows, int kb, int* rowKeys, float* scores)
    {
        for (int r = 0; r < TileShape.Rows; r++)
        {
            int row = firstRow + Math.Min(r, groupRows - 1), keys = rowKeys[r];
            if (keys == 0) continue;
            var s = new Span<float>(scores + r * TileShape.StepStride, keys);
            var bias = _mask.BiasRow(h, row);
            if (!bias.IsEmpty) VectorDriver.Zip(s, bias.Slice(kb, keys), s, new AddBiasOperator());
            var allowed = _mask.AllowedRow(h, row);
            if (allowed.IsEmpty) continue;
            allowed = allowed.Slice(kb, keys);
            for (int j = 0; j < keys; j++)
                if (!allowed[j]) s[j] = float.NegativeInfinity;
        }
    }

    /// <summary>
    /// One row of a block with masked keys among the visible ones: rescale the row's sums by α, then add the value rows
    /// of the keys whose score is not -inf (a masked key's value row is never read, so NaN stored there is harmless).
    /// </summary>
    private static void AddValuesSkippingMasked(float* scores, float* weights, int keys, float rescale, float* block, float* output, int dV)
    {
        var row = new Span<float>(output, dV);
        VectorDriver.Map(row, row, new ScaleOperator(rescale));
        for (int j = 0; j < keys; j++)
            if (scores[j] != float.NegativeInfinity)
                VectorDriver.Axpy(weights[j], new ReadOnlySpan<float>(block + (long)j * dV, dV), row);   // row += w_j · v_j
    }
}
