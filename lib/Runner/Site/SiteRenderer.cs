using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;

namespace Course.Runner.Site;

/// <summary>One lesson page of the rendered site.</summary>
/// <param name="ExecutedNotebookPath">The executed notebook the page shows.</param>
/// <param name="PagePath">The page's full path.</param>
/// <param name="Title">The notebook's first heading (or its file name).</param>
/// <param name="ChartCount">How many plotly charts the page draws.</param>
/// <param name="ErrorCount">How many error outputs the page shows.</param>
/// <param name="MathCount">How many formulas (markdown <c>$…$</c> and <c>$$…$$</c>) KaTeX typesets on the page.</param>
/// <param name="Summary">What the front page shows for the lesson (number, title, outcomes, time).</param>
/// <param name="Sections">The page's level-2 headings, listed in its "On this page" box when there are two or more.</param>
public sealed record SitePage(
    string ExecutedNotebookPath, string PagePath, string Title, int ChartCount, int ErrorCount, int MathCount, LessonSummary Summary, IReadOnlyList<PageSection> Sections)
{
    /// <summary>The page's file name (relative link from the index).</summary>
    public string FileName => Path.GetFileName(PagePath);
}

/// <summary>A level-2 heading of a lesson page: its anchor (unique on the page) and its text.</summary>
public sealed record PageSection(string Id, string Title);

/// <summary>The rendered site: its index and lesson pages.</summary>
public sealed record SiteResult(string IndexPath, IReadOnlyList<SitePage> Pages, IReadOnlyList<string> Warnings)
{
    /// <summary>How many formulas the index's introduction and lesson outcomes hold.</summary>
    public int IndexMathCount { get; init; }
}

/// <summary>Thrown when the site cannot be rendered (plotly.js or KaTeX missing, no notebooks).</summary>
public sealed class SiteRenderException(string message) : Exception(message);

/// <summary>
/// Renders executed notebooks as a static site that works offline from file:// or any static server:
/// index.html as the course's front page (introduction, then every lesson with its outcomes and time, see
/// <see cref="FrontPage"/>), one page per notebook (an "On this page" box, markdown, highlighted code, every output,
/// charts drawn by plotly.js and formulas typeset by KaTeX, both from the site's own assets/), prev/next links.
/// No page requests anything outside the site.
/// </summary>
public static class SiteRenderer
{
    /// <summary>The plotly JSON mime type: an output that has it is drawn as a live chart and nothing else.</summary>
    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    // The files the site takes from KaTeX's dist folder, besides the fonts/ folder the stylesheet loads from.
    private static readonly string[] KatexFiles = ["katex.min.js", "katex.min.css"];

    // Anything in an HTML output that would make the browser fetch from another host.
    private static readonly Regex ExternalReference = new(
        """\bsrc\s*=\s*["']?\s*(https?:)?//|<link\b[^>]*\bhref\s*=\s*["']?\s*(https?:)?//|\burl\(\s*["']?\s*(https?:)?//|@import\s+["']?(https?:)?//|\brequire\.config\b""",
        RegexOptions.IgnoreCase | RegexOptions.Compiled);

