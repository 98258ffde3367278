using System.Runtime.CompilerServices;
using Attention.Kernels.Simd;

namespace Attention.Kernels.Tiled;

/// <summary>
/// The work items of the tiled kernel: item = (head, block of <see cref="TileShape.QueryBlock"/> query rows). An item
/// walks the key blocks its rows can see; for each block and each group of 4 rows it computes the score tile
/// (<see cref="ScoreTile"/>), masks it, takes an online-softmax step (<see cref="TileSoftmax"/>) and adds the block's
/// values (P·V in <see cref="RowTile"/>). Under a causal mask the key blocks past the item's last visible key are never
/// visited, and within a block a group computes only the panels up to its last visible key.
/// </summary>
[SkipLocalsInit]
internal readonly unsafe struct QueryBlocks<TW, TVec> : IWorkItems where TW : IVectorWidth<TVec> where TVec : struct
{
    private readonly float* _q, _v, _output, _panels;   // q [heads, n_q, d_k], v [kvHeads, n_k, d_v], output [heads, n_q, d_v], K panels
    private readonly float* _valuePanels;                // V as [kvHeads, panels, n_k, 64] when d_v > 64, else null
    private readonly int _panelsPerHead;
    private readonly AttentionShape _shape;
    private readonly float _scale;
    private readonly KeyMask _mask;

    public QueryBlocks(float* q, float* v, float* valuePanels, float* output, float* panels, int panelsPerHead, in AttentionShape shape, float scale, in KeyMask mask)
    {
        _q = q;
        _v = v;
        _valuePanels = valuePanels;
        _output = output;
        _panels = panels;
        _panelsPerHead = panelsPerHead;
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
        float* headPanels = _panels + (long)kvHead * _panelsPerHead * dK * panelKeys;

        // Rows past `rows` in the last group are copies of its last row: their sums and maxima are scratch, never read.
        var scratch = new TileScratch(dV, lanes);
        new Span<float>(scratch.Output, rows * dV).Clear();
        new Span<float>(scratch.Max, rows).Fill(float.NegativeInfinity);
        new Span<float>(scratch.Sums, rows * lanes).Clear();
        int* rowKeys = stackalloc int[TileShape.Rows];
        int* diagonalKeys = stackalloc int[TileShape.Rows];
        float* ones = stackalloc float[TileShape.Rows] { 1f, 1f, 1f, 1f };
        bool masks = _mask.HasBiasOrBoolean;

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
                if (most == 0) continue;

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
                float* output = scratch.Output + (long)g * dV;                // [4, d_v]
                if (!TileSoftmax.Step<TW, TVec>(scratch.Scores, TileShape.KeyBlock, vectors, rowKeys, allVisible,
                        scratch.Max + g, scratch.Sums + g * lanes, scratch.Rescale, scratch.Weights))
                {
                    MultiplyValues(kvHead, kb, fewest, block, output, scratch);              // o = α·o + P·V over the keys all 4 rows see
                    if (most > fewest)                                        // keys only some rows see (the causal diagonal)
                    {
                        for (int r = 0; r < TileShape.Rows; r++) diagonalKeys[r] = rowKeys[r] - fewest;
                        var diagonal = new RowTileOperands(scratch.Scores + fewest, TileShape.KeyBlock, block + (long)fewest * dV, dV,
                            most - fewest, output, dV, ones, diagonalKeys);
                        RowTile.MultiplyAccumulate(diagonal, groupRows, 0, dV);   // α already applied above: 1 here
                    }
                }
                else
                {
                    for (int r = 0; r < groupRows; r++)
                        AddValuesSkippingMasked(scratch.Scores + r * TileShape.KeyBlock, scratch.Weights + r * TileShape.KeyBlock,
                            rowKeys[r], scratch.Rescale[r], block, output + r * dV, dV);
                }
            }
        }

        float* outBlock = _output + ((long)h * nQ + firstRow) * dV;          // [rows, d_v]
        for (int r = 0; r < rows; r++)                                       // output row = running sums / l
        {
            float sum = TW.SumAcross(TW.Load(in scratch.Sums[r * lanes]));
            float inverse = sum == 0f ? 0f : 1f / sum;                       // no visible key: a zero row
            float* source = scratch.Output + (long)r * dV, destination = outBlock + (long)r * dV;
            TVec factor = TW.Broadcast(inverse);
            int c = 0;
            for (; c + lanes <= dV; c += lanes) TW.Store(TW.Multiply(TW.Load(in source[c]), factor), ref destination[c]);
            for (; c < dV; c++) destination[c] = source[c] * inverse;
        }
    }

    /// <summary>
    /// o[4, d_v] = α·o + P[4, keys]·V[kb .. kb + keys, :] for one row group: one register-tile pass over the value rows
    /// when d_v ≤ 64, else one pass per 64-column value panel (contiguous rows, <see cref="ValuePanels"/>).
    /// </summary>
    private void MultiplyValues(int kvHead, int kb, int keys, float* block, float* output, in TileScratch scratch)
    {
        int dV = _shape.ValueDim;
        if (_valuePanels == null)
        {
            RowTile.MultiplyAccumulate(new RowTileOperands(scratch.Scores, TileShape.KeyBlock, block, dV, keys, output, dV, scratch.Rescale), TileShape.Rows, 0, dV);
            return;
        }
        int nK = _shape.KeyLength, panels = ValuePanels.PanelsPerHead(dV);
        for (int p = 0; p < panels; p++)
        {
            float* panelBlock = _valuePanels + (((long)kvHead * panels + p) * nK + kb) * ValuePanels.Width;   // [keys, 64]
            var tile = new RowTileOperands(scratch.Scores, TileShape.KeyBlock, panelBlock, ValuePanels.Width, keys,
                output + p * ValuePanels.Width, dV, scratch.Rescale);
            RowTile.MultiplyAccumulate(tile, TileShape.Rows, 0, Math.Min(ValuePanels.Width, dV - p * ValuePanels.Width));
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
