using Attention;
using Course.Charts;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.DotNet.Interactive.Formatting;

namespace Course.Notebook;

/// <summary>
/// The .NET Interactive formatters of the course. A <see cref="Figure"/> is written twice for one display: as
/// text/html (a div and a script that draws it with plotly.js) and as application/vnd.plotly.v1+json (the figure
/// JSON, for front ends and the course site that draw plotly themselves). The kernel formats a cell's returned
/// value and every display(...) for each MIME type in <c>Formatter.GetPreferredMimeTypesFor</c>, so registering
/// both formatters and setting both preferred types is what emits the pair.
/// </summary>
public static class CourseFormatters
{
    /// <summary>Register every formatter; calling again re-registers (harmless).</summary>
    public static void Register()
    {
        Formatter.Register<Figure>((figure, writer) => writer.Write(FigureHtml.Fragment(figure, ChartDelivery.NextLoading())), MimeTypes.Html);
        Formatter.Register<Figure>((figure, writer) => writer.Write(figure.ToJson()), MimeTypes.PlotlyFigure);
        Formatter.Register<Figure>((figure, writer) => writer.Write(Describe(figure)), MimeTypes.PlainText);
        Formatter.SetPreferredMimeTypesFor(typeof(Figure), MimeTypes.Html, MimeTypes.PlotlyFigure, MimeTypes.PlainText);

        Formatter.Register<AttentionResult>((result, writer) => writer.Write(AttentionResultHtml(result)), MimeTypes.Html);
        Formatter.Register<AttentionResult>((result, writer) => writer.Write(AttentionResultFigure(result).ToJson()), MimeTypes.PlotlyFigure);
        Formatter.Register<AttentionResult>((result, writer) => writer.Write(AttentionResultText(result)), MimeTypes.PlainText);
        Formatter.SetPreferredMimeTypesFor(typeof(AttentionResult), MimeTypes.Html, MimeTypes.PlotlyFigure, MimeTypes.PlainText);

        Formatter.Register<Matrix<float>>((m, writer) => writer.Write(MatrixHtml.Table(m)), MimeTypes.Html);
        Formatter.Register<Matrix<double>>((m, writer) => writer.Write(MatrixHtml.Table(m)), MimeTypes.Html);
        Formatter.Register<Vector<float>>((v, writer) => writer.Write(MatrixHtml.Table(v)), MimeTypes.Html);
        Formatter.Register<Vector<double>>((v, writer) => writer.Write(MatrixHtml.Table(v)), MimeTypes.Html);

        ExerciseFormatters.Register();
    }

    /// <summary>The figure an <see cref="AttentionResult"/> shows: its weights heatmap, titled with both shapes.</summary>
    public static Figure AttentionResultFigure(AttentionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Chart.AttentionHeatmap(result.Weights.ToArray(), title: $"attention weights {Shape(result.Weights)} → output {Shape(result.Output)}");
    }

    // The summary keeps the theme's text colour, greyed by opacity: a fixed grey is unreadable on a dark theme (VS Code's default).
    private static string AttentionResultHtml(AttentionResult result) =>
        FigureHtml.Fragment(AttentionResultFigure(result), ChartDelivery.NextLoading()) +
        $"<div style=\"font-family:sans-serif;font-size:90%;opacity:0.75;\">{HtmlText.Encode(AttentionResultText(result))}</div>";

    private static string AttentionResultText(AttentionResult result) =>
        $"AttentionResult: Output {Shape(result.Output)} (n_q × d_v), Weights {Shape(result.Weights)} (n_q × n_k)";

    private static string Shape(Matrix<float> m) => $"[{m.RowCount} × {m.ColumnCount}]";

    private static string Describe(Figure figure)
    {
        var traces = string.Join(", ", figure.Data.GroupBy(t => t.GetType().Name.Replace("Trace", "").ToLowerInvariant()).Select(g => $"{g.Count()} {g.Key}"));
        var frames = figure.Frames is { Count: > 0 } f ? $", {f.Count} frames" : "";
        return $"Figure \"{figure.Layout.Title?.Text}\": {traces}{frames} (a plotly chart; open the notebook in a front end that runs HTML or draws {MimeTypes.PlotlyFigure})";
    }
}
