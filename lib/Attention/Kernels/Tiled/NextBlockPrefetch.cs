namespace Attention.Kernels.Tiled;

/// <summary>
/// Which cache lines of the next key block's packed K and V a softmax step's score tiles bring into the L2 cache while
/// they work on the current block. A work item reads every key block once per step, but once a head's K and V are
/// larger than the L2 cache (n = 4096: 2 MB at d = 64, 4 MB at d = 128, against 2 MB a core on an Intel Xeon) each block
/// comes from L3 for the item's first step in it, and the hardware prefetcher starts again at each 4 KB page. So the
/// item's steps share the next block out between them: step s of S takes the s-th S-th of its K lines and of each
/// value panel's lines, and the group's first score tiles each request <see cref="LinesPerTile"/> of them, one per
/// term of their d_k loop (<see cref="ScoreTile"/>), spread among the multiply-adds (a burst of prefetches fills the
/// line-fill buffers the tiles' own loads need). Measured on that Xeon, switched in one process, time with / without:
/// n = 4096, one thread, d = 128: 0.982, causal 0.990; d = 64: 0.979, two threads 0.975;
/// with AVX2 and no AVX-512 (4-row steps, 16-key panels) 0.991–0.993; where K and V stay in L2 (n = 1024, and n ≤ 256)
/// 0.998–1.001. Not yet measured on Zen 5 (1 MB of L2 a core), where an earlier attempt at prefetching the next
/// block was 0–7 % slower at n = 16384 (MEASUREMENTS.md).
/// </summary>
internal readonly unsafe struct NextBlockPrefetch
{
    private const int LineFloats = AlignedBuffer.LineFloats;

    private readonly float* _keys, _values;            // the next block's first packed key row; value panel 0's first row there (or null)
    private readonly long _keyLines, _valueLines;      // the next block's lines of K, and of each value panel
    private readonly long _keyLinesPerStep, _valueLinesPerStep, _valuePanelFloats;
    private readonly int _keyTiles, _valueTiles, _valuePanels;

    /// <summary>The tiles' lines, each tile one line per term of its d_k loop.</summary>
    public int LinesPerTile { get; }

    /// <param name="keyPanels">A head's packed K [panels, d_k, panelKeys].</param>
    /// <param name="panelKeys">Keys per K panel (the width's register tile): a partial last panel spans a whole one.</param>
    /// <param name="valuePanels">A head's packed V [panels, n_k, width], or null (V read in place: no V to prefetch).</param>
    /// <param name="shape">The call's shape (n_k, d_k, d_v).</param>
    /// <param name="nextBlock">First key of the next block (a multiple of every width's panel).</param>
    /// <param name="nextKeys">Keys of the next block the item will read.</param>
    /// <param name="steps">Softmax steps the item takes in the current block.</param>
    public NextBlockPrefetch(float* keyPanels, int panelKeys, float* valuePanels, in AttentionShape shape, int nextBlock, int nextKeys, int steps)
    {
        int dK = shape.HeadDim, width = ValuePanels.Width(shape.ValueDim);
        LinesPerTile = dK;
        _keys = keyPanels + (long)nextBlock * dK;                                   // panels are [d_k, panelKeys] each
        _keyLines = Lines((long)(nextKeys + panelKeys - 1) / panelKeys * panelKeys * dK);
        _keyLinesPerStep = (_keyLines + steps - 1) / steps;
        _keyTiles = TilesFor(_keyLinesPerStep, dK);
        _values = valuePanels == null ? null : valuePanels + (long)nextBlock * width;
        _valuePanels = valuePanels == null ? 0 : ValuePanels.PanelsPerHead(shape.ValueDim);
        _valuePanelFloats = (long)shape.KeyLength * width;
        _valueLines = Lines((long)nextKeys * width);
        _valueLinesPerStep = (_valueLines + steps - 1) / steps;
        _valueTiles = TilesFor(_valueLinesPerStep, dK);
    }

    /// <summary>Tiles one step needs to request all of its lines.</summary>
    public int TilesPerStep => _keyTiles + _valuePanels * _valueTiles;

    /// <summary>
    /// The first of the <see cref="LinesPerTile"/> lines the score tile of <paramref name="panel"/> (the step's first
    /// group) requests in step <paramref name="step"/>, or null: the step's lines are all taken by earlier panels, or
    /// the block's by earlier steps (a small block shared by many steps). A tile's last lines may run into the next
    /// step's share, or past the block: prefetching never faults.
    /// </summary>
    public float* Tile(int step, int panel)
    {
        if (panel < _keyTiles) return Request(_keys, step * _keyLinesPerStep + (long)panel * LinesPerTile, _keyLines);
        int valueTile = panel - _keyTiles, valuePanel = _valueTiles == 0 ? _valuePanels : valueTile / _valueTiles;   // default: no tiles
        if (valuePanel >= _valuePanels) return null;
        return Request(_values + valuePanel * _valuePanelFloats, step * _valueLinesPerStep + (long)(valueTile % _valueTiles) * LinesPerTile, _valueLines);
    }

    private static float* Request(float* range, long line, long lines) => line < lines ? range + line * LineFloats : null;

    private static long Lines(long floats) => (floats + LineFloats - 1) / LineFloats;

    private static int TilesFor(long lines, int linesPerTile) => (int)((lines + linesPerTile - 1) / linesPerTile);
}
