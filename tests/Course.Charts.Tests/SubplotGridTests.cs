using Course.Charts;
using static Course.Charts.Tests.JsonAssert;

namespace Course.Charts.Tests;

public class SubplotGridTests
{
    [Theory]
    [InlineData(4, 4)]
    [InlineData(12, 4)]
    [InlineData(72, 12)]   // a whole model: 6 layers × 12 heads
    public void Every_panel_of_a_head_grid_has_the_same_size_and_panels_never_overlap(int heads, int columns)
    {
        var json = Parse(Chart.HeadGrid(new float[heads, 3, 3], columns: columns));
        var layout = json.GetProperty("layout");
        var x = Enumerable.Range(1, heads).Select(i => Domain(layout, "xaxis", i)).ToArray();
        var y = Enumerable.Range(1, heads).Select(i => Domain(layout, "yaxis", i)).ToArray();

        Assert.All(x, d => Assert.Equal(x[0].Hi - x[0].Lo, d.Hi - d.Lo, 6));   // the JSON keeps float32 precision
        Assert.All(y, d => Assert.Equal(y[0].Hi - y[0].Lo, d.Hi - d.Lo, 6));   // the JSON keeps float32 precision
        Assert.All(x.Concat(y), d => Assert.True(d.Lo >= 0 && d.Hi <= 1 && d.Lo < d.Hi));
        for (var i = 0; i + 1 < heads; i++)
            if ((i + 1) % columns != 0) Assert.True(x[i].Hi <= x[i + 1].Lo, $"panel {i} overlaps panel {i + 1}");
        // Most of the figure goes to the heatmaps, whatever the grid's size.
        int rows = (heads + columns - 1) / columns, used = Math.Min(columns, heads);
        Assert.True((x[0].Hi - x[0].Lo) * used >= 0.74, "columns leave too little width to the heatmaps");
        Assert.True((y[0].Hi - y[0].Lo) * rows >= 0.64, "rows leave too little height to the heatmaps");
    }

    private static (double Lo, double Hi) Domain(System.Text.Json.JsonElement layout, string axis, int index)
    {
        var d = layout.GetProperty(index == 1 ? axis : axis + index).GetProperty("domain");
        return (d[0].GetDouble(), d[1].GetDouble());
    }
}
