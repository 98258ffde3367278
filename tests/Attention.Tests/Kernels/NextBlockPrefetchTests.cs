using Attention.Kernels.Tiled;

namespace Attention.Tests.Kernels;

/// <summary>
/// <see cref="NextBlockPrefetch"/>: the lines a work item's steps request while they use one key block. A wrong plan
/// changes no output (a prefetch only moves memory between caches), so only these tests see it: every cache line of
/// the next block's packed K and of each value panel's part of it is requested by some step, and every request
/// starts inside those ranges. The pointers are never dereferenced.
/// </summary>
public unsafe class NextBlockPrefetchTests
{
    private const int LineFloats = 16;
    private static readonly float* KeyBase = (float*)0x1000_0000, ValueBase = (float*)0x4000_0000;

    public static TheoryData<int, int, int, int, int, int> Plans()
    {
        // (panel keys, n_k, d_k, d_v, next keys, steps): the course's head sizes with a 128-row item (16 steps of 8
        // rows with Vector512's 64-key panels, 32 of 4 with Vector256's 16), a short last item, a short last block
        // (its last K panel partial), odd sizes and d_v over one value panel.
        var data = new TheoryData<int, int, int, int, int, int>();
        foreach (int panelKeys in new[] { 64, 16 })
            foreach (int d in new[] { 32, 64, 128 })
                foreach (int steps in new[] { 1, 3, 16, 32 })
                    foreach (int nextKeys in new[] { 1, 17, 200, 512 })
                        data.Add(panelKeys, 1536, d, d, nextKeys, steps);
        data.Add(64, 1100, 20, 100, 76, 16);
        data.Add(8, 4096, 1, 1, 512, 16);
        data.Add(16, 4096, 1, 1, 17, 32);                 // fewer lines than steps
        data.Add(64, 1536, 2, 3, 5, 3);
        data.Add(64, 4096, 256, 200, 512, 16);
        return data;
    }

    [Theory]
    [MemberData(nameof(Plans))]
    public void EveryLineOfTheNextBlockIsRequestedAndNothingElse(int panelKeys, int keyLength, int headDim, int valueDim, int nextKeys, int steps)
    {
        var shape = new AttentionShape(heads: 1, queryLength: 1, keyLength: keyLength, headDim: headDim, valueDim: valueDim);
        const int nextBlock = 512;
        var plan = new NextBlockPrefetch(KeyBase, panelKeys, ValueBase, shape, nextBlock, nextKeys, steps);
        Assert.Equal(headDim, plan.LinesPerTile);

        // The next block's ranges: packed K is [panels, d_k, panelKeys], so its panels from key 512 on, the last one
        // whole however few of its keys are real; value panel p is [n_k, width], its part rows [512, 512 + next).
        int width = ValuePanels.Width(valueDim), valuePanels = ValuePanels.PanelsPerHead(valueDim);
        int keyPanels = (nextKeys + panelKeys - 1) / panelKeys;
        var ranges = new List<(long First, long End, string Name)>
        {
            (Line(KeyBase + (long)nextBlock * headDim), LineEnd(KeyBase + (long)(nextBlock + keyPanels * panelKeys) * headDim), "K"),
        };
        for (int p = 0; p < valuePanels; p++)
        {
            float* panel = ValueBase + (long)p * keyLength * width;
            ranges.Add((Line(panel + (long)nextBlock * width), LineEnd(panel + (long)(nextBlock + nextKeys) * width), $"V panel {p}"));
        }

        var requested = new HashSet<long>();
        for (int step = 0; step < steps; step++)
        {
            for (int tile = 0; tile < plan.TilesPerStep; tile++)
            {
                float* first = plan.Tile(step, tile);
                if (first == null) continue;                     // the step's or the block's lines are all taken
                long line = Line(first);
                Assert.True(ranges.Any(r => line >= r.First && line < r.End),
                    $"step {step}, tile {tile}: line {line} is outside the next block's K and V");
                for (int l = 0; l < plan.LinesPerTile; l++) requested.Add(line + l);
            }
            Assert.True(plan.Tile(step, plan.TilesPerStep) == null, $"step {step}: a tile past {plan.TilesPerStep} has lines");
        }
        foreach (var (firstLine, end, name) in ranges)
            for (long line = firstLine; line < end; line++)
                Assert.True(requested.Contains(line), $"{name}: line {line - firstLine} of {end - firstLine} is never requested");
    }

    [Theory]
    [InlineData(32, 16)]
    [InlineData(64, 16)]
    [InlineData(128, 16)]
    [InlineData(32, 32)]
    [InlineData(64, 32)]
    [InlineData(128, 32)]
    public void AWholeItemNeedsNoMoreTilesThanAStepHas(int headDim, int steps)
    {
        // A 128-row item takes 16 steps (Vector512: 8 panels of 64 keys a block, each step's first group one tile per
        // panel) or 32 (Vector256: 32 panels of 16 keys). Past its tiles a step's share would go unrequested.
        var shape = new AttentionShape(heads: 1, queryLength: 1, keyLength: 4096, headDim: headDim);
        int panelKeys = steps == 16 ? 64 : 16;
        var plan = new NextBlockPrefetch(KeyBase, panelKeys, ValueBase, shape, 512, TileShape.KeyBlock, steps);
        int tilesAStep = TileShape.KeyBlock / panelKeys;
        Assert.InRange(plan.TilesPerStep, 1, tilesAStep);
    }

    private static long Line(float* p) => (long)p / (LineFloats * sizeof(float));

    private static long LineEnd(float* end) => ((long)end + LineFloats * sizeof(float) - 1) / (LineFloats * sizeof(float));
}
