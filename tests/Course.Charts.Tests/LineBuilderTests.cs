using Course.Charts;
using static Course.Charts.Tests.JsonAssert;

namespace Course.Charts.Tests;

public class LineBuilderTests
{
    [Fact]
    public void Lines_draw_one_scatter_per_series()
    {
        double[] x = [-2, -1, 0, 1, 2];
        var json = Parse(Chart.Lines([new Series("a", x, x.Select(v => v * v).ToArray()), new Series("b", x, x) { Dashed = true }],
            title: "t", xTitle: "logit", yTitle: "p"));
        var data = Items(json.GetProperty("data"));

        Assert.Equal(["scatter", "scatter"], data.Select(d => d.GetProperty("type").GetString()!).ToArray());
        Assert.Equal("lines", data[0].GetProperty("mode").GetString());
        Assert.Equal("dash", data[1].GetProperty("line").GetProperty("dash").GetString());
        Assert.Equal("logit", json.GetProperty("layout").GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void Lines_reject_x_and_y_of_different_lengths()
    {
        var error = Assert.Throws<ArgumentException>(() => Chart.Lines([new Series("bad", new[] { 1.0, 2 }, new[] { 1.0 })]));
        Assert.Equal("series", error.ParamName);
        Assert.Contains("2 x values but 1 y values", error.Message);
    }

    [Fact]
    public void Scaling_uses_log_axes_and_guides_through_the_first_point()
    {
        double[] n = [128, 256, 512, 1024];
        var json = Parse(Chart.Scaling([new Series("naive", n, new[] { 1.0, 4, 16, 64 })], guideExponents: [1, 2]));
        var layout = json.GetProperty("layout");
        var data = Items(json.GetProperty("data"));

        Assert.Equal("log", layout.GetProperty("xaxis").GetProperty("type").GetString());
        Assert.Equal("log", layout.GetProperty("yaxis").GetProperty("type").GetString());
        Assert.Equal("lines+markers", data[0].GetProperty("mode").GetString());
        Assert.Equal(["naive", "∝ n", "∝ n²"], data.Select(d => d.GetProperty("name").GetString()!).ToArray());
        Assert.Equal([1, 2, 4, 8], Numbers(data[1].GetProperty("y")));
        Assert.Equal([1, 4, 16, 64], Numbers(data[2].GetProperty("y")));
    }

    [Fact]
    public void Scaling_rejects_values_a_log_axis_cannot_show()
    {
        var error = Assert.Throws<ArgumentException>(() => Chart.Scaling([new Series("m", new[] { 1.0, 2 }, new[] { 1.0, 0 })]));
        Assert.Contains("y[1] = 0", error.Message);
    }

    [Fact]
    public void Histogram_bins_cover_every_value_and_the_theory_curve_is_a_density()
    {
        var values = Enumerable.Range(0, 1000).Select(i => Math.Sin(i) * 3).ToArray();
        static double Density(double x) => Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI);
        var json = Parse(Chart.Histogram(values, bins: 30, theoryDensity: Density, theoryName: "N(0, 1)"));
        var data = Items(json.GetProperty("data"));
        var bins = data[0].GetProperty("xbins");
        var (start, end, size) = (bins.GetProperty("start").GetDouble(), bins.GetProperty("end").GetDouble(), bins.GetProperty("size").GetDouble());

        Assert.Equal("histogram", data[0].GetProperty("type").GetString());
        Assert.Equal("probability density", data[0].GetProperty("histnorm").GetString());
        Assert.Equal(30, Math.Round((end - start) / size));
        Assert.True(start <= values.Min() && values.Max() < end);
        Assert.Equal("N(0, 1)", data[1].GetProperty("name").GetString());
        var xs = Numbers(data[1].GetProperty("x"));
        var ys = Numbers(data[1].GetProperty("y"));
        Assert.Equal(Density(xs[17]), ys[17], 5);
    }

    [Fact]
    public void Histogram_without_theory_counts_and_rejects_text_or_empty_samples()
    {
        var json = Parse(Chart.Histogram(new[] { 1.0, 1, 2 }));
        Assert.False(json.GetProperty("data")[0].TryGetProperty("histnorm", out _));
        Assert.Throws<ArgumentException>(() => Chart.Histogram(new[] { "a" }));
        Assert.Throws<ArgumentException>(() => Chart.Histogram(new[] { double.NaN }));
    }

    [Fact]
    public void Vectors_are_arrows_from_the_origin_on_equal_axes()
    {
        var json = Parse(Chart.Vectors([new Arrow2D("q", 1, 2), new Arrow2D("k", -3, 0.5)], title: "q·k = -2"));
        var annotations = Items(json.GetProperty("layout").GetProperty("annotations"));

        Assert.Equal(2, annotations.Length);
        Assert.Equal(-3, annotations[1].GetProperty("x").GetDouble());
        Assert.Equal(0, annotations[1].GetProperty("ax").GetDouble());
        Assert.Equal("x", annotations[1].GetProperty("axref").GetString());
        Assert.Equal("x", json.GetProperty("layout").GetProperty("yaxis").GetProperty("scaleanchor").GetString());
        Assert.Equal(["q", "k"], Strings(json.GetProperty("data")[0].GetProperty("text")));
        Assert.Throws<ArgumentException>(() => Chart.Vectors([new Arrow2D("bad", double.NaN, 0)]));
    }
}
