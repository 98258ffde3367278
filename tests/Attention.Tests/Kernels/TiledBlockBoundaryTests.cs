using Attention.Kernels;
using Attention.Kernels.Tiled;
using Attention.Tests.TestSupport;

namespace Attention.Tests.Kernels;

/// <summary>
/// The tiled kernel walks keys in blocks of <see cref="TileShape.KeyBlock"/> (the online softmax rescales what it summed
/// when a later block raises the maximum) and splits query rows into work items of <see cref="TileShape.QueryBlock"/>.
/// The length sweeps stay below one key block, so these cases straddle both boundaries: key lengths just below, at and
/// past a block, and past two; query lengths past one and two work items; with every mask kind. (12, KeyBlock + 6) under
/// the causal mask puts a softmax step (with Vector512 two row groups: <see cref="TileShape.StepRows{TW, TVec}"/>) on a
/// block boundary: its first group saw its last key in the block before, its second sees 1 to 4 keys of the next (so,
/// with d_v ≤ 32, the step's P·V must take its groups one by one, not in one 8-row tile: without that check the causal
/// cases fail).
/// </summary>
public class TiledBlockBoundaryTests
{
    [Theory]
    [MemberData(nameof(Masks.AllKinds), MemberType = typeof(Masks))]
    public void LengthsAcrossBlocksMatchFloat64(MaskKind kind)
    {
        int keyBlock = TileShape.KeyBlock, queryBlock = TileShape.QueryBlock;
        (int NQ, int NK)[] lengths =
        [
            (queryBlock + 1, keyBlock - 1), (3, keyBlock), (queryBlock, keyBlock + 1),
            (2 * queryBlock + 5, 2 * keyBlock + 37), (keyBlock + 3, keyBlock + 3), (12, keyBlock + 6),
        ];
        int seed = 0;
        foreach (var (nQ, nK) in lengths)
        {
            var shape = new AttentionShape(4, nQ, nK, headDim: 5, valueDim: 3, kvHeads: 2);
            var options = new AttentionOptions { Mask = Masks.Make(kind, shape, ++seed) };
            var c = new AttentionCase(shape, options, seed, amplitude: 2f, name: $"[{shape}; {kind}]");
            c.AssertPathsMatchFloat64((KernelPath.Tiled, false));
        }
    }

    /// <summary>
    /// Value rows wider than one register tile go through value panels (<see cref="ValuePanels"/>): a later key block
    /// must read each panel at its own offset. d_v = 100 (a whole panel and a partial one) across two key blocks, two
    /// K/V heads, every mask kind.
    /// </summary>
    [Theory]
    [MemberData(nameof(Masks.AllKinds), MemberType = typeof(Masks))]
    public void WideValuesAcrossKeyBlocksMatchFloat64(MaskKind kind)
    {
        var shape = new AttentionShape(4, 37, 2 * TileShape.KeyBlock + 21, headDim: 6, valueDim: 100, kvHeads: 2);
        Assert.True(ValuePanels.Needed(shape));
        var options = new AttentionOptions { Mask = Masks.Make(kind, shape, seed: 11) };
        new AttentionCase(shape, options, seed: 12, amplitude: 2f, name: $"[{shape}; {kind}]").AssertPathsMatchFloat64((KernelPath.Tiled, false));
    }

    /// <summary>
    /// Long keys and several K/V heads: the panels of all heads would pass 4 MB and each group of query heads has work
    /// enough, so a one-thread call packs one K/V head at a time and runs its group before packing the next
    /// (<see cref="HeadPanels{TW, TVec}"/>): each group must read its own head's panels, with V packed too
    /// (d_v = 100), including rows that see no key at all.
    /// </summary>
    [Theory]
    [InlineData(MaskKind.None)]
    [InlineData(MaskKind.Causal)]
    [InlineData(MaskKind.CausalNegativeOffset)]
    [InlineData(MaskKind.AllowedPerHead)]
    public void OneKvHeadAtATimeMatchesFloat64(MaskKind kind)
    {
        var shape = new AttentionShape(8, 130, 3900, headDim: 8, valueDim: 100, kvHeads: 2);
        Assert.True(TiledAttention.PacksOneGroupAtATime(shape, maxThreads: 1));
        Assert.False(TiledAttention.PacksOneGroupAtATime(new AttentionShape(8, 1, 3900, headDim: 8, valueDim: 100, kvHeads: 2), maxThreads: 1));   // a decoding step: one run
        var options = new AttentionOptions { Mask = Masks.Make(kind, shape, seed: 13), MaxThreads = 1 };
        new AttentionCase(shape, options, seed: 14, amplitude: 2f, name: $"[{shape}; {kind}]").AssertPathsMatchFloat64((KernelPath.Tiled, false));
    }

    /// <summary>
    /// Every value width 1 … 130: the P·V tile walks columns in 4-, 2- and 1-vector chunks of the widest width, then
    /// narrower widths, then scalars; each width lands on a different mix. With 70 keys V is packed (<see cref="ValuePanels"/>:
    /// panels d_v wide rounded up to 16 columns, at most 64); with 60 only rows wider than 64 are; with 30 none is.
    /// </summary>
    [Theory]
    [InlineData(70)]
    [InlineData(60)]
    [InlineData(30)]
    public void EveryValueWidthMatchesFloat64(int keyLength)
    {
        for (int dV = 1; dV <= 130; dV++)
        {
            var shape = new AttentionShape(2, 9, keyLength, headDim: 8, valueDim: dV, kvHeads: 1);
            bool packed = keyLength switch { 70 => true, 60 => dV > 64, _ => false };
            Assert.True(packed == ValuePanels.Needed(shape), $"{keyLength} keys, d_v = {dV}: V packed should be {packed}");
            var options = new AttentionOptions { Mask = AttentionMask.CausalMask() };
            new AttentionCase(shape, options, seed: dV, name: $"[{shape}]").AssertPathsMatchFloat64((KernelPath.Tiled, false));
        }
    }