    /// <summary>
    /// Renders <paramref name="executedNotebooks"/> (in course order) into <paramref name="siteDirectory"/>;
    /// copies <paramref name="plotlyJsPath"/> to assets/plotly.min.js and KaTeX's script, stylesheet and fonts from
    /// <paramref name="katexDistDirectory"/> (the npm package's dist/ folder) to assets/katex/.
    /// </summary>
    /// <param name="executedNotebooks">The executed notebooks, in course order.</param>
    /// <param name="siteDirectory">Where the site goes; its old pages are deleted.</param>
    /// <param name="plotlyJsPath">plotly.min.js.</param>
    /// <param name="katexDistDirectory">KaTeX's dist/ folder.</param>
    /// <param name="courseTitle">The site's name, in every page's header and the front page's heading.</param>
    /// <param name="introduction">The front page's introduction as markdown; null for the course's own (Site/FrontPage.md).</param>
    /// <exception cref="SiteRenderException">plotly.min.js or KaTeX is missing (run npm ci in lib/Charts/web) or there is no notebook.</exception>
    public static SiteResult Render(
        IReadOnlyList<string> executedNotebooks, string siteDirectory, string plotlyJsPath, string katexDistDirectory,
        string courseTitle = "The attention mechanism, in C#", string? introduction = null)
    {
        if (!File.Exists(plotlyJsPath))
        {
            throw new SiteRenderException(
                $"plotly.js not found at {Path.GetFullPath(plotlyJsPath)}. The site draws charts with its own copy of plotly.js: run `npm ci` in lib/Charts/web, then render again.");
        }

        var katexFonts = Path.Combine(katexDistDirectory, "fonts");
        if (KatexFiles.Any(name => !File.Exists(Path.Combine(katexDistDirectory, name))) || !Directory.Exists(katexFonts))
        {
            throw new SiteRenderException(
                $"KaTeX not found in {Path.GetFullPath(katexDistDirectory)} (katex.min.js, katex.min.css, fonts/). The site typesets formulas with its own copy of KaTeX: run `npm ci` in lib/Charts/web, then render again.");
        }

        if (executedNotebooks.Count == 0)
        {
            throw new SiteRenderException("No executed notebooks to render: run the notebooks first (the `run` command).");
        }

        siteDirectory = Path.GetFullPath(siteDirectory);
        var assets = Path.Combine(siteDirectory, "assets");
        Directory.CreateDirectory(assets);
        foreach (var stalePage in Directory.EnumerateFiles(siteDirectory, "*.html"))
        {
            File.Delete(stalePage);
        }

        File.Copy(plotlyJsPath, Path.Combine(assets, "plotly.min.js"), overwrite: true);
        File.WriteAllText(Path.Combine(assets, "site.css"), ReadAsset("site.css"));
        File.WriteAllText(Path.Combine(assets, "site.js"), ReadAsset("site.js"));
        File.WriteAllText(Path.Combine(assets, "math.js"), ReadAsset("math.js"));
        CopyKatex(katexDistDirectory, Path.Combine(assets, "katex"));

        var notebooks = executedNotebooks.Select(path => (Path: Path.GetFullPath(path), Json: Ipynb.Load(path))).ToList();
        var pageNames = notebooks.Select(n => Path.GetFileNameWithoutExtension(n.Path) + ".html").ToList();
        var titles = notebooks.Select(n => Ipynb.Title(n.Json) ?? Path.GetFileNameWithoutExtension(n.Path)).ToList();
        var notebookToPage = notebooks.Select((n, i) => (Notebook: Path.GetFileName(n.Path), Page: pageNames[i]))
            .ToDictionary(p => p.Notebook, p => p.Page, StringComparer.Ordinal);

        var pages = new List<SitePage>();
        var warnings = new List<string>();
        for (int i = 0; i < notebooks.Count; i++)
        {
            var fileName = Path.GetFileName(notebooks[i].Path);
            var summary = LessonSummary.Read(notebooks[i].Json, fileName, warnings);
            var page = new LessonPage(notebookToPage, warnings, fileName);
            string body = page.RenderCells(notebooks[i].Json);
            var nav = Navigation(
                i > 0 ? (pageNames[i - 1], titles[i - 1]) : null,
                i + 1 < notebooks.Count ? (pageNames[i + 1], titles[i + 1]) : null);
            var html = Layout(
                $"{titles[i]} · {courseTitle}",
                courseTitle,
                $"{nav}\n<article class=\"lesson\">\n{body}</article>\n{nav}",
                page.ChartCount > 0,
                page.MathCount > 0);
            var pagePath = Path.Combine(siteDirectory, pageNames[i]);
            File.WriteAllText(pagePath, html);
            pages.Add(new SitePage(notebooks[i].Path, pagePath, titles[i], page.ChartCount, page.ErrorCount, page.MathCount, summary, page.Sections));
        }

        var (index, indexMath) = FrontPage.Render(courseTitle, introduction ?? FrontPage.DefaultIntroduction(), pages, notebookToPage, warnings);
        var indexPath = Path.Combine(siteDirectory, "index.html");
        File.WriteAllText(indexPath, Layout(courseTitle, courseTitle, index, hasCharts: false, hasMath: indexMath > 0));
        return new SiteResult(indexPath, pages, warnings) { IndexMathCount = indexMath };
    }

    private static string Navigation((string Page, string Title)? previous, (string Page, string Title)? next)
    {
        var nav = new StringBuilder("<nav class=\"pager\">");
        nav.Append(previous is { } p ? $"<a class=\"prev\" href=\"{Encode(p.Page)}\">← {Encode(p.Title)}</a>" : "<span class=\"prev\"></span>");
        nav.Append("<a class=\"contents\" href=\"index.html\">Contents</a>");
        nav.Append(next is { } n ? $"<a class=\"next\" href=\"{Encode(n.Page)}\">{Encode(n.Title)} →</a>" : "<span class=\"next\"></span>");
        return nav.Append("</nav>").ToString();
    }

