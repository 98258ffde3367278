namespace Attention.Kernels.Tiled;

/// <summary>
/// Each thread's working memory for one work item, carved from a thread-local <see cref="AlignedBuffer"/> that lives as
/// long as the thread (so repeated calls allocate nothing):
/// <code>
/// output   [QueryBlock, d_v]              running sums Σ 2^(s − m)·v of each query row
/// scores   [MostStepRows, StepStride]     a step's scores (kept: a redone lagging row and a -inf score read them again)
/// weights  [MostStepRows, StepStride]     a step's weights
/// max      [QueryBlock]                   running shift m of each row (its maximum so far, or a lagging one)
/// sums     [QueryBlock, W]                running Σ 2^(s − m) of each row, one partial sum per vector lane
/// rescale  [MostStepRows (padded to 16)]  α of the current step's rows
/// </code>
/// </summary>
internal readonly unsafe struct TileScratch
{
    [ThreadStatic] private static AlignedBuffer? t_buffer;

    public readonly float* Output, Scores, Weights, Max, Sums, Rescale;

    public TileScratch(int dV, int lanes)
    {
        const int q = TileShape.QueryBlock, block = TileShape.MostStepRows * TileShape.StepStride;
        long outputSize = RoundUp((long)q * dV), sumsSize = RoundUp((long)q * lanes);
        float* start = (t_buffer ??= new AlignedBuffer()).Ensure(outputSize + 2 * block + q + sumsSize + 16);
        Output = start;
        Scores = Output + outputSize;
        Weights = Scores + block;
        Max = Weights + block;
        Sums = Max + q;
        Rescale = Sums + sumsSize;
    }

    /// <summary>Whole cache lines (16 floats), so every part starts 64-byte aligned.</summary>
    private static long RoundUp(long floats) => (floats + 15) / 16 * 16;
}
