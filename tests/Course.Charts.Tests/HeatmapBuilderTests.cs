using Course.Charts;
using static Course.Charts.Tests.JsonAssert;

namespace Course.Charts.Tests;

public class HeatmapBuilderTests
{
    private static readonly string[] Tokens = ["the", "cat", "sat", "on", "the", "mat"];

    private static float[,] Weights(int rows, int columns)
    {
        var w = new float[rows, columns];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++) w[r, c] = (r * columns + c) / (float)(rows * columns);
        return w;
    }

    [Fact]
    public void Heatmap_z_rows_match_query_labels_and_columns_match_key_labels()
    {
        var keys = new[] { "a", "b", "c", "d", "e" };
        var json = Parse(Chart.AttentionHeatmap(Weights(4, 5), ["q0", "q1", "q2", "q3"], keys, title: "w"));
        var trace = json.GetProperty("data")[0];

        Assert.Equal("heatmap", trace.GetProperty("type").GetString());
        var z = Items(trace.GetProperty("z"));
        Assert.Equal(4, z.Length);
        Assert.Equal(Strings(trace.GetProperty("y")).Length, z.Length);
        Assert.All(z, row => Assert.Equal(keys.Length, row.GetArrayLength()));
        Assert.Equal(keys, Strings(trace.GetProperty("x")));
        Assert.Equal(7 / 20.0, z[1][2].GetDouble(), 6); // row 1 = query q1, column 2 = key c
    }

    [Fact]
    public void Heatmap_axes_are_categorical_with_the_first_query_on_top()
    {
        var layout = Parse(Chart.AttentionHeatmap(Weights(3, 3), ["1", "2", "3"])).GetProperty("layout");

        Assert.Equal("category", layout.GetProperty("xaxis").GetProperty("type").GetString()); // "1", "2" stay labels, not numbers
        Assert.Equal("category", layout.GetProperty("yaxis").GetProperty("type").GetString());
        Assert.Equal("reversed", layout.GetProperty("yaxis").GetProperty("autorange").GetString());
        Assert.Equal("x", layout.GetProperty("yaxis").GetProperty("scaleanchor").GetString());
    }

    [Fact]
    public void Repeated_tokens_get_distinct_labels_that_read_the_same()
    {
        var trace = Parse(Chart.AttentionHeatmap(Weights(6, 6), Tokens)).GetProperty("data")[0];
        var y = Strings(trace.GetProperty("y"));

        Assert.Equal(6, y.Distinct().Count());
        Assert.Equal(Tokens, y.Select(TokenLabels.Plain).ToArray());
        Assert.Equal(y, Strings(trace.GetProperty("x"))); // self-attention: keys default to the query tokens
    }

    [Fact]
    public void Weights_default_to_a_fixed_zero_to_one_scale_with_values_in_small_grids()
    {
        var trace = Parse(Chart.AttentionHeatmap(Weights(3, 4))).GetProperty("data")[0];

        Assert.Equal(0, trace.GetProperty("zmin").GetDouble());
        Assert.Equal(1, trace.GetProperty("zmax").GetDouble());
        Assert.Equal(["0", "1", "2"], Strings(trace.GetProperty("y")));
        Assert.Equal("%{z:.2f}", trace.GetProperty("texttemplate").GetString());
        Assert.Contains("%{z:.3f}", trace.GetProperty("hovertemplate").GetString());
        var big = Parse(Chart.AttentionHeatmap(Weights(13, 12))).GetProperty("data")[0];
        Assert.False(big.TryGetProperty("texttemplate", out _));
    }

    [Fact]
    public void Scores_scale_is_diverging_around_zero_with_the_range_from_the_data()
    {
        var trace = Parse(Chart.AttentionHeatmap(Weights(2, 2), scale: HeatmapScale.Scores)).GetProperty("data")[0];

        Assert.Equal(0, trace.GetProperty("zmid").GetDouble());
        Assert.False(trace.TryGetProperty("zmin", out _));
        Assert.Contains("score", trace.GetProperty("hovertemplate").GetString());
    }

    [Fact]
    public void Label_count_differing_from_the_shape_names_both_arguments()
    {
        var rows = Assert.Throws<ArgumentException>(() => Chart.AttentionHeatmap(Weights(4, 5), ["a", "b", "c"], ["a", "b", "c", "d", "e"]));
        Assert.Equal("queryTokens", rows.ParamName);
        Assert.Contains("weights", rows.Message);
        Assert.Contains("[4, 5]", rows.Message);
        Assert.Contains("3 labels", rows.Message);

        var columns = Assert.Throws<ArgumentException>(() => Chart.AttentionHeatmap(Weights(4, 5), ["a", "b", "c", "d"], ["a", "b"]));
        Assert.Equal("keyTokens", columns.ParamName);
        Assert.Contains("5 columns", columns.Message);

        var mask = Assert.Throws<ArgumentException>(() => Chart.Mask(new bool[2, 3], ["a"]));
        Assert.Equal("queryTokens", mask.ParamName);
        Assert.Contains("allowed", mask.Message);
    }

    [Fact]
    public void Spans_are_read_row_major_and_their_length_is_checked()
    {
        float[] flat = [1, 2, 3, 4, 5, 6]; // [2, 3]
        var z = Items(Parse(Chart.AttentionHeatmap(Grid2D.FromSpan(flat, 2, 3))).GetProperty("data")[0].GetProperty("z"));

        Assert.Equal([4, 5, 6], Numbers(z[1]));
        var error = Assert.Throws<ArgumentException>(() => Grid2D.FromSpan(flat, 4, 2, "weights"));
        Assert.Equal("weights", error.ParamName);
        Assert.Contains("6 values", error.Message);
        Assert.Contains("[4, 2]", error.Message);
    }

    [Fact]
    public void Mask_is_a_two_color_zero_one_grid_without_a_scale()
    {
        var allowed = new bool[3, 3];
        for (var i = 0; i < 3; i++)
            for (var j = 0; j <= i; j++) allowed[i, j] = true; // causal
        var trace = Parse(Chart.Mask(allowed, ["a", "b", "c"])).GetProperty("data")[0];

        var z = Items(trace.GetProperty("z")).Select(Numbers).ToArray();
        Assert.Equal([1, 0, 0], z[0]);
        Assert.Equal([1, 1, 1], z[2]);
        Assert.False(trace.GetProperty("showscale").GetBoolean());
        Assert.Equal(4, trace.GetProperty("colorscale").GetArrayLength());
        Assert.Equal("masked", trace.GetProperty("text")[0][1].GetString());
    }

    [Fact]
    public void Values_are_shown_up_to_exactly_144_cells()
    {
        var twelve = Parse(Chart.AttentionHeatmap(Weights(12, 12))).GetProperty("data")[0]; // 144 cells: the limit is inclusive
        Assert.Equal("%{z:.2f}", twelve.GetProperty("texttemplate").GetString());
        var forced = Parse(Chart.AttentionHeatmap(Weights(13, 12), showValues: true)).GetProperty("data")[0];
        Assert.True(forced.TryGetProperty("texttemplate", out _));
    }

    [Fact]
    public void Keys_default_to_positions_when_queries_are_labelled_and_the_grid_is_not_square()
    {
        // Cross-attention shape [3, 5]: the 3 query tokens cannot label 5 keys, so the keys are numbered.
        var trace = Parse(Chart.AttentionHeatmap(Weights(3, 5), ["a", "b", "c"])).GetProperty("data")[0];

        Assert.Equal(["a", "b", "c"], Strings(trace.GetProperty("y")));
        Assert.Equal(["0", "1", "2", "3", "4"], Strings(trace.GetProperty("x")));
    }

    [Fact]
    public void Mask_treats_zero_and_NaN_as_masked_and_any_other_number_as_allowed()
    {
        var z = Items(Parse(Chart.Mask(new double[,] { { 1, 0, double.NaN, -2, 0.5 } })).GetProperty("data")[0].GetProperty("z"));
        Assert.Equal([1, 0, 0, 1, 1], Numbers(z[0]));
    }

    [Fact]
    public void Grids_copy_their_source_and_hand_out_copies()
    {
        double[][] source = [[0.1, 0.9], [0.6, 0.4]];
        Grid2D grid = source;
        source[0][0] = 7; // the caller reuses its buffer after building the grid
        Assert.Equal(0.1, grid[0, 0]);

        var rows = grid.ToRows();
        rows[1][1] = 7; // a builder that edits the rows it was handed
        Assert.Equal(0.4, grid[1, 1]);
        Assert.Equal([0.1, 0.9], Numbers(Items(Parse(Chart.AttentionHeatmap(grid)).GetProperty("data")[0].GetProperty("z"))[0]));
    }

    [Fact]
    public void Head_grid_puts_each_head_on_its_own_anchored_axes_with_one_shared_color_axis()
    {
        var weights = new float[6, 3, 4]; // [heads, n_q, n_k]
        for (var h = 0; h < 6; h++) weights[h, 1, 2] = h / 10f;
        var json = Parse(Chart.HeadGrid(weights, ["a", "b", "c"], ["w", "x", "y", "z"], columns: 4, scale: HeatmapScale.Values("weight")));
        var data = Items(json.GetProperty("data"));
        var layout = json.GetProperty("layout");

        Assert.Equal(6, data.Length);
        for (var h = 0; h < 6; h++)
        {
            var (x, y) = (AxisId.X(h + 1), AxisId.Y(h + 1));
            Assert.Equal(x, data[h].GetProperty("xaxis").GetString());
            Assert.Equal(y, data[h].GetProperty("yaxis").GetString());
            Assert.Equal("coloraxis", data[h].GetProperty("coloraxis").GetString());
            Assert.False(data[h].TryGetProperty("zmin", out _));
            var xAxis = layout.GetProperty(AxisId.LayoutKey('x', h + 1));
            var yAxis = layout.GetProperty(AxisId.LayoutKey('y', h + 1));
            Assert.Equal(y, xAxis.GetProperty("anchor").GetString());
            Assert.Equal(x, yAxis.GetProperty("anchor").GetString());
            Assert.Equal("reversed", yAxis.GetProperty("autorange").GetString());
            Assert.All(Numbers(xAxis.GetProperty("domain")).Concat(Numbers(yAxis.GetProperty("domain"))), d => Assert.InRange(d, 0, 1));
        }
        // Heads 0 and 1 share a row: their x domains must not overlap; heads 0 and 4 share a column: y domains must not overlap.
        Assert.True(Numbers(layout.GetProperty("xaxis").GetProperty("domain"))[1] <= Numbers(layout.GetProperty("xaxis2").GetProperty("domain"))[0]);
        Assert.True(Numbers(layout.GetProperty("yaxis5").GetProperty("domain"))[1] <= Numbers(layout.GetProperty("yaxis").GetProperty("domain"))[0]);
        Assert.Equal(0, layout.GetProperty("coloraxis").GetProperty("cmin").GetDouble());
        Assert.Equal(0.5, layout.GetProperty("coloraxis").GetProperty("cmax").GetDouble(), 6); // shared range over all heads
        Assert.Equal(["head 0", "head 1", "head 2", "head 3", "head 4", "head 5"], Items(layout.GetProperty("annotations")).Select(a => a.GetProperty("text").GetString()!).ToArray());
    }

    [Fact]
    public void Head_grid_checks_titles_and_labels_against_the_stack()
    {
        var error = Assert.Throws<ArgumentException>(() => Chart.HeadGrid(new float[2, 3, 3], headTitles: ["only one"]));
        Assert.Equal("headTitles", error.ParamName);
        Assert.Contains("[2, 3, 3]", error.Message);
        Assert.Throws<ArgumentException>(() => Chart.HeadGrid(GridStack.FromSpan(new float[17], 2, 3, 3)));
    }
}
