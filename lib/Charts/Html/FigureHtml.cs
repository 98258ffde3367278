using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Course.Charts;

/// <summary>
/// Figures as HTML: a <c>&lt;div&gt;</c> plus a script that draws it with <c>Plotly.newPlot</c> and
/// <c>Plotly.addFrames</c> (see Html/draw-figure.js). Used by the notebook formatter and for standalone pages.
/// </summary>
public static partial class FigureHtml
{
    /// <summary>The plotly.js version the course pins (lib/Charts/web/package.json).</summary>
    public const string PlotlyVersion = "2.28.0";

    /// <summary>The public CDN copy of that version.</summary>
    public const string CdnUrl = "https://cdn.plot.ly/plotly-" + PlotlyVersion + ".min.js";

    /// <summary>The first line of the inline plotly script; a page holds plotly.js inline once per occurrence of it.</summary>
    public const string InlineMarker = "/* plotly.js inlined for offline use */";

    private static readonly Lazy<string> DrawScript = new(ReadDrawScript);

    /// <summary>
    /// HTML for one figure: with <see cref="PlotlyLoadingKind.Inline"/> the plotly.js library first, then the div and the
    /// drawing script. The figure's JSON inside is exactly <see cref="Figure.ToJson"/>.
    /// </summary>
    /// <param name="figure">What to draw.</param>
    /// <param name="loading">Where plotly.js comes from.</param>
    /// <param name="elementId">The div's id (letters, digits, '-', '_'); null: derived from the figure's JSON, so that
    /// re-running a notebook writes the same output (the drawing script tells repeated ids apart).</param>
    public static string Fragment(Figure figure, PlotlyLoading loading, string? elementId = null)
    {
        ArgumentNullException.ThrowIfNull(figure);
        ArgumentNullException.ThrowIfNull(loading);
        var json = figure.ToJson();
        var id = elementId ?? "course-figure-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)), 0, 8);
        if (!SafeId().IsMatch(id))
            throw new ArgumentException($"elementId \"{id}\" may hold only letters, digits, '-' and '_'.", nameof(elementId));

        var html = new StringBuilder();
        html.Append("<div class=\"course-figure\">\n");
        if (loading.Kind == PlotlyLoadingKind.Inline) html.Append(InlineScriptTag(loading.Script!)).Append('\n');
        html.Append("<div id=\"").Append(id).Append("\" style=\"width:100%;\"></div>\n");
        html.Append("<script type=\"text/javascript\">\n").Append(DrawScript.Value).Append('(')
            .Append(json).Append(", ")
            .Append(JsonString(id)).Append(", ")
            .Append(loading.Kind == PlotlyLoadingKind.Url ? JsonString(loading.Url!) : "null").Append(", ")
            .Append(JsonString(loading.MissingHint))
            .Append(");\n</script>\n</div>");
        return html.ToString();
    }

    /// <summary>
    /// A standalone HTML page showing <paramref name="figures"/> one under another; plotly.js is loaded once in the head
    /// (inline, or a &lt;script src&gt; for a URL).
    /// </summary>
    public static string Page(IReadOnlyList<Figure> figures, PlotlyLoading loading, string title = "Figures")
    {
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(loading);
        var head = loading.Kind switch
        {
            PlotlyLoadingKind.Inline => InlineScriptTag(loading.Script!),
            PlotlyLoadingKind.Url => $"<script type=\"text/javascript\" src=\"{System.Net.WebUtility.HtmlEncode(loading.Url)}\"></script>",
            _ => "",
        };
        var body = new StringBuilder();
        var shared = PlotlyLoading.AlreadyLoaded() with { MissingHint = loading.MissingHint };
        foreach (var figure in figures) body.Append(Fragment(figure, shared)).Append('\n');
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{System.Net.WebUtility.HtmlEncode(title)}</title>
            {head}
            </head>
            <body>
            {body}
            </body>
            </html>
            """;
    }

    /// <summary>
    /// A &lt;script&gt; holding plotly.js. It defines window.Plotly only when no copy is there yet, and hides any AMD
    /// <c>define</c>/CommonJS names of the page so the library always lands on window.
    /// </summary>
    public static string InlineScriptTag(string plotlyScript)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(plotlyScript);
        // "</script" inside the library would end the tag early; "<\/script" means the same to JavaScript.
        var safe = plotlyScript.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
        return $"<script type=\"text/javascript\">{InlineMarker}\nif (!window.Plotly) {{ (function (define, module, exports) {{\n{safe}\n}}).call(window); }}\n</script>";
    }

    private static string JsonString(string value) => JsonSerializer.Serialize(value, PlotlyJson.Options);

    private static string ReadDrawScript()
    {
        using var stream = typeof(FigureHtml).Assembly.GetManifestResourceStream("Course.Charts.draw-figure.js")
            ?? throw new InvalidOperationException("The embedded resource Course.Charts.draw-figure.js is missing from Course.Charts.dll.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().TrimEnd();
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex SafeId();
}
