using System.Runtime.CompilerServices;
using Attention.Kernels.Simd;

namespace Attention.Kernels.Tiled;

/// <summary>
/// The work items of the tiled kernel: item = (head, block of <see cref="TileShape.QueryBlock"/> query rows). An item
/// walks the key blocks its rows can see; for each block and each group of 4 rows it computes the score tile
/// (<see cref="ScoreTile"/>), masks it, takes an online-softmax step (<see cref="TileSoftmax"/>) and adds the block's
/// values (P·V in <see cref="RowTile"/>). Under a causal mask the key blocks past the item's last visible key are never
/// visited, and within a block a group computes only the panels up to its last visible key. A group's running sums start
/// at 0 on its first key block and its last block writes o/l straight into the output: no pass clears or normalises them
/// (at n = 16 those two passes were a sixth of a call).
/// </summary>
[SkipLocalsInit]
internal readonly unsafe struct QueryBlocks<TW, TVec> : IWorkItems where TW : IVectorWidth<TVec> where TVec : struct
{
    private readonly float* _q, _v, _output;             // q [heads, n_q, d_k], v [kvHeads, n_k, d_v], output [heads, n_q, d_v]
    private readonly HeadPanels<TW, TVec> _panels;       // packed K, and V when d_v > 64
    private readonly AttentionShape _shape;
    private readonly float _scale;
    private readonly KeyMask _mask;

    public QueryBlocks(float* q, float* v, float* output, in HeadPanels<TW, TVec> panels, in AttentionShape shape, float scale, in KeyMask mask)
    {
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
    public void Run(int item)
    {
        // Items are numbered last block first: under a causal mask the later query blocks see more keys, and handing
        // out the biggest items first evens out the threads.
        int heads = _shape.Heads, blocks = BlocksPerHead(_shape.QueryLength);
        int h = item % heads;
        int firstRow = (blocks - 1 - item / heads) * TileShape.QueryBlock;
        int rows = Math.Min(TileShape.QueryBlock, _shape.QueryLength - firstRow);

        int nQ = _shape.QueryLength, nK = _shape.KeyLength, dK = _shape.HeadDim, dV = _shape.ValueDim;
        int kvHead = h / _shape.GroupSize;
        int panelKeys = TileShape.PanelKeys<TW, TVec>(), lanes = TW.Count;
        float* q = _q + ((long)h * nQ + firstRow) * dK;                      // [rows, d_k]
        float* values = _v + (long)kvHead * nK * dV;                         // [n_k, d_v]
        _panels.ForHead(kvHead, out float* headPanels, out float* valuePanels);   // [panels, d_k, panelKeys], [panels, n_k, 64] or null

        float* outBlock = _output + ((long)h * nQ + firstRow) * dV;          // [rows, d_v]

        // Rows past `rows` in the last group are copies of its last row: their sums and maxima are scratch, never read.
        // The running sums o need no clearing: a group's first key block starts them at 0, and its last block writes
        // o/l straight into the output.
        var scratch = new TileScratch(dV, lanes);
        new Span<float>(scratch.Max, rows).Fill(float.NegativeInfinity);
        new Span<float>(scratch.Sums, rows * lanes).Clear();
        int* rowKeys = stackalloc int[TileShape.Rows];
        int* diagonalKeys = stackalloc int[TileShape.Rows];
        float* ones = stackalloc float[TileShape.Rows] { 1f, 1f, 1f, 1f };
        float* inverse = stackalloc float[TileShape.Rows];
        bool masks = _mask.HasBiasOrBoolean;

        for (int g = 0; g < rows; g += TileShape.Rows)                       // rows that see no key at all: zeros
            if (_mask.VisibleKeys(firstRow + Math.Min(g + TileShape.Rows, rows) - 1) == 0)
                new Span<float>(outBlock + (long)g * dV, Math.Min(TileShape.Rows, rows - g) * dV).Clear();

        int visible = _mask.MaxVisibleKeys(firstRow, rows);                  // causal: later blocks are skipped, not masked
        for (int kb = 0; kb < visible; kb += TileShape.KeyBlock)
        {
            for (int g = 0; g < rows; g += TileShape.Rows)
            {
                int groupRows = Math.Min(TileShape.Rows, rows - g);
                int fewest = int.MaxValue, most = 0;
                for (int r = 0; r < TileShape.Rows; r++)                      // a short group repeats its last row
                {
                    int keys = Math.Clamp(_mask.VisibleKeys(firstRow + g + Math.Min(r, groupRows - 1)) - kb, 0, TileShape.KeyBlock);
                    rowKeys[r] = keys;
                    fewest = Math.Min(fewest, keys);
                    most = Math.Max(most, keys);
                }
                if (most == 0) continue;                                      // the group saw its last key in an earlier block
                bool first = kb == 0;                                         // visible keys start at key 0
                bool last = _mask.VisibleKeys(firstRow + g + groupRows - 1) <= kb + TileShape.KeyBlock;   // no key for the group past this block

                // Scores only up to the last vector some row sees: the causal diagonal and a short sequence's last
                // panel compute part of a panel, not all of it.
                int vectors = (most + lanes - 1) / lanes, perPanel = panelKeys / lanes;
                float* q0 = q + (long)g * dK;
                float* q1 = q + (long)(g + Math.Min(1, groupRows - 1)) * dK;
                float* q2 = q + (long)(g + Math.Min(2, groupRows - 1)) * dK;
                float* q3 = q + (long)(g + Math.Min(3, groupRows - 1)) * dK;
                for (int p = 0; p * perPanel < vectors; p++)
                    ScoreTile.Compute<TW, TVec>(q0, q1, q2, q3, headPanels + (long)(kb / panelKeys + p) * dK * panelKeys, dK,
                        scratch.Scores + p * panelKeys, TileShape.KeyBlock, _scale, Math.Min(perPanel, vectors - p * perPanel));
                if (masks) ApplyMasks(h, firstRow + g, groupRows, kb, rowKeys, scratch.Scores);

                bool allVisible = fewest == vectors * lanes;
                float* block = values + (long)kb * dV;                        // [keys, d_v]
                float* sums = scratch.Output + (long)g * dV;                  // [4, d_v] running sums o across key blocks
                float* destination = last ? outBlock + (long)g * dV : sums;  // the last block writes o/l to the output
                bool maskedVisibleKey = TileSoftmax.Step<TW, TVec>(scratch.Scores, TileShape.KeyBlock, vectors, rowKeys, allVisible,
                    scratch.Max + g, scratch.Sums + g * lanes, scratch.Rescale, scratch.Weights);
                if (last) Inverses(scratch.Sums + g * lanes, groupRows, inverse);
                if (!maskedVisibleKey)
                {
                    float* rescale = first ? null : scratch.Rescale;          // first keys: the sums start at 0
                    if (most == fewest)                                       // o = α·o + P·V (÷ l on the last block)
                        MultiplyValues(valuePanels, kb, fewest, groupRows, block, sums, rescale, destination, last ? inverse : null, scratch.Scores);
                    else
                    {
                        // The keys all rows see, then the keys only some rows see (the causal diagonal), each row to
                        // its own depth; the ÷ l goes with the second.
                        MultiplyValues(valuePanels, kb, fewest, groupRows, block, sums, rescale, destination, null, scratch.Scores);
                        for (int r = 0; r < TileShape.Rows; r++) diagonalKeys[r] = rowKeys[r] - fewest;
                        var diagonal = new RowTileOperands(scratch.Scores + fewest, TileShape.KeyBlock, block + (long)fewest * dV, dV,
                            most - fewest, destination, dV, ones, diagonalKeys, storeScale: last ? inverse : null);
                        RowTile.MultiplyAccumulate(diagonal, groupRows, 0, dV);
                    }
                }
                else
                {
                    if (first) new Span<float>(sums, groupRows * dV).Clear();
                    for (int r = 0; r < groupRows; r++)
                        AddValuesSkippingMasked(scratch.Scores + r * TileShape.KeyBlock, scratch.Weights + r * TileShape.KeyBlock,
                            rowKeys[r], scratch.Rescale[r], block, sums + r * dV, dV);
                    if (last)
                        for (int r = 0; r < groupRows; r++)
                            VectorDriver.Map(new ReadOnlySpan<float>(sums + r * dV, dV), new Span<float>(destination + r * dV, dV), new ScaleOperator(inverse[r]));
                }
            }
        }
    }

    /// <summary>1/l for each row of a group on its last keys (0 for a row that saw no key: its output row is zeros).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Inverses(float* laneSums, int groupRows, float* inverse)
    {
        for (int r = 0; r < groupRows; r++)
        {
            float sum = TW.SumAcross(TW.Load(in laneSums[r * TW.Count]));
            inverse[r] = sum == 0f ? 0f : 1f / sum;
        }
    }

    /// <summary>
    /// o[rows, d_v] = α·o + P[rows, keys]·V[kb .. kb + keys, :] for one row group (from 0 when α is null), stored to
    /// <paramref name="destination"/> times <paramref name="storeScale"/> when given: one register-tile pass over the
    /// value rows when d_v ≤ 64 or V is not packed, else one pass per 64-column value panel (<see cref="ValuePanels"/>).
    /// </summary>
    private void MultiplyValues(float* valuePanels, int kb, int keys, int rows, float* block, float* sums, float* rescale, float* destination, float* storeScale, float* weights)
    {
        int dV = _shape.ValueDim;
        if (valuePanels == null)
        {
            RowTile.MultiplyAccumulate(new RowTileOperands(weights, TileShape.KeyBlock, block, dV, keys, sums, dV, rescale, null, destination, storeScale), rows, 0, dV);
            return;
        }
        int nK = _shape.KeyLength, panels = ValuePanels.PanelsPerHead(dV);
        for (int p = 0; p < panels; p++)
        {
            float* panelBlock = valuePanels + ((long)p * nK + kb) * ValuePanels.Width;   // [keys, 64]
            int column = p * ValuePanels.Width;
            var tile = new RowTileOperands(weights, TileShape.KeyBlock, panelBlock, ValuePanels.Width, keys,
                sums + column, dV, rescale, null, destination + column, storeScale);
            RowTile.MultiplyAccumulate(tile, rows, 0, Math.Min(ValuePanels.Width, dV - column));
        }
    }

    /// <summary>Bias and boolean mask on the visible logits of each row of the group.</summary>
    private void ApplyMasks(int h, int firstRow, int groupRows, int kb, int* rowKeys, float* scores)
    {
        for (int r = 0; r < TileShape.Rows; r++)
        {
            int row = firstRow + Math.Min(r, groupRows - 1), keys = rowKeys[r];
            if (keys == 0) continue;
            var s = new Span<float>(scores + r * TileShape.KeyBlock, keys);
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
