using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Attention.Kernels.Simd;

namespace Attention.Kernels;

/// <summary>
/// The register tile shared by the tiled attention's P·V and the projections' x·W (<see cref="Linear"/>): for 1 to 4, 6
/// or 8 rows,
/// <code>
/// o[r, c] = α_r · o[r, c] + Σ_k a[r, k] · b[k, c]        for the columns c of a range
/// </code>
/// The columns are walked in chunks of one register tile (4 Vector512 = 64 columns; 2 vectors for narrower widths), then
/// 2 and 1 vectors, then narrower widths down to scalars, so any width works without padding. For each k the tile loads
/// one chunk of b's row and broadcasts one a per row: 16 fused multiply-adds per 4 loads and 4 broadcasts, with the 16
/// sums in registers for the whole k loop. α (the online softmax's rescale, or 1) is applied as the sums are loaded;
/// without α the sums start at 0, or at one given row for every row (a projection's bias, so y is written once).
/// 6 rows take whole chunks (24 sums, 10 loads per 24 multiply-adds): the projections, where that is 1–2 % faster than 4.
/// 8 rows take chunks of 2 vectors (8 × 2 = 16 sums again): the attention's P·V at d_v ≤ 32, where a 4-row tile has only
/// 8 sums (4 × 2), too few to keep both multiply-add units busy (measured 5 % faster at n ≥ 256, d = 32).
/// </summary>
internal static unsafe class RowTile
{
    /// <summary>Floats of <see cref="RowTileOperands.Prefetch"/> brought into the L2 cache per term k: one cache line.</summary>
    public const int PrefetchFloatsPerTerm = AlignedBuffer.LineFloats;

    /// <summary>Columns [<paramref name="fromColumn"/>, <paramref name="toColumn"/>) of <paramref name="rows"/> (1 to 4, 6 or 8) rows.</summary>
    public static void MultiplyAccumulate(in RowTileOperands tile, int rows, int fromColumn, int toColumn)
    {
        if (tile.Prefetch != null) MultiplyAccumulate<SameDepthPrefetching>(tile, rows, fromColumn, toColumn);   // projections
        else if (tile.RowDepth == null) MultiplyAccumulate<SameDepth>(tile, rows, fromColumn, toColumn);
        else MultiplyAccumulate<DepthPerRow>(tile, rows, fromColumn, toColumn);
    }

