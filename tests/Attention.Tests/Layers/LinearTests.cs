using Attention.Tests.TestSupport;

namespace Attention.Tests.Layers;

public class LinearTests
{
    private const double UnitRoundoff = 1.0 / (1 << 24);   // float32 rounding: |fl(a∘b) − a∘b| ≤ u·|a∘b|

    [Fact]
    public void Matches_float64_within_the_classic_dot_product_error_bound_on_every_remainder()
    {
        // Output widths 1..35 cover every remainder of 4-, 8- and 16-wide vectors; rows 0..13 cover the 6-row tiles and
        // every remainder after them (5 = 4 + 1, 11 = 6 + 4 + 1, …).
        for (int rows = 0; rows <= 13; rows++)
            foreach (int inDim in new[] { 1, 3, 8, 17 })
                for (int outDim = 1; outDim <= 35; outDim++)
                    foreach (bool withBias in new[] { false, true })
                        AssertMatchesFloat64(rows, inDim, outDim, withBias, seed: rows * 10000 + inDim * 100 + outDim);
    }

    [Fact]
    public void Matches_float64_on_a_layer_sized_product()
    {
        AssertMatchesFloat64(rows: 33, inDim: 64, outDim: 96, withBias: true, seed: 1);
    }

    /// <summary>Several 128-row blocks and 64-column panels (the last ones partial): the tiled, threaded path.</summary>
    [Fact]
    public void Matches_float64_across_row_blocks_and_column_panels()
    {
        AssertMatchesFloat64(rows: 300, inDim: 70, outDim: 150, withBias: true, seed: 2);
        AssertMatchesFloat64(rows: 129, inDim: 512, outDim: 65, withBias: false, seed: 3);
    }

    [Fact]
    public void Thread_count_does_not_change_the_result()
    {
        const int rows = 260, inDim = 96, outDim = 200;
        float[] x = TestData.Uniform(rows * inDim, 5), w = TestData.Uniform(inDim * outDim, 6), b = TestData.Uniform(outDim, 7);
        var one = new float[rows * outDim];
        var all = new float[rows * outDim];
        Linear.Forward(x, w, one, rows, inDim, outDim, b, maxThreads: 1);
        Linear.Forward(x, w, all, rows, inDim, outDim, b, maxThreads: 4);
        Assert.Equal(one, all);
        Assert.Equal("maxThreads", Assert.Throws<ArgumentOutOfRangeException>(() => Linear.Forward(x, w, all, rows, inDim, outDim, b, maxThreads: 0)).ParamName);
    }

