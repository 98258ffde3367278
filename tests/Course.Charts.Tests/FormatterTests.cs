using System.Text.RegularExpressions;
using Attention;
using Course.Charts;
using Course.Notebook;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.DotNet.Interactive.Formatting;

namespace Course.Charts.Tests;

/// <summary>The formatters change process-wide state (Formatter, chart source), so these tests never run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebookStateCollection
{
    public const string Name = "notebook state";
}

[Collection(NotebookStateCollection.Name)]
public sealed class FormatterTests : IDisposable
{
    public FormatterTests()
    {
        Formatter.ResetToDefault();
        CourseFormatters.Register();
        CourseNotebook.UseOnlineCharts();
    }

    public void Dispose()
    {
        CourseNotebook.UseOnlineCharts();
        Formatter.ResetToDefault();
    }

    private static Figure SampleFigure() => Chart.AttentionHeatmap(new float[,] { { 1, 0 }, { 0.5f, 0.5f } }, ["a", "b"]);

    [Fact]
    public void A_returned_figure_is_formatted_as_html_and_as_plotly_json_of_the_same_figure()
    {
        var figure = SampleFigure();

        // What the C# kernel does with a cell's last value.
        var values = FormattedValue.CreateManyFromObject(figure);

        var byMime = values.ToDictionary(v => v.MimeType, v => v.Value);
        Assert.Contains(MimeTypes.Html, byMime.Keys);
        Assert.Contains(MimeTypes.PlotlyFigure, byMime.Keys);
        Assert.Equal(figure.ToJson(), byMime[MimeTypes.PlotlyFigure]);
        Assert.Contains(figure.ToJson(), byMime[MimeTypes.Html]); // the HTML draws exactly that JSON
        Assert.Contains("Plotly.newPlot", byMime[MimeTypes.Html]);
        Assert.Equal(MimeTypes.Html, values[0].MimeType); // front ends that take the first rich type draw the HTML
    }

    [Fact]
    public void Display_emits_both_mime_types_for_one_figure()
    {
        var figure = SampleFigure();
        var displayed = new List<DisplayedValue>();
        using (Formatter.SubscribeToDisplayedValues(displayed.Add))
            CourseNotebook.Show(figure, "between", figure);

        Assert.Equal(3, displayed.Count);
        Assert.Equal([MimeTypes.Html, MimeTypes.PlotlyFigure, MimeTypes.PlainText], displayed[0].FormattedValues.Select(v => v.MimeType).ToArray());
        Assert.Equal(figure.ToJson(), displayed[2].FormattedValues.Single(v => v.MimeType == MimeTypes.PlotlyFigure).Value);
        Assert.Equal("between", displayed[1].FormattedValues.Single().Value);
    }

    [Fact]
    public void Online_charts_load_plotly_from_the_pinned_cdn_url()
    {
        var html = SampleFigure().ToDisplayString(MimeTypes.Html);

        Assert.Contains(FigureHtml.CdnUrl, html);
        Assert.Equal("https://cdn.plot.ly/plotly-2.28.0.min.js", FigureHtml.CdnUrl);
        Assert.DoesNotContain(FigureHtml.InlineMarker, html);
    }

    [Fact]
    public void Offline_charts_inline_plotly_exactly_once_and_name_no_outside_url()
    {
        CourseNotebook.UseOfflineCharts();
        var outputs = Enumerable.Range(0, 3).Select(_ => SampleFigure().ToDisplayString(MimeTypes.Html)).ToArray();
        var all = string.Concat(outputs);

        Assert.Equal(1, Count(all, FigureHtml.InlineMarker));
        Assert.Equal(1, Count(all, "plotly.js v2.28.0")); // the library's own header
        Assert.Contains(FigureHtml.InlineMarker, outputs[0]);
        Assert.Equal(ChartSource.Offline, CourseNotebook.ChartSource);
        foreach (var output in outputs)
        {
            var ownMarkup = WithoutInlinedLibrary(output);
            Assert.DoesNotContain("http:", ownMarkup);
            Assert.DoesNotContain("https:", ownMarkup);
            Assert.DoesNotContain("//cdn", ownMarkup);
        }

        CourseNotebook.UseOfflineCharts(); // after clearing outputs, the learner calls it again: the next chart carries plotly again
        Assert.Contains(FigureHtml.InlineMarker, SampleFigure().ToDisplayString(MimeTypes.Html));
    }

    [Fact]
    public void Offline_charts_report_a_missing_plotly_file_with_the_fix()
    {
        var error = Assert.Throws<FileNotFoundException>(() => CourseNotebook.UseOfflineCharts("/nonexistent/plotly.min.js"));
        Assert.Contains("/nonexistent/plotly.min.js", error.Message);
        Assert.Equal(ChartSource.Cdn, CourseNotebook.ChartSource);
    }

