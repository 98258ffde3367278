using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Attention.Kernels;

namespace Attention;

/// <summary>
/// Where the elements of a matrix [rows, columns] live in memory: element (r, c) is at
/// <c>(c / BlockWidth)·BlockStride + r·RowStride + c % BlockWidth</c>. Row-major is one block as wide as the matrix;
/// the per-head layout [heads, rows, d_head] of attention is blocks of d_head columns, one head after another. The
/// projections read and write the per-head layout directly, so no split or merge copy is needed.
/// </summary>
internal readonly record struct MatrixLayout(int RowStride, int BlockWidth, long BlockStride)
{
    /// <summary>[rows, columns], row after row.</summary>
    public static MatrixLayout RowMajor(int columns) => new(columns, columns, 0);

    /// <summary>[columns / headDim, rows, headDim]: head h holds columns h·headDim … (h+1)·headDim − 1 of every row.</summary>
    public static MatrixLayout PerHead(int rows, int headDim) => new(headDim, headDim, (long)rows * headDim);
}

/// <summary>
/// One product y = x·W + b, W row-major [inDim, outDim], x and y in any <see cref="MatrixLayout"/>. Work items are
/// (column panel of up to 64 columns within one block of y, block of 128 rows). An item of more than
/// <see cref="InPlaceRows"/> rows copies its W panel to a contiguous thread-local block (W's rows are outDim floats
/// apart, 4 KB for 1024: read in place by many tiles, a panel's cache lines fall on a few cache sets and evict each
/// other); a short item reads the panel where it is. Then it computes b + x·W in 6-row register tiles
/// (<see cref="RowTile"/>) whose sums start at the bias, one tile call across all of x's column blocks, so y is written
/// once and never read (writing the bias into y first and loading it back in every tile was 2–3 % of a layer at
/// n = 128). With <paramref name="packedWeight"/> (W copied once into that panel layout, <see cref="PackedWeight"/>) the
/// per-call copy is skipped.
/// </summary>
internal readonly unsafe struct Projection(
    float* x, MatrixLayout xLayout, float* weight, float* bias, float* y, MatrixLayout yLayout, int rows, int inDim, int outDim,
    float* packedWeight = null)
{
    /// <summary>Output columns per panel: one register tile of Vector512.</summary>
    public const int PanelColumns = 64;

    /// <summary>Rows per work item: enough to reuse each W panel many times, few enough to split 2 ways at n = 128.</summary>
    public const int RowsPerItem = 128;

    [ThreadStatic] private static AlignedBuffer? t_panel;

    /// <summary>
    /// Items of at most this many rows (4 register tiles) read W's panel in place instead of copying it: the copy pays
    /// off only when many tiles reuse the panel. Measured on the course machine, one thread, x·W with W [d, d]: at 6–12
    /// rows in place is 1.3–2.3× faster for d = 512, 1024 and 2048; at 24 rows as fast (d = 1024) or faster (512: 1.2×;
    /// 2048: 1.08×); at 48 rows 10–20 % slower for d = 1024 and 2048, whose power-of-two row strides put a panel's
    /// lines on few cache sets. The real model's 19-token forward pass: 6.9 → 4.9 ms.
    /// </summary>
    public const int InPlaceRows = 24;

    private int Panels => PanelCount(outDim, yLayout.BlockWidth);

    /// <summary>Column panels of W when y's blocks are <paramref name="blockWidth"/> columns wide (a panel never spans two heads).</summary>
    public static int PanelCount(int outDim, int blockWidth) => outDim / blockWidth * PanelsPerOutputBlock(blockWidth);

    private static int PanelsPerOutputBlock(int blockWidth) => (blockWidth + PanelColumns - 1) / PanelColumns;

    /// <summary>Columns [first, first + width) of W and y that panel <paramref name="panel"/> covers.</summary>
    public static (int First, int Width) PanelColumnsOf(int panel, int blockWidth)
    {
        int perBlock = PanelsPerOutputBlock(blockWidth), inBlock = panel % perBlock * PanelColumns;
        return (panel / perBlock * blockWidth + inBlock, Math.Min(PanelColumns, blockWidth - inBlock));
    }

    /// <summary>W[:, first .. first + width) as a contiguous [inDim, width] block.</summary>
    public static void CopyPanel(float* weight, int inDim, int outDim, int first, int width, float* destination)
    {
        for (int k = 0; k < inDim; k++) RowCopy.Copy(weight + (long)k * outDim + first, destination + (long)k * width, width);
    }
    private int RowBlocks => (rows + RowsPerItem - 1) / RowsPerItem;

    /// <summary>The packed panel item <paramref name="item"/> reads (none when W is not packed: its panels are copied or read in place).</summary>
    public WeightPanel PackedPanelOf(int item)
    {
        if (packedWeight == null) return default;
        int panel = item % Panels;
        return new WeightPanel(packedWeight + (long)panel * inDim * PanelColumns, (long)inDim * PanelColumnsOf(panel, yLayout.BlockWidth).Width);
    }

    public int Items => rows == 0 ? 0 : Panels * RowBlocks;

    /// <summary>Arithmetic of one item, at most (for deciding whether threads pay).</summary>
    public double FlopsPerItem => 2.0 * Math.Min(rows, RowsPerItem) * inDim * Math.Min(yLayout.BlockWidth, PanelColumns);

    /// <summary>
    /// Item <paramref name="item"/>: y's rows of its row block, columns of its panel. With packed weights, its first
    /// tiles also bring <paramref name="next"/> (the panel this thread multiplies by next) into the L2 cache, a cache line
    /// per multiply-add step (<see cref="RowTileOperands.Prefetch"/>), so that panel's first tile does not wait on
    /// memory: a layer streams 4 MB of packed weights per call, more than the L2 cache, and the hardware prefetcher
    /// stops at every 4 KB page, so a panel's first tile ran at less than half the speed of the others (5.5 against
    /// 2.3 µs at n = 128, d_model 512, on an Intel Xeon).
    /// </summary>
    [SkipLocalsInit]
    public void Run(int item, WeightPanel next)
    {
        int panels = Panels, blockWidth = yLayout.BlockWidth;
        int panel = item % panels;
        var (firstColumn, width) = PanelColumnsOf(panel, blockWidth);              // of W and y
        int firstRow = item / panels * RowsPerItem, endRow = Math.Min(firstRow + RowsPerItem, rows);
        float* yPanel = y + firstColumn / blockWidth * yLayout.BlockStride + firstColumn % blockWidth;   // y[0, firstColumn]

        float* wPanel;                                                               // W[:, panel]: [inDim, width], rows wStride apart
        int wStride = width;
        if (packedWeight != null) wPanel = packedWeight + (long)panel * inDim * PanelColumns;   // packed once
        else if (endRow - firstRow > InPlaceRows)                                                // copied for many tiles
            CopyPanel(weight, inDim, outDim, firstColumn, width, wPanel = (t_panel ??= new AlignedBuffer()).Ensure((long)inDim * width));
        else
        {
            wPanel = weight + firstColumn;                                                       // read where it is
            wStride = outDim;
        }

        if (next.Start == wPanel) next = default;                                   // the next item reads this same panel
        for (int r = firstRow, tileIndex = 0; r < endRow; tileIndex++)               // y[r .. r+6, panel] = b[panel] + x[r .., :]·W[:, panel]
        {
            long ahead = (long)tileIndex * inDim * RowTile.PrefetchFloatsPerTerm;  // tile t: the next panel's part t
            float* prefetch = next.Start != null && ahead < next.Floats ? next.Start + ahead : null;
            // One call over all of x's columns, whatever its layout: the sums start at the bias and stay in registers
            // across x's column blocks. 6 rows × 4 vectors: 24 sums, 10 loads per 24 multiply-adds (4 rows: 8 per 16).
            int tileRows = TileRows(endRow - r);
            var tile = new RowTileOperands(x + (long)r * xLayout.RowStride, xLayout.RowStride, wPanel, wStride, inDim,
                yPanel + (long)r * yLayout.RowStride, yLayout.RowStride, rescale: null, aBlockWidth: xLayout.BlockWidth,
                aBlockStride: xLayout.BlockStride, initial: bias == null ? null : bias + firstColumn, prefetch: prefetch);
            RowTile.MultiplyAccumulate(tile, tileRows, 0, width);
            r += tileRows;
        }
    }

    /// <summary>
    /// Rows of the next register tile when <paramref name="remaining"/> rows are left: 6 while that leaves no 1-row
    /// tile, the last 7 as 4 + 3 and the last 5 as 3 + 2. A 1-row tile has 4 sums, each multiply-add waiting for the one
    /// before it, so it runs at about half the speed of the others (19 tokens were 6 + 6 + 6 + 1).
    /// </summary>
    private static int TileRows(int remaining) => remaining switch
    {
        6 or >= 8 => 6,
        7 => 4,
        5 => 3,
        _ => remaining,
    };
}

