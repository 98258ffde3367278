using Attention.Tests.TestSupport;

namespace Attention.Tests.Layers;

public class HeadSplitTests
{
    [Fact]
    public void Split_puts_column_block_h_of_every_row_into_head_h()
    {
        // rows [2, 2·3]: row t = [t0 t1 t2 | t3 t4 t5]
        float[] rows = [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15];
        var heads = new float[12];
        MultiHeadAttention.SplitHeads(rows, heads, length: 2, headCount: 2, headDim: 3);
        Assert.Equal([0f, 1, 2, 10, 11, 12, 3, 4, 5, 13, 14, 15], heads);   // [head 0: rows 0,1 | head 1: rows 0,1]
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(5, 3, 4)]
    [InlineData(7, 8, 2)]
    [InlineData(0, 2, 3)]
    public void Merge_undoes_split(int length, int headCount, int headDim)
    {
        float[] rows = TestData.Uniform(length * headCount * headDim, seed: length + headCount);
        var heads = new float[rows.Length];
        var back = new float[rows.Length];
        MultiHeadAttention.SplitHeads(rows, heads, length, headCount, headDim);
        MultiHeadAttention.MergeHeads(heads, back, length, headCount, headDim);
        Assert.Equal(rows, back);
    }

    [Fact]
    public void Matrix_split_and_merge_are_column_blocks()
    {
        var x = Attend.FromRowMajor(TestData.Uniform(3 * 6, seed: 1), 3, 6);
        var heads = MultiHeadAttention.SplitHeads(x, 3);
        Assert.Equal(3, heads.Length);
        Assert.All(heads, h => Assert.Equal((3, 2), (h.RowCount, h.ColumnCount)));
        Assert.Equal(x[2, 5], heads[2][2, 1]);
        Assert.Equal(x[1, 2], heads[1][1, 0]);
        Assert.Equal(x, MultiHeadAttention.MergeHeads(heads));
    }

    [Fact]
    public void Wrong_lengths_and_counts_name_the_argument()
    {
        Assert.Equal("heads", Assert.ThrowsAny<ArgumentException>(() => MultiHeadAttention.SplitHeads(new float[12], new float[11], 2, 2, 3)).ParamName);
        Assert.Equal("rows", Assert.ThrowsAny<ArgumentException>(() => MultiHeadAttention.MergeHeads(new float[12], new float[13], 2, 2, 3)).ParamName);
        Assert.Equal("headCount", Assert.ThrowsAny<ArgumentException>(() => MultiHeadAttention.SplitHeads([], [], 0, 0, 3)).ParamName);
        var x = Attend.FromRowMajor(new float[6], 1, 6);
        Assert.Equal("heads", Assert.ThrowsAny<ArgumentException>(() => MultiHeadAttention.SplitHeads(x, 4)).ParamName);
        var mismatched = new[] { Attend.FromRowMajor(new float[2], 1, 2), Attend.FromRowMajor(new float[3], 1, 3) };
        var error = Assert.ThrowsAny<ArgumentException>(() => MultiHeadAttention.MergeHeads(mismatched));
        Assert.Contains("[1, 3]", error.Message);
    }
}