    [Fact]
    public void The_build_puts_plotly_next_to_the_course_dlls()
    {
        Assert.True(File.Exists(Path.Combine(CourseNotebook.CourseLibDirectory, "plotly.min.js")), CourseNotebook.CourseLibDirectory);
        var repoCopy = Path.Combine(RepoRoot(), "artifacts", "course-lib", "plotly.min.js");
        Assert.True(File.Exists(repoCopy), repoCopy);
    }

    [Fact]
    public void Attention_result_shows_its_weights_heatmap_and_both_shapes()
    {
        var weights = Matrix<float>.Build.DenseOfArray(new float[,] { { 1, 0, 0 }, { 0.5f, 0.5f, 0 } }); // [n_q=2, n_k=3]
        var output = Matrix<float>.Build.Dense(2, 4);                                                // [n_q=2, d_v=4]
        var result = new AttentionResult(output, weights);

        var values = FormattedValue.CreateManyFromObject(result).ToDictionary(v => v.MimeType, v => v.Value);
        var json = JsonAssert.Parse(values[MimeTypes.PlotlyFigure]);
        var z = json.GetProperty("data")[0].GetProperty("z");

        Assert.Equal(2, z.GetArrayLength());
        Assert.Equal(3, z[0].GetArrayLength());
        Assert.Equal(0.5, z[1][1].GetDouble());
        Assert.Contains("Output [2 × 4]", values[MimeTypes.Html]);
        Assert.Contains("Weights [2 × 3]", values[MimeTypes.Html]);
        Assert.Contains("Plotly.newPlot", values[MimeTypes.Html]);
        Assert.Contains("Output [2 × 4]", values[MimeTypes.PlainText]);
    }

    [Fact]
    public void Large_matrices_show_at_most_twelve_rows_and_columns_with_ellipses()
    {
        var matrix = Matrix<float>.Build.Dense(20, 30, (r, c) => r + c / 1000f);
        var html = matrix.ToDisplayString(MimeTypes.Html);

        Assert.Contains("[20 × 30]", html);
        Assert.Equal(12, Count(html, "<tr>"));
        Assert.Equal(12 * 12, Count(html, "<td"));
        Assert.Contains("⋮", html);
        Assert.Contains("⋯", html);
        Assert.Contains("⋱", html);
        Assert.Contains(">19.03<", html); // last row and last column are shown, to 4 significant digits
        Assert.DoesNotContain(">10<", html); // middle rows are elided
    }

    [Fact]
    public void Small_matrices_show_every_value_rounded()
    {
        var html = Matrix<float>.Build.DenseOfArray(new float[,] { { 1 / 3f, 2 }, { -0.5f, 1e-7f } }).ToDisplayString(MimeTypes.Html);

        Assert.Equal(2, Count(html, "<tr>"));
        Assert.Contains(">0.3333<", html);
        Assert.Contains(">1E-07<", html);
        Assert.DoesNotContain("⋮", html);
    }

    [Fact]
    public void Exercise_checks_show_as_a_green_or_red_box_with_a_plain_text_fallback()
    {
        var passed = Course.Exercises.Check.DotProduct((a, b) => (float)a.Zip(b, (x, y) => (double)x * y).Sum());
        var failed = Course.Exercises.Check.DotProduct((a, b) => 0f);
        Assert.True(passed.Passed);
        Assert.False(failed.Passed);

        var passedValues = FormattedValue.CreateManyFromObject(passed).ToDictionary(v => v.MimeType, v => v.Value);
        var failedHtml = failed.ToDisplayString(MimeTypes.Html);

        Assert.Equal(passed.ToHtml(), passedValues[MimeTypes.Html]);
        Assert.Contains("#2e7d32", passedValues[MimeTypes.Html]); // green
        Assert.Contains("#c62828", failedHtml);                   // red
        Assert.Contains("exercise-check", failedHtml);
        Assert.StartsWith("✔", passedValues[MimeTypes.PlainText]);
    }

    [Fact]
    public void Start_prints_the_environment_check()
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        try { CourseNotebook.Start(); }
        finally { Console.SetOut(original); }

        var text = output.ToString();
        Assert.Contains("Attention course library", text);
        Assert.Contains(CourseNotebook.CourseLibDirectory, text);
        Assert.Contains("SIMD:", text);
        Assert.Contains("Vector<float>.Count", text);
        Assert.Contains("plotly.js 2.28.0", text);
    }

    internal static int Count(string text, string part) => Regex.Matches(text, Regex.Escape(part)).Count;

    /// <summary>The HTML without the inlined plotly.js script (which mentions many URLs in its own code, none loaded).</summary>
    internal static string WithoutInlinedLibrary(string html) =>
        Regex.Replace(html, "<script type=\"text/javascript\">" + Regex.Escape(FigureHtml.InlineMarker) + ".*?</script>", "", RegexOptions.Singleline);

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props"))) return dir.FullName;
        // Built outside the tree (--artifacts-path): the source location is known at compile time.
        return Path.GetFullPath(Path.Combine(ThisFileDirectory(), "..", ".."));
    }

    private static string ThisFileDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