    private static void MultiplyAccumulate<TLoop>(in RowTileOperands tile, int rows, int fromColumn, int toColumn) where TLoop : struct, ITermLoop
    {
        switch (rows)
        {
            case 8: Columns<Eight, TLoop>(tile, fromColumn, toColumn); break;
            case 6: Columns<Six, TLoop>(tile, fromColumn, toColumn); break;
            case 4: Columns<Four, TLoop>(tile, fromColumn, toColumn); break;
            case 3: Columns<Three, TLoop>(tile, fromColumn, toColumn); break;
            case 2: Columns<Two, TLoop>(tile, fromColumn, toColumn); break;
            case 1: Columns<One, TLoop>(tile, fromColumn, toColumn); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows), rows, "A row tile has 1 to 4 rows, 6 or 8.");
        }
    }

    private static void Columns<TRows, TLoop>(in RowTileOperands tile, int column, int end) where TRows : struct, ICount where TLoop : struct, ITermLoop
    {
        if (TRows.Count == 8)                                           // 8 rows: 2 vectors a row at most (16 sums)
        {
            if (Vector512.IsHardwareAccelerated) column = Columns<TRows, TLoop, Width512, Vector512<float>, Two>(tile, column, end);
            if (column == end) return;
            if (Vector256.IsHardwareAccelerated) column = Columns<TRows, TLoop, Width256, Vector256<float>, One>(tile, column, end);
            if (Vector128.IsHardwareAccelerated) column = Columns<TRows, TLoop, Width128, Vector128<float>, One>(tile, column, end);
            Columns<TRows, TLoop, ScalarWidth, float, One>(tile, column, end);
            return;
        }
        if (Vector512.IsHardwareAccelerated) column = Columns<TRows, TLoop, Width512, Vector512<float>, Four>(tile, column, end);
        if (column == end) return;                                      // the usual case: no narrower width to call
        if (Vector256.IsHardwareAccelerated) column = Columns<TRows, TLoop, Width256, Vector256<float>, Two>(tile, column, end);
        if (Vector128.IsHardwareAccelerated) column = Columns<TRows, TLoop, Width128, Vector128<float>, Two>(tile, column, end);
        Columns<TRows, TLoop, ScalarWidth, float, Two>(tile, column, end);
    }

    /// <summary>
    /// Every column from <paramref name="column"/> to <paramref name="end"/> this width can take: whole chunks, then
    /// two-vector chunks, then single vectors (the fewer sums a tile has, the more its multiply-adds wait for each other).
    /// </summary>
    private static int Columns<TRows, TLoop, TW, TVec, TChunk>(in RowTileOperands tile, int column, int end)
        where TRows : struct, ICount where TLoop : struct, ITermLoop where TW : IVectorWidth<TVec> where TVec : struct where TChunk : struct, ICount
    {
        for (; column + TChunk.Count * TW.Count <= end; column += TChunk.Count * TW.Count)
            Chunk<TRows, TLoop, TW, TVec, TChunk>(tile, column);
        if (TChunk.Count > 2)                                           // e.g. d_v = 32 with Vector512: 8 sums, not 4
            for (; column + 2 * TW.Count <= end; column += 2 * TW.Count)
                Chunk<TRows, TLoop, TW, TVec, Two>(tile, column);
        for (; column + TW.Count <= end; column += TW.Count)
            Chunk<TRows, TLoop, TW, TVec, One>(tile, column);
        return column;
    }

    /// <summary>Columns [column, column + vectors·W) of the rows, sums in registers across all k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // optimised from the first call (no slow tier-0 pass)
    private static void Chunk<TRows, TLoop, TW, TVec, TChunk>(in RowTileOperands tile, int column)
        where TRows : struct, ICount where TLoop : struct, ITermLoop where TW : IVectorWidth<TVec> where TVec : struct where TChunk : struct, ICount
    {
        int n = TW.Count, rows = TRows.Count, vectors = TChunk.Count;   // JIT-time constants: unused sums disappear
        bool perRow = TLoop.PerRow;                                    // JIT-time constant: no test in the usual loop
        bool six = rows == 6;                                           // rows 4 and 5 take s4x, s6x and s5x, s7x
        int depth0 = Depth(tile, perRow, rows, 0), depth1 = Depth(tile, perRow, rows, 1), depth2 = Depth(tile, perRow, rows, 2), depth3 = Depth(tile, perRow, rows, 3);
        int depth4 = Depth(tile, perRow, rows, 4), depth5 = Depth(tile, perRow, rows, 5), depth6 = Depth(tile, perRow, rows, 6), depth7 = Depth(tile, perRow, rows, 7);
        int aStride = tile.AStride, bStride = tile.BStride, oStride = tile.OStride;
        // s[row][vector]: 4 rows × 4 vectors; 8 rows × 2 (rows 4–7 have no vectors 2 and 3: their refs go to `unused`);
        // 6 rows × 4, rows 4 and 5 borrowing rows 6 and 7's sums for their vectors 2 and 3.
        System.Diagnostics.Debug.Assert(rows <= 4 || six || vectors <= 2, "an 8-row tile takes chunks of at most 2 vectors");
        TVec s00 = TW.Zero, s01 = TW.Zero, s02 = TW.Zero, s03 = TW.Zero, s10 = TW.Zero, s11 = TW.Zero, s12 = TW.Zero, s13 = TW.Zero;
        TVec s20 = TW.Zero, s21 = TW.Zero, s22 = TW.Zero, s23 = TW.Zero, s30 = TW.Zero, s31 = TW.Zero, s32 = TW.Zero, s33 = TW.Zero;
        TVec s40 = TW.Zero, s41 = TW.Zero, s50 = TW.Zero, s51 = TW.Zero, s60 = TW.Zero, s61 = TW.Zero, s70 = TW.Zero, s71 = TW.Zero;
        TVec unused = TW.Zero;
        if (tile.Rescale == null && tile.Initial != null)               // every row starts at the same row (a bias)
        {
            float* start = tile.Initial + column;
            TVec i0 = TW.Load(in start[0]), i1 = vectors > 1 ? TW.Load(in start[n]) : TW.Zero;
            TVec i2 = vectors > 2 ? TW.Load(in start[2 * n]) : TW.Zero, i3 = vectors > 3 ? TW.Load(in start[3 * n]) : TW.Zero;
            s00 = s10 = s20 = s30 = s40 = s50 = s60 = s70 = i0;
            s01 = s11 = s21 = s31 = s41 = s51 = s61 = s71 = i1;
            s02 = s12 = s22 = s32 = i2;
            s03 = s13 = s23 = s33 = i3;
            if (six) (s60, s61, s70, s71) = (i2, i3, i2, i3);             // rows 4 and 5's vectors 2 and 3
        }
        if (tile.Rescale != null)                                       // else the sums start at 0 (or Initial) and O is not read
        {
            float* o = tile.O + column;
            float* alpha = tile.Rescale;
            Load<TW, TVec>(o, vectors, alpha[0], ref s00, ref s01, ref s02, ref s03);
            if (rows > 1) Load<TW, TVec>(o + oStride, vectors, alpha[1], ref s10, ref s11, ref s12, ref s13);
            if (rows > 2) Load<TW, TVec>(o + 2 * oStride, vectors, alpha[2], ref s20, ref s21, ref s22, ref s23);
            if (rows > 3) Load<TW, TVec>(o + 3 * oStride, vectors, alpha[3], ref s30, ref s31, ref s32, ref s33);
            if (six)
            {
                Load<TW, TVec>(o + 4 * oStride, vectors, alpha[4], ref s40, ref s41, ref s60, ref s61);
                Load<TW, TVec>(o + 5 * oStride, vectors, alpha[5], ref s50, ref s51, ref s70, ref s71);
            }
            else if (rows > 4)
            {
                Load<TW, TVec>(o + 4 * oStride, vectors, alpha[4], ref s40, ref s41, ref unused, ref unused);
                Load<TW, TVec>(o + 5 * oStride, vectors, alpha[5], ref s50, ref s51, ref unused, ref unused);
                Load<TW, TVec>(o + 6 * oStride, vectors, alpha[6], ref s60, ref s61, ref unused, ref unused);
                Load<TW, TVec>(o + 7 * oStride, vectors, alpha[7], ref s70, ref s71, ref unused, ref unused);
            }
        }

        // Every row takes the terms k < shared (all of them without depths per row); on the causal diagonal each row
        // then takes its own few more, after the main loop, so that loop tests nothing per row.
        int shared = perRow ? Math.Min(Math.Min(Math.Min(depth0, depth1), Math.Min(depth2, depth3)), Math.Min(Math.Min(depth4, depth5), Math.Min(depth6, depth7)))
            : tile.Depth;
        float* b = tile.B + column;
        // The prefetch stream, a cache line per term, in the first chunk only (later chunks re-touch b's first row,
        // already in L1). A JIT-time choice: one more instruction per term cost the attention's P·V about 1 %.
        bool prefetches = TLoop.Prefetches;
        float* ahead = column == 0 ? tile.Prefetch : b;
        int aheadStep = column == 0 ? PrefetchFloatsPerTerm : 0;
        int blockWidth = tile.ABlockWidth > 0 ? tile.ABlockWidth : Math.Max(1, tile.Depth);
        for (int k0 = 0; k0 < shared; k0 += blockWidth)                     // a's column blocks (one unless a is per head)
        {
            // Row r's a[r, k] = a_r[k] within the block: a pointer per row and a native-sized k, so the loop computes no
            // address (a[r·aStride + k] with an int k cost 12 integer instructions per 16 multiply-adds: 1.5–2.5 % of an
            // attention call, up to 5 % of a layer, on an Intel Xeon).
            float* a0 = tile.A + k0 / blockWidth * tile.ABlockStride - k0, a1 = a0 + aStride, a2 = a1 + aStride, a3 = a2 + aStride;
            float* a4 = a3 + aStride, a5 = a4 + aStride, a6 = a5 + aStride, a7 = a6 + aStride;
            nint end = Math.Min(k0 + blockWidth, shared), bStep = bStride, aheadBy = prefetches ? aheadStep : 0;
            for (nint k = k0; k < end; k++, b += bStep, ahead += aheadBy)
            {
                if (prefetches && Sse.IsSupported) Sse.Prefetch1(ahead);   // into L2
                TVec b0 = TW.Load(in b[0]);                                 // b[k, column ..]
                TVec b1 = vectors > 1 ? TW.Load(in b[n]) : TW.Zero;
                TVec b2 = vectors > 2 ? TW.Load(in b[2 * n]) : TW.Zero;
                TVec b3 = vectors > 3 ? TW.Load(in b[3 * n]) : TW.Zero;
                Add<TW, TVec>(a0[k], vectors, b0, b1, b2, b3, ref s00, ref s01, ref s02, ref s03);   // row r += a[r, k]·b[k, column ..]
                if (rows > 1) Add<TW, TVec>(a1[k], vectors, b0, b1, b2, b3, ref s10, ref s11, ref s12, ref s13);
                if (rows > 2) Add<TW, TVec>(a2[k], vectors, b0, b1, b2, b3, ref s20, ref s21, ref s22, ref s23);
                if (rows > 3) Add<TW, TVec>(a3[k], vectors, b0, b1, b2, b3, ref s30, ref s31, ref s32, ref s33);
                if (six)
                {
                    Add<TW, TVec>(a4[k], vectors, b0, b1, b2, b3, ref s40, ref s41, ref s60, ref s61);
                    Add<TW, TVec>(a5[k], vectors, b0, b1, b2, b3, ref s50, ref s51, ref s70, ref s71);
                }
                else if (rows > 4)
                {
                    Add<TW, TVec>(a4[k], vectors, b0, b1, b2, b3, ref s40, ref s41, ref unused, ref unused);
                    if (rows > 5) Add<TW, TVec>(a5[k], vectors, b0, b1, b2, b3, ref s50, ref s51, ref unused, ref unused);
                    if (rows > 6) Add<TW, TVec>(a6[k], vectors, b0, b1, b2, b3, ref s60, ref s61, ref unused, ref unused);
                    if (rows > 7) Add<TW, TVec>(a7[k], vectors, b0, b1, b2, b3, ref s70, ref s71, ref unused, ref unused);
                }
            }
        }
        if (perRow)                                                         // b now at row `shared`; a is one block
        {
            System.Diagnostics.Debug.Assert(tile.ABlockWidth == 0, "depths per row take a in one block");
            float* a = tile.A + shared;
            Own<TW, TVec>(a, b, bStride, depth0 - shared, vectors, ref s00, ref s01, ref s02, ref s03);
            if (rows > 1) Own<TW, TVec>(a + aStride, b, bStride, depth1 - shared, vectors, ref s10, ref s11, ref s12, ref s13);
            if (rows > 2) Own<TW, TVec>(a + 2 * aStride, b, bStride, depth2 - shared, vectors, ref s20, ref s21, ref s22, ref s23);
            if (rows > 3) Own<TW, TVec>(a + 3 * aStride, b, bStride, depth3 - shared, vectors, ref s30, ref s31, ref s32, ref s33);
            if (six)
            {
                Own<TW, TVec>(a + 4 * aStride, b, bStride, depth4 - shared, vectors, ref s40, ref s41, ref s60, ref s61);
                Own<TW, TVec>(a + 5 * aStride, b, bStride, depth5 - shared, vectors, ref s50, ref s51, ref s70, ref s71);
            }
            else if (rows > 4)
            {
                Own<TW, TVec>(a + 4 * aStride, b, bStride, depth4 - shared, vectors, ref s40, ref s41, ref unused, ref unused);
                if (rows > 5) Own<TW, TVec>(a + 5 * aStride, b, bStride, depth5 - shared, vectors, ref s50, ref s51, ref unused, ref unused);
                if (rows > 6) Own<TW, TVec>(a + 6 * aStride, b, bStride, depth6 - shared, vectors, ref s60, ref s61, ref unused, ref unused);
                if (rows > 7) Own<TW, TVec>(a + 7 * aStride, b, bStride, depth7 - shared, vectors, ref s70, ref s71, ref unused, ref unused);
            }
        }
        float* t = tile.Destination + column;
        float* storeScale = tile.StoreScale;
        Store<TW, TVec>(t, vectors, storeScale, 0, s00, s01, s02, s03);
        if (rows > 1) Store<TW, TVec>(t + oStride, vectors, storeScale, 1, s10, s11, s12, s13);
        if (rows > 2) Store<TW, TVec>(t + 2 * oStride, vectors, storeScale, 2, s20, s21, s22, s23);
        if (rows > 3) Store<TW, TVec>(t + 3 * oStride, vectors, storeScale, 3, s30, s31, s32, s33);
        if (six)
        {
            Store<TW, TVec>(t + 4 * oStride, vectors, storeScale, 4, s40, s41, s60, s61);
            Store<TW, TVec>(t + 5 * oStride, vectors, storeScale, 5, s50, s51, s70, s71);
        }
        else if (rows > 4)
        {
            Store<TW, TVec>(t + 4 * oStride, vectors, storeScale, 4, s40, s41, unused, unused);
            Store<TW, TVec>(t + 5 * oStride, vectors, storeScale, 5, s50, s51, unused, unused);
            Store<TW, TVec>(t + 6 * oStride, vectors, storeScale, 6, s60, s61, unused, unused);
            Store<TW, TVec>(t + 7 * oStride, vectors, storeScale, 7, s70, s71, unused, unused);
        }
    }

    /// <summary>
    /// Row r's depth on the causal diagonal (0 when every row takes the whole depth; past the tile's rows the last row's,
    /// so that the rows' fewest is the tile's).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Depth(in RowTileOperands tile, bool perRow, int rows, int r) => perRow ? tile.RowDepth[Math.Min(r, rows - 1)] : 0;

    /// <summary>One row's own terms past the shared ones: sums += Σ_k a[k]·b[k, column ..] for k &lt; count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Own<TW, TVec>(float* a, float* b, int bStride, int count, int vectors, ref TVec s0, ref TVec s1, ref TVec s2, ref TVec s3)
        where TW : IVectorWidth<TVec> where TVec : struct
    {
        int n = TW.Count;
        for (int k = 0; k < count; k++, b += bStride)
            Add<TW, TVec>(a[k], vectors, TW.Load(in b[0]), vectors > 1 ? TW.Load(in b[n]) : TW.Zero,
                vectors > 2 ? TW.Load(in b[2 * n]) : TW.Zero, vectors > 3 ? TW.Load(in b[3 * n]) : TW.Zero, ref s0, ref s1, ref s2, ref s3);
    }

    /// <summary>One row's sums += w·b[k, column ..] (a broadcast a[r, k] times the chunk's vectors).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add<TW, TVec>(float weight, int vectors, TVec b0, TVec b1, TVec b2, TVec b3, ref TVec s0, ref TVec s1, ref TVec s2, ref TVec s3)
        where TW : IVectorWidth<TVec> where TVec : struct
    {
        TVec w = TW.Broadcast(weight);
        s0 = TW.MultiplyAdd(w, b0, s0);
        if (vectors > 1) s1 = TW.MultiplyAdd(w, b1, s1);
        if (vectors > 2) { s2 = TW.MultiplyAdd(w, b2, s2); s3 = TW.MultiplyAdd(w, b3, s3); }
    }

    /// <summary>The row's running sums times its α.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load<TW, TVec>(float* row, int vectors, float rescale, ref TVec a, ref TVec b, ref TVec c, ref TVec d)
        where TW : IVectorWidth<TVec> where TVec : struct
    {
        int n = TW.Count;
        TVec alpha = TW.Broadcast(rescale);
        a = TW.Multiply(TW.Load(in row[0]), alpha);
        if (vectors > 1) b = TW.Multiply(TW.Load(in row[n]), alpha);
        if (vectors > 2) { c = TW.Multiply(TW.Load(in row[2 * n]), alpha); d = TW.Multiply(TW.Load(in row[3 * n]), alpha); }
    }

    /// <summary>The row's sums, times its factor when there are factors (the online softmax's 1/l on a row's last keys).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TW, TVec>(float* row, int vectors, float* scale, int r, TVec a, TVec b, TVec c, TVec d) where TW : IVectorWidth<TVec> where TVec : struct
    {
        int n = TW.Count;
        if (scale != null)
        {
            TVec factor = TW.Broadcast(scale[r]);
            a = TW.Multiply(a, factor);
            if (vectors > 1) b = TW.Multiply(b, factor);
            if (vectors > 2) { c = TW.Multiply(c, factor); d = TW.Multiply(d, factor); }
        }
        TW.Store(a, ref row[0]);
        if (vectors > 1) TW.Store(b, ref row[n]);
        if (vectors > 2) { TW.Store(c, ref row[2 * n]); TW.Store(d, ref row[3 * n]); }
    }

}