    /// <summary>A later key block whose logits are far larger (or smaller) than the earlier ones: the rescale α is ~0 (or 1).</summary>
    [Theory]
    [InlineData(30f)]
    [InlineData(-30f)]
    public void LaterBlockWithMuchLargerLogits(float shift)
    {
        int nK = 2 * TileShape.KeyBlock + 10;
        var shape = new AttentionShape(1, 7, nK, headDim: 4, valueDim: 4);
        var bias = new float[shape.QueryLength * nK];
        for (int i = 0; i < shape.QueryLength; i++)
            for (int j = TileShape.KeyBlock; j < nK; j++) bias[i * nK + j] = shift;
        var c = new AttentionCase(shape, new AttentionOptions { Mask = new AttentionMask { Bias = bias } }, seed: 3);
        c.AssertPathsMatchFloat64((KernelPath.Tiled, false));
    }

    /// <summary>
    /// Logits spread as in trained heads (standard deviation amplitude²/3: 1.3 at amplitude 2, 5.3 at 4, 21 at 8),
    /// unmasked and causal, across three key blocks: the lagging shift (<see cref="TileSoftmax"/>) then lags far behind the rows' maxima, and its
    /// rows are redone exactly, on first keys (the first vector's maximum is too low) and on later blocks.
    /// </summary>
    [Theory]
    [InlineData(2f, false)]
    [InlineData(2.5f, false)]
    [InlineData(3f, false)]
    [InlineData(3.5f, false)]
    [InlineData(4f, false)]
    [InlineData(4f, true)]
    [InlineData(8f, false)]
    [InlineData(8f, true)]
    public void WidelySpreadLogitsMatchFloat64(float amplitude, bool causal)
    {
        var shape = new AttentionShape(2, 37, 2 * TileShape.KeyBlock + 77, headDim: 64, kvHeads: 1);
        var options = new AttentionOptions { Mask = causal ? AttentionMask.CausalMask(offset: 2 * TileShape.KeyBlock) : AttentionMask.None };
        new AttentionCase(shape, options, seed: 11, amplitude: amplitude, name: $"amplitude {amplitude}").AssertPathsMatchFloat64((KernelPath.Tiled, false));
    }

    /// <summary>
    /// Flat logits with one prominent key in each key block, rising by <paramref name="rise"/> from block to block (and
    /// the first block's above the rows' first vector of keys): a lagging shift is then kept with exponents up to about
    /// 1.44 × rise; its weights must be as accurate as the exact shift's. A rise of 100 puts an exponent past 128, where
    /// a weight kept from the lagging shift would be infinite: those rows must be redone.
    /// </summary>
    [Theory]
    [InlineData(0.5f)]
    [InlineData(1f)]
    [InlineData(1.5f)]
    [InlineData(2.5f)]
    [InlineData(100f)]
    public void ProminentKeysRisingAcrossBlocksMatchFloat64(float rise)
    {
        const int D = 64;
        var shape = new AttentionShape(2, 37, 3 * TileShape.KeyBlock, headDim: D, kvHeads: 1);
        var c = new AttentionCase(shape, seed: 12, name: $"rise {rise}");
        for (int i = 0; i < 2 * 37; i++) c.Q[i * D] = 1f;
        for (int j = 0; j < shape.KeyLength; j++) c.K[j * D] = 0f;
        for (int b = 0; b < 3; b++) c.K[(b * TileShape.KeyBlock + 100) * D] = (b + 1) * rise * MathF.Sqrt(D);   // logit + (b + 1)·rise
        c.AssertPathsMatchFloat64((KernelPath.Tiled, false));
    }

    /// <summary>
    /// The first key <paramref name="drop"/> above all the others (key counts of whole vectors, so that the lagging step
    /// runs): the lagging shift, the first vector's maximum, is that key's logit, and the other weights are e^-drop,
    /// whose exponents pass -126 from a drop of about 87. The lagging step leaves its weights unflushed, so such a step
    /// must be taken again by the exact path (without AVX-512 an unflushed weight below 2^-126 is garbage, not a small
    /// number: the CI's narrower SIMD settings would show a step kept).
    /// </summary>
    [Theory]
    [InlineData(60f, 128)]
    [InlineData(100f, 128)]
    [InlineData(200f, 128)]
    [InlineData(100f, 3 * TileShape.KeyBlock)]
    public void KeysFarBelowTheShiftMatchFloat64(float drop, int keyLength)
    {
        const int D = 64;
        var shape = new AttentionShape(2, 37, keyLength, headDim: D, kvHeads: 1);
        var c = new AttentionCase(shape, seed: 13, name: $"drop {drop}, n_k = {keyLength}");
        for (int i = 0; i < 2 * 37; i++) c.Q[i * D] = 1f;
        for (int j = 0; j < keyLength; j++) c.K[j * D] = j == 0 ? drop * MathF.Sqrt(D) : 0f;   // key 0: logit + drop
        c.AssertPathsMatchFloat64((KernelPath.Tiled, false));
    }
}
