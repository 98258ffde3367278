using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Course.Runner.Site;
using Course.Runner.Tests.Support;

namespace Course.Runner.Tests;

/// <summary>Markdown math on the site: the elements KaTeX typesets, code left alone, KaTeX shipped with the site (the browser tests cover the typeset result).</summary>
public sealed class SiteMathTests
{
    private const string MathMarkdown = """
        # Math fixture

        Inline $q \cdot k$ beside text, and a formula on a line of its own:

        $$\text{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}$$
        $$y = x W$$

        $$
        a < b \quad \& \quad c > d
        $$

        Code keeps its dollars: `$x$` and `$$y$$`.

        ```csharp
        var s = $"{n}$$";
        ```

        Prices like $5 and $10 stay text.
        """;

    private static JsonObject Notebook(params JsonObject[] cells) => new()
    {
        ["cells"] = new JsonArray(cells),
        ["metadata"] = new JsonObject(),
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    };

    private static JsonObject MarkdownCell(string source) => new()
    {
        ["cell_type"] = "markdown",
        ["metadata"] = new JsonObject(),
        ["source"] = source,
    };

    private static JsonObject CodeCellWithMarkdownOutput(string code, string markdownOutput) => new()
    {
        ["cell_type"] = "code",
        ["execution_count"] = 1,
        ["metadata"] = new JsonObject(),
        ["source"] = code,
        ["outputs"] = new JsonArray(new JsonObject
        {
            ["output_type"] = "display_data",
            ["metadata"] = new JsonObject(),
            ["data"] = new JsonObject { ["text/markdown"] = markdownOutput },
        }),
    };

    /// <summary>A site of two pages: one with math in markdown cells and in a markdown output, one without.</summary>
    private static (SiteResult Site, string Directory) RenderMathSite()
    {
        var dir = TestPaths.NewTempDirectory("math");
        var withMath = Path.Combine(dir, "01-math.ipynb");
        Ipynb.Save(Notebook(MarkdownCell(MathMarkdown), CodeCellWithMarkdownOutput("var cost = 5; // $not math$", "Output with $\\alpha$.")), withMath);
        var withoutMath = Path.Combine(dir, "02-plain.ipynb");
        Ipynb.Save(Notebook(MarkdownCell("# Plain\n\nNo formulas here, only $5.")), withoutMath);
        var siteDir = Path.Combine(dir, "site");
        return (SiteRenderer.Render([withMath, withoutMath], siteDir, TestPaths.Course.PlotlyJs, TestPaths.Course.KatexDist), siteDir);
    }

    [Fact]
    public void Dollar_math_becomes_elements_holding_the_tex_source()
    {
        var (site, _) = RenderMathSite();
        var html = File.ReadAllText(site.Pages[0].PagePath);

        Assert.Contains("Inline <span class=\"math-inline\">q \\cdot k</span> beside text", html);
        // $$…$$ in a paragraph is display math, each formula its own element.
        Assert.Contains(
            "<p><span class=\"math-display\">\\text{softmax}(x)_i = \\frac{e^{x_i}}{\\sum_j e^{x_j}}</span>\n<span class=\"math-display\">y = x W</span></p>",
            html);
        // A fenced $$ block: one display element, its source HTML-encoded.
        Assert.Contains("<div class=\"math-display\">a &lt; b \\quad \\&amp; \\quad c &gt; d\n</div>", html);
        // Math in a markdown output counts too.
        Assert.Contains("<div class=\"output markdown\"><p>Output with <span class=\"math-inline\">\\alpha</span>.</p>", html);
        // No MathJax delimiters: KaTeX gets the bare source.
        Assert.DoesNotContain("\\(", html);
        Assert.DoesNotContain("\\[", html);
        Assert.Equal(5, site.Pages[0].MathCount);
        Assert.Equal(5, Regex.Count(html, "class=\"math-(inline|display)\""));
    }

    [Fact]
    public void Dollars_in_code_and_prices_stay_text()
    {
        var (site, _) = RenderMathSite();
        var html = File.ReadAllText(site.Pages[0].PagePath);

        Assert.Contains("Code keeps its dollars: <code>$x$</code> and <code>$$y$$</code>.", html);
        Assert.Contains("<pre><code class=\"language-csharp\">var s = $&quot;{n}$$&quot;;\n</code></pre>", html);
        Assert.Contains("<span class=\"c\">// $not math$</span>", html); // a code cell is code, not markdown
        Assert.Contains("<p>Prices like $5 and $10 stay text.</p>", html);
        Assert.Contains("No formulas here, only $5.", File.ReadAllText(site.Pages[1].PagePath));
        Assert.Equal(0, site.Pages[1].MathCount);
    }

    [Fact]
    public void Only_pages_with_math_load_katex_from_the_site()
    {
        var (site, dir) = RenderMathSite();
        var withMath = File.ReadAllText(site.Pages[0].PagePath);
        var withoutMath = File.ReadAllText(site.Pages[1].PagePath);

        Assert.Contains("<link rel=\"stylesheet\" href=\"assets/katex/katex.min.css\">", withMath);
        Assert.Contains("<script src=\"assets/katex/katex.min.js\"></script>\n<script src=\"assets/math.js\"></script>", withMath);
        Assert.DoesNotContain("katex", withoutMath);
        Assert.DoesNotContain("math.js", withoutMath);
        Assert.DoesNotContain("katex", File.ReadAllText(site.IndexPath));

        var katex = Path.Combine(dir, "assets", "katex");
        foreach (var name in new[] { "katex.min.js", "katex.min.css" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(TestPaths.Course.KatexDist, name)), File.ReadAllBytes(Path.Combine(katex, name)));
        }

        var sourceFonts = Directory.EnumerateFiles(Path.Combine(TestPaths.Course.KatexDist, "fonts")).Select(Path.GetFileName).Order().ToList();
        Assert.Contains("KaTeX_Main-Regular.woff2", sourceFonts);
        Assert.Equal(sourceFonts, Directory.EnumerateFiles(Path.Combine(katex, "fonts")).Select(Path.GetFileName).Order());
        // Every font the stylesheet names is shipped beside it.
        var named = Regex.Matches(File.ReadAllText(Path.Combine(katex, "katex.min.css")), @"url\((fonts/[^)]+)\)").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(named);
        Assert.All(named, font => Assert.True(File.Exists(Path.Combine(katex, font)), font));
        Assert.Contains("katex.render", File.ReadAllText(Path.Combine(dir, "assets", "math.js")));
    }

    [Theory]
    [InlineData(false)] // an empty folder: npm ci never ran
    [InlineData(true)] // script and stylesheet but no fonts/
    public void Missing_katex_fails_clearly_and_says_to_run_npm_ci(bool withScripts)
    {
        var katex = TestPaths.NewTempDirectory("no-katex");
        if (withScripts)
        {
            File.WriteAllText(Path.Combine(katex, "katex.min.js"), "");
            File.WriteAllText(Path.Combine(katex, "katex.min.css"), "");
        }

        var dir = TestPaths.NewTempDirectory("math-missing");
        var notebook = Path.Combine(dir, "01-math.ipynb");
        Ipynb.Save(Notebook(MarkdownCell(MathMarkdown)), notebook);

        var error = Assert.Throws<SiteRenderException>(() => SiteRenderer.Render([notebook], Path.Combine(dir, "site"), TestPaths.Course.PlotlyJs, katex));
        Assert.Contains(katex, error.Message);
        Assert.Contains("npm ci", error.Message);
        Assert.Contains("lib/Charts/web", error.Message);
    }
}
