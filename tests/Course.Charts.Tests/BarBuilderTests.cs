using Course.Charts;
using static Course.Charts.Tests.JsonAssert;

namespace Course.Charts.Tests;

public class BarBuilderTests
{
    [Fact]
    public void Bars_group_one_trace_per_series_over_distinct_labels()
    {
        string[] tokens = ["the", "cat", "the"];
        var json = Parse(Chart.Bars(tokens, [("head A", new[] { 0.5f, 0.25f, 0.25f }), ("head B", new[] { 0.1f, 0.1f, 0.8f })],
            title: "where it looks", yTitle: "weight", showValues: true));
        var data = Items(json.GetProperty("data"));

        Assert.Equal(["bar", "bar"], data.Select(d => d.GetProperty("type").GetString()!).ToArray());
        Assert.Equal(["head A", "head B"], data.Select(d => d.GetProperty("name").GetString()!).ToArray());
        Assert.Equal("group", json.GetProperty("layout").GetProperty("barmode").GetString());
        var x = Items(data[0].GetProperty("x")).Select(e => e.GetString()!).ToArray();
        Assert.Equal(3, x.Distinct().Count());                                   // the two "the" stay two bars
        Assert.Equal(tokens, x.Select(TokenLabels.Plain).ToArray());
        Assert.Equal(0.8, data[1].GetProperty("y")[2].GetDouble(), 6);
        Assert.Equal("%{y:.2f}", data[0].GetProperty("texttemplate").GetString());
    }

    [Fact]
    public void Bars_reject_a_series_whose_length_differs_from_the_labels()
    {
        var error = Assert.Throws<ArgumentException>(() => Chart.Bars(["a", "b"], [("short", new[] { 1f })]));
        Assert.Equal("series", error.ParamName);
        Assert.Contains("\"short\" has 1 values but labels has 2", error.Message);
        Assert.Throws<ArgumentException>(() => Chart.Bars(["a"], []));
    }
}