    private static void AssertMatchesFloat64(int rows, int inDim, int outDim, bool withBias, int seed)
    {
        float[] x = TestData.Uniform(rows * inDim, seed);
        float[] w = TestData.Uniform(inDim * outDim, seed + 1);
        float[] b = withBias ? TestData.Uniform(outDim, seed + 2) : [];
        var y = new float[rows * outDim];
        Linear.Forward(x, w, y, rows, inDim, outDim, b);

        // Higham's bound for a sum of inDim products plus a bias: |error| ≤ γ_(inDim+1) · (Σ|x·w| + |b|), γ_n = n·u / (1 − n·u).
        double gamma = (inDim + 1) * UnitRoundoff / (1 - (inDim + 1) * UnitRoundoff);
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outDim; o++)
            {
                double exact = withBias ? b[o] : 0, magnitude = withBias ? Math.Abs(b[o]) : 0;
                for (int i = 0; i < inDim; i++)
                {
                    double product = (double)x[r * inDim + i] * w[i * outDim + o];
                    exact += product;
                    magnitude += Math.Abs(product);
                }
                double error = Math.Abs(y[r * outDim + o] - exact);
                Assert.True(error <= gamma * magnitude,
                    $"y[{r}, {o}] of [{rows}, {inDim}]·[{inDim}, {outDim}] bias={withBias}: {y[r * outDim + o]:R} vs {exact:R}, error {error:E3} > bound {gamma * magnitude:E3}");
            }
    }

    [Fact]
    public void Reads_like_the_math_with_weights_stored_in_by_out()
    {
        // x [1, 2] = [1, 2]; W [2, 3] = [[1, 2, 3], [4, 5, 6]]; b = [10, 20, 30]  →  y = [1+8+10, 2+10+20, 3+12+30].
        var y = new float[3];
        Linear.Forward([1f, 2f], [1f, 2f, 3f, 4f, 5f, 6f], y, rows: 1, inDim: 2, outDim: 3, bias: [10f, 20f, 30f]);
        Assert.Equal([19f, 32f, 45f], y);
    }

    [Theory]
    [InlineData(5, 9, 6, 0, "x")]        // x [2, 3], weight [3, 3], y [2, 3], bias [3] or none
    [InlineData(6, 8, 6, 0, "weight")]
    [InlineData(6, 9, 5, 0, "y")]
    [InlineData(6, 9, 6, 2, "bias")]
    public void Wrong_lengths_name_the_argument_and_the_shapes(int xLength, int wLength, int yLength, int biasLength, string name)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() =>
            Linear.Forward(new float[xLength], new float[wLength], new float[yLength], rows: 2, inDim: 3, outDim: 3, bias: new float[biasLength]));
        Assert.Equal(name, error.ParamName);
        Assert.Contains("[2, 3]", error.Message);
    }

    /// <summary>
    /// <see cref="PackedLinearWeight"/>: the same kernel reading W from its packed panels gives bit-identical results on
    /// every remainder of rows, columns and 64-column panels, with and without a bias, on one thread and several
    /// (the unpacked call is held to the float64 bound above).
    /// </summary>
    [Fact]
    public void Packed_weights_give_bit_identical_results_on_every_remainder()
    {
        foreach (int inDim in new[] { 1, 3, 17, 70 })
            foreach (int outDim in new[] { 1, 2, 5, 15, 16, 17, 31, 33, 63, 64, 65, 100, 129, 200 })
            {
                float[] w = TestData.Uniform(inDim * outDim, inDim * 1000 + outDim);
                var packed = new PackedLinearWeight(w, inDim, outDim);
                Assert.Equal((inDim, outDim), (packed.InDim, packed.OutDim));
                foreach (int rows in new[] { 0, 1, 2, 3, 4, 5, 6, 7, 11, 13, 130 })
                    foreach (bool withBias in new[] { false, true })
                        foreach (int threads in rows == 130 ? new[] { 1, 4 } : [1])
                        {
                            float[] x = TestData.Uniform(rows * inDim, rows + 7), b = withBias ? TestData.Uniform(outDim, outDim + 3) : [];
                            float[] expected = new float[rows * outDim], actual = new float[rows * outDim];
                            Linear.Forward(x, w, expected, rows, inDim, outDim, b, threads);
                            Linear.Forward(x, packed, actual, rows, b, threads);
                            Assert.True(expected.AsSpan().SequenceEqual(actual),
                                $"[{rows}, {inDim}]·[{inDim}, {outDim}] bias={withBias} threads={threads}: packed and array results differ");
                        }
            }
    }

    [Fact]
    public void Packed_weight_is_a_snapshot_of_the_array()
    {
        const int rows = 5, inDim = 9, outDim = 70;
        float[] x = TestData.Uniform(rows * inDim, 1), w = TestData.Uniform(inDim * outDim, 2);
        var packed = new PackedLinearWeight(w, inDim, outDim);
        float[] before = new float[rows * outDim], after = new float[rows * outDim], live = new float[rows * outDim];
        Linear.Forward(x, packed, before, rows);
        w[3 * outDim + 66] += 1f;                                // an edit in the last, partial panel
        Linear.Forward(x, packed, after, rows);
        Assert.True(before.AsSpan().SequenceEqual(after), "the packed weight saw an edit made after packing");
        Linear.Forward(x, w, live, rows, inDim, outDim);
        Assert.False(before.AsSpan().SequenceEqual(live), "the array call did not see the edit");
        Linear.Forward(x, new PackedLinearWeight(w, inDim, outDim), after, rows);
        Assert.True(live.AsSpan().SequenceEqual(after), "packing again did not take the edit");
    }

    [Fact]
    public void Packed_weight_arguments_are_checked_with_their_shapes()
    {
        Assert.Equal("inDim", Assert.ThrowsAny<ArgumentException>(() => new PackedLinearWeight([], 0, 3)).ParamName);
        Assert.Equal("outDim", Assert.ThrowsAny<ArgumentException>(() => new PackedLinearWeight([], 3, 0)).ParamName);
        var length = Assert.ThrowsAny<ArgumentException>(() => new PackedLinearWeight(new float[8], 3, 3));
        Assert.Equal("weight", length.ParamName);
        Assert.Contains("[3, 3]", length.Message);

        var packed = new PackedLinearWeight(new float[9], 3, 3);
        Assert.Equal("weight", Assert.Throws<ArgumentNullException>(() => Linear.Forward(new float[6], (PackedLinearWeight)null!, new float[6], 2)).ParamName);
        foreach (var (xLength, yLength, biasLength, name) in new[] { (5, 6, 0, "x"), (6, 5, 0, "y"), (6, 6, 2, "bias") })
        {
            var error = Assert.ThrowsAny<ArgumentException>(() => Linear.Forward(new float[xLength], packed, new float[yLength], 2, new float[biasLength]));
            Assert.Equal(name, error.ParamName);
            Assert.Contains("x [2, 3] · weight [3, 3] → y [2, 3]", error.Message);
        }
        Assert.Equal("maxThreads", Assert.ThrowsAny<ArgumentException>(() => Linear.Forward(new float[6], packed, new float[6], 2, maxThreads: 0)).ParamName);
        Assert.Equal("rows", Assert.ThrowsAny<ArgumentException>(() => Linear.Forward([], packed, [], -1)).ParamName);
    }

    [Fact]
    public void Non_positive_sizes_are_rejected()
    {
        Assert.Equal("inDim", Assert.ThrowsAny<ArgumentException>(() => Linear.Forward([], [], [], 0, 0, 3)).ParamName);
        Assert.Equal("outDim", Assert.ThrowsAny<ArgumentException>(() => Linear.Forward([], [], [], 0, 3, 0)).ParamName);
        Assert.Equal("rows", Assert.ThrowsAny<ArgumentException>(() => Linear.Forward([], [], [], -1, 3, 3)).ParamName);
    }
}