/// <summary>
/// How a tile's loop over the terms k runs, fixed when it is compiled: every row takes all <see cref="RowTileOperands.Depth"/>
/// terms or each its own first few; and whether it streams <see cref="RowTileOperands.Prefetch"/> into the L2 cache.
/// </summary>
internal interface ITermLoop
{
    static abstract bool PerRow { get; }
    static abstract bool Prefetches { get; }
}
internal readonly struct SameDepth : ITermLoop { public static bool PerRow => false; public static bool Prefetches => false; }
internal readonly struct DepthPerRow : ITermLoop { public static bool PerRow => true; public static bool Prefetches => false; }
internal readonly struct SameDepthPrefetching : ITermLoop { public static bool PerRow => false; public static bool Prefetches => true; }

/// <summary>
/// The operands of <see cref="RowTile.MultiplyAccumulate"/>: a [rows, depth] (row stride AStride), b [depth, columns]
/// (row stride BStride), o [rows, columns] (row stride OStride) and α for each row. With <c>rowDepth</c>, row r sums
/// only k &lt; rowDepth[r] (≤ depth), and b's rows past that are never multiplied into it: the causal diagonal, where
/// a later row sees a few more keys than the one before it (a value row a row cannot see must not reach it, even
/// times a weight of 0, in case it holds NaN).
/// With <c>aBlockWidth</c> &gt; 0, a is stored in column blocks of that width, <c>aBlockStride</c> floats apart (the
/// per-head layout [heads, rows, d_head] of the attention output that the output projection reads): one call still
/// covers the whole depth, the sums staying in registers across the blocks.
/// Without α (<c>rescale</c> null) the sums start at 0 and o is not read (a row's first keys: no buffer to clear).
/// The results go to <c>destination</c> (same row stride; o when null), each row times <c>storeScale</c>[r] when
/// given (a row's last keys: the softmax's 1/l, written straight into the attention output).
/// With <c>prefetch</c>, the chunk at column 0 brings memory from there on into the L2 cache while it runs,
/// <see cref="RowTile.PrefetchFloatsPerTerm"/> floats per term (a projection's next weight panel); prefetching never
/// faults, so the stream may run past the end of its buffer.
/// </summary>
internal readonly unsafe struct RowTileOperands(float* a, int aStride, float* b, int bStride, int depth, float* o, int oStride, float* rescale,
    int* rowDepth = null, float* destination = null, float* storeScale = null, int aBlockWidth = 0, long aBlockStride = 0, float* initial = null,
    float* prefetch = null)
{
    public readonly float* A = a;
    public readonly int AStride = aStride;
    public readonly float* B = b;
    public readonly int BStride = bStride;
    public readonly int Depth = depth;
    public readonly float* O = o;
    public readonly int OStride = oStride;
    public readonly float* Rescale = rescale;
    public readonly int* RowDepth = rowDepth;
    public readonly float* Destination = destination == null ? o : destination;
    public readonly float* StoreScale = storeScale;
    public readonly int ABlockWidth = aBlockWidth;
    public readonly long ABlockStride = aBlockStride;
    public readonly float* Initial = initial;
    public readonly float* Prefetch = prefetch;
}