/// <summary>
/// Up to three projections as one parallel loop (a layer's Q, K and V projections): one start-up of the kernel threads
/// instead of three, and the items of all three balance across the threads together.
/// </summary>
internal readonly struct ProjectionSet(Projection first, Projection second = default, Projection third = default) : IWorkItems
{
    public int Items => first.Items + second.Items + third.Items;

    public void Run(int item, int nextItem)
    {
        var next = default(WeightPanel);
        if (nextItem >= 0) next = Locate(ref nextItem).PackedPanelOf(nextItem);   // may be the next projection's first panel
        Locate(ref item).Run(item, next);
    }

    /// <summary>The projection a set item belongs to; <paramref name="item"/> becomes its number there.</summary>
    private Projection Locate(ref int item)
    {
        if (item < first.Items) return first;
        item -= first.Items;
        if (item < second.Items) return second;
        item -= second.Items;
        return third;
    }

    /// <summary>Run every item, on up to <paramref name="maxThreads"/> threads (null: all cores).</summary>
    public void Run(int? maxThreads)
    {
        double flops = Math.Max(first.FlopsPerItem, Math.Max(second.FlopsPerItem, third.FlopsPerItem));
        WorkSplitter.Run(this, Items, flops, maxThreads ?? Environment.ProcessorCount);
    }
}

/// <summary>A packed weight panel: its first float and its length in floats (none: Start null).</summary>
internal readonly unsafe struct WeightPanel(float* start, long floats)
{
    public readonly float* Start = start;
    public readonly long Floats = floats;
}
