namespace Attention.Tests.Positions;

public class AlibiTests
{
    [Fact]
    public void Eight_heads_have_slopes_one_half_to_one_over_256()
    {
        Assert.Equal([1 / 2f, 1 / 4f, 1 / 8f, 1 / 16f, 1 / 32f, 1 / 64f, 1 / 128f, 1 / 256f], Alibi.Slopes(8));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(16)]
    public void Powers_of_two_follow_the_geometric_closed_form(int heads)
    {
        float[] slopes = Alibi.Slopes(heads);
        for (int h = 0; h < heads; h++)
            Assert.Equal((float)Math.Pow(2, -8.0 * (h + 1) / heads), slopes[h]);
    }

    [Fact]
    public void Other_head_counts_take_every_other_slope_of_the_next_power_of_two()
    {
        // 12 heads: the 8 slopes of 8 heads, then slopes 1, 3, 5, 7 (1-based) of 16 heads, 2^-0.5, 2^-1.5, 2^-2.5, 2^-3.5.
        float[] expected12 = [.. Enumerable.Range(1, 8).Select(i => (float)Math.Pow(2, -i)),
                              .. new[] { 0.5, 1.5, 2.5, 3.5 }.Select(e => (float)Math.Pow(2, -e))];
        Assert.Equal(expected12, Alibi.Slopes(12));
        // 6 heads: 2^-2, 2^-4, 2^-6, 2^-8 (4 heads), then 2^-1, 2^-3 (every other of 8 heads).
        Assert.Equal([0.25f, 1 / 16f, 1 / 64f, 1 / 256f, 0.5f, 0.125f], Alibi.Slopes(6));
        // 3 heads: 2^-4, 2^-8 (2 heads), then 2^-2 (the first of 4 heads).
        Assert.Equal([1 / 16f, 1 / 256f, 1 / 4f], Alibi.Slopes(3));
    }

    [Fact]
    public void Bias_is_minus_slope_times_distance_from_the_query_position()
    {
        // 2 heads (slopes 1/16, 1/256), 2 new queries at positions 2 and 3 of 4 keys (offset n_k − n_q = 2).
        float[] bias = Alibi.Bias(heads: 2, queryLength: 2, keyLength: 4);
        float[] expected =
        [
            -2 / 16f, -1 / 16f, 0, -1 / 16f,     // head 0, query at 2
            -3 / 16f, -2 / 16f, -1 / 16f, 0,     // head 0, query at 3
            -2 / 256f, -1 / 256f, 0, -1 / 256f,
            -3 / 256f, -2 / 256f, -1 / 256f, 0,
        ];
        Assert.Equal(expected, bias);
        Assert.Equal(Alibi.Bias(1, 3, 3, causalOffset: 0), Alibi.Bias(1, 3, 3));
        var mask = Alibi.CausalMask(heads: 2, queryLength: 2, keyLength: 4);
        Assert.True(mask.Causal);
        Assert.Equal(expected, mask.Bias.ToArray());
    }

    [Fact]
    public void Causal_mask_with_an_explicit_offset_masks_at_that_offset_too()
    {
        // 2 queries at positions 1 and 2 of 4 keys (offset 1, not the default n_k − n_q = 2): the bias and the causal
        // mask must agree on where the queries sit, or the query would see keys its bias treats as being in the future.
        var mask = Alibi.CausalMask(heads: 2, queryLength: 2, keyLength: 4, causalOffset: 1);
        Assert.True(mask.Causal);
        Assert.Equal(1, mask.CausalOffset);
        float[] slopes = [1 / 16f, 1 / 256f];   // 2 heads: 2^-4, 2^-8
        var expected = new float[2 * 2 * 4];
        for (int h = 0; h < 2; h++)
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 4; j++)
                    expected[(h * 2 + i) * 4 + j] = -slopes[h] * Math.Abs(i + 1 - j);
        Assert.Equal(expected, mask.Bias.ToArray());
        Assert.Null(Alibi.CausalMask(2, 2, 4).CausalOffset);   // default: n_k − n_q, as the bias
    }

    [Fact]
    public void Bad_sizes_are_named()
    {
        Assert.Equal("heads", Assert.ThrowsAny<ArgumentException>(() => Alibi.Slopes(0)).ParamName);
        var error = Assert.ThrowsAny<ArgumentException>(() => Alibi.Bias(new float[5], 1, 2, 3));
        Assert.Equal("destination", error.ParamName);
        Assert.Contains("[1, 2, 3]", error.Message);
    }
}
