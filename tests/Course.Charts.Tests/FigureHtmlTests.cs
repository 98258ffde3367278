using Course.Charts;

namespace Course.Charts.Tests;

/// <summary>The HTML around a figure, independent of the notebook state.</summary>
public class FigureHtmlTests
{
    private static Figure SampleFigure() => Chart.Lines([new Series("y", new[] { 0.0, 1 }, new[] { 1.0, 0 })]);

    [Fact]
    public void A_page_loads_plotly_once_in_its_head_and_every_figure_waits_for_it()
    {
        var page = FigureHtml.Page([SampleFigure(), SampleFigure(), SampleFigure()], PlotlyLoading.Inline("window.Plotly = {};"), "three");

        Assert.Equal(1, FormatterTests.Count(page, FigureHtml.InlineMarker));
        Assert.True(page.IndexOf(FigureHtml.InlineMarker, StringComparison.Ordinal) < page.IndexOf("</head>", StringComparison.Ordinal));
        Assert.Equal(3, FormatterTests.Count(page, "class=\"course-figure\""));
        Assert.Equal(3, FormatterTests.Count(page, ", null, ")); // no figure asks for a URL of its own
        Assert.Contains("<title>three</title>", page);
    }

    [Fact]
    public void A_site_page_refers_to_its_own_plotly_copy()
    {
        var page = FigureHtml.Page([SampleFigure()], PlotlyLoading.FromUrl("assets/plotly.min.js"));

        Assert.Contains("<script type=\"text/javascript\" src=\"assets/plotly.min.js\"></script>", page);
        Assert.DoesNotContain("http", page);
    }

    [Fact]
    public void A_fragment_draws_its_figure_json_into_its_own_div()
    {
        var figure = SampleFigure();
        var html = FigureHtml.Fragment(figure, PlotlyLoading.FromUrl("p.js"), "fig-1");

        Assert.Contains("<div id=\"fig-1\"", html);
        Assert.Contains(figure.ToJson() + ", \"fig-1\", \"p.js\", ", html);
        Assert.Contains("Plotly.addFrames", html);
        Assert.Throws<ArgumentException>(() => FigureHtml.Fragment(figure, PlotlyLoading.AlreadyLoaded(), "bad id\"><script>"));
    }

    [Fact]
    public void Inlined_plotly_cannot_close_its_script_tag_early()
    {
        var tag = FigureHtml.InlineScriptTag("var s = '</script>';");

        Assert.Equal(1, FormatterTests.Count(tag, "</script>"));
        Assert.Contains("'<\\/script>'", tag);
    }
}
