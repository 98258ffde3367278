using System.Text.Json;
using Course.Charts;
using static Course.Charts.Tests.JsonAssert;

namespace Course.Charts.Tests;

public class SliderBuilderTests
{
    private static float[,] Weights()
    {
        // [3, 4]: each row sums to 1 and peaks at a different key.
        var w = new float[3, 4];
        for (var q = 0; q < 3; q++)
            for (var k = 0; k < 4; k++) w[q, k] = k == q ? 0.7f : 0.1f;
        return w;
    }

    [Fact]
    public void Query_bars_have_one_frame_per_query_named_like_its_slider_step()
    {
        var json = Parse(Chart.QueryBars(Weights(), ["I", "saw", "it"], ["I", "saw", "it", "."], initialQuery: 1));
        var frames = Items(json.GetProperty("frames"));
        var slider = json.GetProperty("layout").GetProperty("sliders")[0];
        var steps = Items(slider.GetProperty("steps"));

        Assert.Equal(3, frames.Length);
        Assert.Equal(frames.Length, steps.Length);
        for (var i = 0; i < 3; i++)
        {
            var name = frames[i].GetProperty("name").GetString()!;
            Assert.Equal(name, steps[i].GetProperty("label").GetString());
            Assert.Equal("animate", steps[i].GetProperty("method").GetString());
            Assert.Equal([name], Strings(steps[i].GetProperty("args")[0]));
            Assert.True(steps[i].GetProperty("args")[1].GetProperty("frame").GetProperty("redraw").GetBoolean());
            var bars = frames[i].GetProperty("data")[0];
            Assert.Equal("bar", bars.GetProperty("type").GetString());
            Assert.Equal(4, bars.GetProperty("y").GetArrayLength());
            Assert.Equal(0.7, bars.GetProperty("y")[i].GetDouble(), 6);
        }
        Assert.Equal(1, slider.GetProperty("active").GetInt32());
        Assert.Equal(frames[1].GetProperty("data").GetRawText(), json.GetProperty("data").GetRawText()); // shows the active query first
        Assert.Equal([0, 1.1], Numbers(json.GetProperty("layout").GetProperty("yaxis").GetProperty("range")));
    }

    [Fact]
    public void Query_bars_check_the_initial_query()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Chart.QueryBars(Weights(), initialQuery: 3));
        Assert.Equal("initialQuery", error.ParamName);
    }

    [Fact]
    public void Slider_from_figures_keeps_the_first_layout_and_titles_each_frame()
    {
        var temperatures = new[] { 0.5, 1.0, 2.0 };
        var frames = temperatures.Select(t => ($"{t}", Chart.AttentionHeatmap(Weights(), title: $"T = {t}"))).ToList();
        var figure = Chart.Slider(frames, prefix: "temperature = ");
        var json = Parse(figure);

        Assert.Equal(["0.5", "1", "2"], Items(json.GetProperty("frames")).Select(f => f.GetProperty("name").GetString()!).ToArray());
        Assert.Equal("T = 2", json.GetProperty("frames")[2].GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("reversed", json.GetProperty("layout").GetProperty("yaxis").GetProperty("autorange").GetString());
        Assert.Equal("temperature = ", json.GetProperty("layout").GetProperty("sliders")[0].GetProperty("currentvalue").GetProperty("prefix").GetString());
        Assert.Null(frames[0].Item2.Layout.Sliders); // the source figure's layout is copied, not changed
    }

    [Fact]
    public void Update_sliders_hold_every_frame_and_toggle_visibility()
    {
        var frames = new List<SliderFrame>
        {
            new("a", [new ScatterTrace { Y = new[] { 1.0 } }, new ScatterTrace { Y = new[] { 2.0 } }], "first"),
            new("b", [new ScatterTrace { Y = new[] { 3.0 } }], "second"),
        };
        var json = Parse(Chart.Slider(frames, method: SliderMethod.Update, active: 1));
        var data = Items(json.GetProperty("data"));
        var steps = Items(json.GetProperty("layout").GetProperty("sliders")[0].GetProperty("steps"));

        Assert.False(json.TryGetProperty("frames", out _));
        Assert.Equal([false, false, true], data.Select(d => d.GetProperty("visible").GetBoolean()).ToArray());
        Assert.Equal("update", steps[0].GetProperty("method").GetString());
        Assert.Equal([true, true, false], Items(steps[0].GetProperty("args")[0].GetProperty("visible")).Select(v => v.GetBoolean()).ToArray());
        Assert.Equal("second", steps[1].GetProperty("args")[1].GetProperty("title.text").GetString());
        Assert.Null(frames[0].Traces[0].Visible); // the caller's traces are not changed
    }

    [Fact]
    public void Animated_frames_must_replace_traces_one_for_one_and_have_unique_labels()
    {
        var one = new Trace[] { new ScatterTrace() };
        var two = new Trace[] { new ScatterTrace(), new ScatterTrace() };
        var counts = Assert.Throws<ArgumentException>(() => Chart.Slider([new SliderFrame("a", one), new SliderFrame("b", two)]));
        Assert.Equal("frames", counts.ParamName);
        Assert.Contains("frames[1] (\"b\") has 2 traces", counts.Message);

        var labels = Assert.Throws<ArgumentException>(() => Chart.Slider([new SliderFrame("a", one), new SliderFrame("a", one)]));
        Assert.Contains("repeats the label", labels.Message);
        Assert.Throws<ArgumentException>(() => Chart.Slider(Array.Empty<SliderFrame>()));
    }

    [Fact]
    public void Play_button_animates_from_the_current_frame()
    {
        var figure = Chart.Slider([new SliderFrame("a", [new BarTrace()]), new SliderFrame("b", [new BarTrace()])], playButton: true);
        var button = Parse(figure).GetProperty("layout").GetProperty("updatemenus")[0].GetProperty("buttons")[0];

        Assert.Equal("animate", button.GetProperty("method").GetString());
        Assert.Equal(JsonValueKind.Null, button.GetProperty("args")[0].ValueKind); // null = all frames in order
        Assert.True(button.GetProperty("args")[1].GetProperty("fromcurrent").GetBoolean());
    }
}
