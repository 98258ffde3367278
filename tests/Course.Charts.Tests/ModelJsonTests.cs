using System.Text.Json;
using Course.Charts;

namespace Course.Charts.Tests;

/// <summary>The typed model writes the JSON plotly.js expects: names, types, nulls, numbers.</summary>
public class ModelJsonTests
{
    [Fact]
    public void Figure_json_has_data_layout_config_and_no_frames_when_none()
    {
        var json = JsonAssert.Parse(new Figure { Data = [new ScatterTrace { X = new[] { 1.0, 2 }, Y = new[] { 3.0, 4 } }] });

        Assert.Equal(["data", "layout", "config"], json.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("scatter", json.GetProperty("data")[0].GetProperty("type").GetString());
        Assert.True(json.GetProperty("config").GetProperty("responsive").GetBoolean());
        Assert.False(json.GetProperty("config").GetProperty("displaylogo").GetBoolean());
    }

    [Fact]
    public void Trace_types_are_written_first_as_plotly_names()
    {
        var figure = new Figure { Data = [new HeatmapTrace(), new ScatterTrace(), new BarTrace(), new HistogramTrace()] };
        var raw = figure.ToJson();
        var types = JsonAssert.Items(JsonAssert.Parse(raw).GetProperty("data")).Select(t => t.EnumerateObject().First()).ToArray();

        Assert.All(types, p => Assert.Equal("type", p.Name));
        Assert.Equal(["heatmap", "scatter", "bar", "histogram"], types.Select(p => p.Value.GetString()!).ToArray());
    }

    [Fact]
    public void Attribute_names_are_plotly_spellings_and_nulls_are_left_out()
    {
        var layout = new Layout { PlotBackgroundColor = "#fff", PaperBackgroundColor = "#eee", HoverMode = "closest", ColorAxis = new ColorAxis { CMin = 0, CMax = 1 } };
        var heatmap = new HeatmapTrace { ZMin = 0, ZMax = 1, HoverTemplate = "%{z}", ShowScale = false, XGap = 1, ColorScale = "Blues" };
        var json = JsonAssert.Parse(new Figure { Data = [heatmap], Layout = layout });

        var trace = json.GetProperty("data")[0];
        foreach (var name in new[] { "zmin", "zmax", "hovertemplate", "showscale", "xgap", "colorscale" })
            Assert.True(trace.TryGetProperty(name, out _), $"trace lacks {name}: {trace}");
        var layoutJson = json.GetProperty("layout");
        foreach (var name in new[] { "plot_bgcolor", "paper_bgcolor", "hovermode", "coloraxis" })
            Assert.True(layoutJson.TryGetProperty(name, out _), $"layout lacks {name}: {layoutJson}");
        Assert.Equal(1, layoutJson.GetProperty("coloraxis").GetProperty("cmax").GetDouble());
        Assert.Empty(JsonAssert.NullProperties(json));
        Assert.DoesNotContain(JsonAssert.PropertyNames(json), n => n.Any(char.IsUpper));
    }

    [Fact]
    public void Extra_axes_and_set_attributes_are_written_by_plotly_name()
    {
        var layout = new Layout();
        layout.SetXAxis(2, new Axis { Domain = [0.5, 1], Anchor = "y2" });
        layout.SetYAxis(1, new Axis { AutoRange = "reversed" });
        var trace = new ScatterTrace { XAxis = AxisId.X(2), YAxis = AxisId.Y(2) };
        trace.Set("connectgaps", true);
        var json = JsonAssert.Parse(new Figure { Data = [trace], Layout = layout });

        Assert.Equal("y2", json.GetProperty("layout").GetProperty("xaxis2").GetProperty("anchor").GetString());
        Assert.Equal("reversed", json.GetProperty("layout").GetProperty("yaxis").GetProperty("autorange").GetString());
        Assert.Equal("x2", json.GetProperty("data")[0].GetProperty("xaxis").GetString());
        Assert.True(json.GetProperty("data")[0].GetProperty("connectgaps").GetBoolean());
        Assert.Same(layout.GetXAxis(2), layout.GetXAxis(2));
        Assert.Equal([0.5, 1], layout.GetXAxis(2)!.Domain!);
    }

    [Fact]
    public void Integers_stay_exact_other_numbers_keep_float32_precision_and_non_finite_become_null()
    {
        double[] x = [16384, 1073741824, 0.1, 1.0 / 3, 1e-300, 1e300];
        var trace = new ScatterTrace { X = x, Y = new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity } };
        var json = JsonAssert.Parse(new Figure { Data = [trace] }).GetProperty("data")[0];
        var written = JsonAssert.Numbers(json.GetProperty("x"));

        Assert.StartsWith("[16384,1073741824,0.1,0.33333334,", json.GetProperty("x").GetRawText());
        for (var i = 0; i < 4; i++) Assert.Equal((float)x[i], (float)written[i]);
        Assert.Equal(1e-300, written[4]); // outside float32's range the double is kept
        Assert.Equal(1e300, written[5]);
        Assert.Equal("[null,null,null]", json.GetProperty("y").GetRawText());
    }

    [Fact]
    public void Color_scales_are_names_or_position_color_pairs()
    {
        var named = new HeatmapTrace { ColorScale = "Viridis" };
        var stops = new HeatmapTrace { ColorScale = ColorScale.TwoColors("#eee", "#36c") };
        var json = JsonAssert.Parse(new Figure { Data = [named, stops] }).GetProperty("data");

        Assert.Equal("Viridis", json[0].GetProperty("colorscale").GetString());
        Assert.Equal("""[[0,"#eee"],[0.5,"#eee"],[0.5,"#36c"],[1,"#36c"]]""", json[1].GetProperty("colorscale").GetRawText());
        Assert.Throws<ArgumentException>(() => ColorScale.FromStops((0, "#000"), (0.7, "#fff")));
    }

    [Fact]
    public void Json_can_sit_inside_a_script_tag()
    {
        var figure = new Figure { Layout = new Layout { Title = "</script><b>x</b> & 'q'" } };
        var raw = figure.ToJson();

        Assert.DoesNotContain("<", raw);
        Assert.DoesNotContain(">", raw);
        Assert.Equal("</script><b>x</b> & 'q'", JsonAssert.Parse(raw).GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
    }
}