    private static string Layout(string title, string courseTitle, string body, bool hasCharts, bool hasMath)
    {
        // plotly.min.js takes seconds to parse: only pages with charts load it. KaTeX likewise only where there is math.
        var scripts = (hasCharts ? "<script src=\"assets/plotly.min.js\"></script>\n<script src=\"assets/site.js\"></script>\n" : "") +
                      (hasMath ? "<script src=\"assets/katex/katex.min.js\"></script>\n<script src=\"assets/math.js\"></script>\n" : "");
        var stylesheets = "<link rel=\"stylesheet\" href=\"assets/site.css\">" +
                          (hasMath ? "\n<link rel=\"stylesheet\" href=\"assets/katex/katex.min.css\">" : "");
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Encode(title)}</title>
            {stylesheets}
            </head>
            <body>
            <header class="site"><a href="index.html">{Encode(courseTitle)}</a></header>
            <main>
            {body}
            </main>
            {scripts}</body>
            </html>

            """;
    }

    /// <summary>KaTeX's script, stylesheet and fonts (the stylesheet loads them from fonts/ beside it).</summary>
    private static void CopyKatex(string katexDistDirectory, string target)
    {
        var targetFonts = Path.Combine(target, "fonts");
        Directory.CreateDirectory(targetFonts);
        foreach (var name in KatexFiles)
        {
            File.Copy(Path.Combine(katexDistDirectory, name), Path.Combine(target, name), overwrite: true);
        }

        foreach (var font in Directory.EnumerateFiles(Path.Combine(katexDistDirectory, "fonts")))
        {
            File.Copy(font, Path.Combine(targetFonts, Path.GetFileName(font)), overwrite: true);
        }
    }

    private static string ReadAsset(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Course.Runner.Site.Assets.{name}")
                           ?? throw new InvalidOperationException($"Embedded site asset {name} is missing from Course.Runner.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>The HTML of one notebook's cells.</summary>
    private sealed class LessonPage(IReadOnlyDictionary<string, string> notebookToPage, List<string> warnings, string notebookName)
    {
        // Every id on the page: Markdig numbers repeated headings only within one cell, and cells and charts have ids too.
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
        private readonly List<PageSection> _sections = new();
        private bool _hasTitle;

        public int ChartCount { get; private set; }

        public int ErrorCount { get; private set; }

        public int MathCount { get; private set; }

        /// <summary>The level-2 headings of the markdown cells rendered so far.</summary>
        public IReadOnlyList<PageSection> Sections => _sections;

        /// <summary>The cells' HTML, with the "On this page" box after the cell holding the title (else first).</summary>
        public string RenderCells(JsonObject notebook)
        {
            var html = new StringBuilder();
            var cells = Ipynb.Cells(notebook);
            _ids.UnionWith(Enumerable.Range(1, cells.Count).Select(n => $"cell-{n}"));
            int contentsAt = 0;
            for (int i = 0; i < cells.Count; i++)
            {
                var cell = cells[i];
                var source = Ipynb.Source(cell);
                switch (Ipynb.CellType(cell))
                {
                    case "markdown":
                        bool hadTitle = _hasTitle;
                        html.Append($"<section class=\"cell markdown\" id=\"cell-{i + 1}\">\n")
                            .Append(MarkdownText.LinkNotebooksToPages(MarkdownToHtml(source, isCell: true), notebookToPage))
                            .Append("</section>\n");
                        if (_hasTitle && !hadTitle)
                        {
                            contentsAt = html.Length;
                        }

                        break;
                    case "code":
                        html.Append($"<section class=\"cell code\" id=\"cell-{i + 1}\">\n");
                        var count = cell["execution_count"]?.GetValue<int>() is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : " ";
                        html.Append($"<div class=\"source\"><span class=\"prompt\">[{count}]</span><pre><code class=\"language-csharp\">")
                            .Append(CSharpHighlighter.Highlight(source.TrimEnd()))
                            .Append("</code></pre></div>\n");
                        if (cell["outputs"] is JsonArray outputs && outputs.Count > 0)
                        {
                            html.Append("<div class=\"outputs\">\n");
                            foreach (var output in outputs.OfType<JsonObject>())
                            {
                                html.Append(RenderOutput(output, i + 1));
                            }

                            html.Append("</div>\n");
                        }

                        html.Append("</section>\n");
                        break;
                    default:
                        html.Append($"<section class=\"cell raw\" id=\"cell-{i + 1}\"><pre>{Encode(source)}</pre></section>\n");
                        break;
                }
            }

            return html.Insert(contentsAt, OnThisPage()).ToString();
        }

        /// <summary>Links to the page's level-2 headings; nothing for a page with fewer than two.</summary>
        private string OnThisPage()
        {
            if (_sections.Count < 2)
            {
                return "";
            }

            var nav = new StringBuilder("<nav class=\"on-this-page\" aria-label=\"On this page\">\n<p class=\"on-this-page-title\">On this page</p>\n<ol>\n");
            foreach (var section in _sections)
            {
                nav.Append("<li><a href=\"#").Append(Encode(section.Id)).Append("\">").Append(Encode(section.Title)).Append("</a></li>\n");
            }

            return nav.Append("</ol>\n</nav>\n").ToString();
        }

        /// <summary><paramref name="wanted"/>, or wanted-1, wanted-2, … if the page already has that id; now taken.</summary>
        private string UniqueId(string wanted)
        {
            var id = wanted;
            for (int n = 1; !_ids.Add(id); n++)
            {
                id = $"{wanted}-{n}";
            }

            return id;
        }

        private string RenderOutput(JsonObject output, int cellNumber)
        {
            switch (output["output_type"]?.GetValue<string>())
            {
                case "stream":
                    var streamName = output["name"]?.GetValue<string>() == "stderr" ? "stderr" : "stdout";
                    return $"<pre class=\"output {streamName}\">{Encode(Ipynb.MultilineText(output["text"]))}</pre>\n";
                case "error":
                    ErrorCount++;
                    var traceback = string.Join("\n", (output["traceback"] as JsonArray ?? []).Select(l => l?.GetValue<string>() ?? ""));
                    var text = traceback.Trim().Length > 0
                        ? traceback
                        : $"{output["ename"]?.GetValue<string>()}: {output["evalue"]?.GetValue<string>()}";
                    return $"<pre class=\"output error\">{Encode(text)}</pre>\n";
                case "display_data" or "execute_result" when output["data"] is JsonObject data:
                    return RenderMimeBundle(data, cellNumber);
                default:
                    return "";
            }
        }

        private string RenderMimeBundle(JsonObject data, int cellNumber)
        {
            if (data[PlotlyMimeType] is { } figure)
            {
                ChartCount++;
                var id = UniqueId($"figure-{ChartCount}");
                var json = figure is JsonValue v && v.TryGetValue(out string? s) ? s : figure.ToJsonString();
                // The default encoder escapes '<', '>' and '&', so the JSON cannot close the script element.
                var safeJson = JsonNode.Parse(json)!.ToJsonString();
                return $"<div class=\"output chart\"><div class=\"plotly-chart\" data-figure=\"{id}\"></div>" +
                       $"<script type=\"application/json\" id=\"{id}\">{safeJson}</script></div>\n";
            }

            if (data["text/html"] is { } htmlNode)
            {
                var html = Ipynb.MultilineText(htmlNode);
                if (!ExternalReference.IsMatch(html))
                {
                    return $"<div class=\"output html\">{html}</div>\n";
                }

                warnings.Add($"{notebookName}, cell {cellNumber}: an HTML output refers to another host; it is shown as text instead.");
            }

            if (data["image/svg+xml"] is { } svg)
            {
                return $"<div class=\"output image\">{Ipynb.MultilineText(svg)}</div>\n";
            }

            foreach (var imageType in new[] { "image/png", "image/jpeg" })
            {
                if (data[imageType] is { } image)
                {
                    return $"<div class=\"output image\"><img alt=\"output\" src=\"data:{imageType};base64,{Ipynb.MultilineText(image).Trim()}\"></div>\n";
                }
            }

            if (data["text/markdown"] is { } markdown)
            {
                return $"<div class=\"output markdown\">{MarkdownToHtml(Ipynb.MultilineText(markdown), isCell: false)}</div>\n";
            }

            if (data["text/plain"] is { } plain)
            {
                return $"<pre class=\"output text\">{Encode(Ipynb.MultilineText(plain))}</pre>\n";
            }

            var json2 = data.FirstOrDefault(p => p.Key.EndsWith("json", StringComparison.Ordinal));
            return json2.Value is { } jsonValue
                ? $"<pre class=\"output json\">{Encode(jsonValue.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }))}</pre>\n"
                : "";
        }

        /// <summary>
        /// The markdown's HTML, its headings' ids made unique on the page; counts its formulas (so that the page loads
        /// KaTeX only when it has some) and, for a markdown cell, notes its title and level-2 headings.
        /// </summary>
        private string MarkdownToHtml(string markdown, bool isCell)
        {
            var document = MarkdownText.Parse(markdown);
            MathCount += MarkdownText.MathCount(document);
            foreach (var heading in document.Descendants<HeadingBlock>())
            {
                var attributes = heading.GetAttributes();
                attributes.Id = UniqueId(string.IsNullOrEmpty(attributes.Id) ? "section" : attributes.Id);
                _hasTitle |= isCell && heading.Level == 1;
                if (isCell && heading.Level == 2)
                {
                    _sections.Add(new PageSection(attributes.Id, MarkdownText.PlainText(heading)));
                }
            }

            return document.ToHtml(MarkdownText.Pipeline);
        }
    }
}
