using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Course.Runner.Site;
using Course.Runner.Tests.Support;

namespace Course.Runner.Tests;

/// <summary>The site renderer on the executed fixture notebooks (the browser tests cover the drawn result).</summary>
public sealed class SiteRendererTests
{
    private static readonly Lazy<Task<string>> ExecutedFixtures = new(async () =>
    {
        var outDir = TestPaths.NewTempDirectory("site-fixtures");
        await NotebookRunner.RunAllAsync(NotebookRunner.FindNotebooks(Path.Combine(TestPaths.Fixtures, "course")), new NotebookRunOptions { ExecutedDirectory = outDir });
        return outDir;
    });

    private static async Task<(SiteResult Site, string Directory)> RenderFixturesAsync()
    {
        var executed = NotebookRunner.FindNotebooks(await ExecutedFixtures.Value);
        var siteDir = TestPaths.NewTempDirectory("site");
        return (SiteRenderer.Render(executed, siteDir, TestPaths.Course.PlotlyJs, TestPaths.Course.KatexDist), siteDir);
    }

    [Fact]
    public async Task Index_lists_every_lesson_by_its_first_heading_in_course_order()
    {
        var (site, dir) = await RenderFixturesAsync();

        Assert.Equal(["Passing fixture", "Failing fixture", "After the failure"], site.Pages.Select(p => p.Title));
        var index = File.ReadAllText(site.IndexPath);
        var links = Regex.Matches(index, "<a class=\"lesson-link\" href=\"([^\"]+)\">([^<]+)</a>").Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        Assert.Equal([("01-passing.html", "Passing fixture"), ("02-failing.html", "Failing fixture"), ("03-after-failure.html", "After the failure")], links);
        Assert.All(links, link => Assert.True(File.Exists(Path.Combine(dir, link.Item1)), link.Item1));
        Assert.Contains("1 error", index);
    }

    [Fact]
    public async Task Lesson_pages_link_to_previous_and_next()
    {
        var (site, _) = await RenderFixturesAsync();
        string Html(int i) => File.ReadAllText(site.Pages[i].PagePath);

        Assert.DoesNotContain("class=\"prev\" href", Html(0));
        Assert.Contains("<a class=\"next\" href=\"02-failing.html\">Failing fixture →</a>", Html(0));
        Assert.Contains("<a class=\"prev\" href=\"01-passing.html\">← Passing fixture</a>", Html(1));
        Assert.Contains("<a class=\"next\" href=\"03-after-failure.html\">", Html(1));
        Assert.DoesNotContain("class=\"next\" href", Html(2));
    }

    [Fact]
    public async Task Page_shows_markdown_highlighted_code_and_every_output_kind()
    {
        var (site, _) = await RenderFixturesAsync();
        var passing = File.ReadAllText(site.Pages[0].PagePath);
        var failing = File.ReadAllText(site.Pages[1].PagePath);

        Assert.Contains("<h1 id=\"passing-fixture\">Passing fixture</h1>", passing);
        Assert.Contains("<span class=\"k\">var</span> answer", passing);
        Assert.Contains("<pre class=\"output stdout\">hello from the fixture\nsecond line</pre>", passing);
        Assert.Contains("<div class=\"output html\"><div class=\"dni-plaintext\"><pre>42</pre>", passing);
        Assert.Contains("<pre class=\"output error\">System.FormatException: The input string &#39;not a number&#39;", failing);
        Assert.Equal(1, site.Pages[1].ErrorCount);
    }

    [Fact]
    public async Task Plotly_output_becomes_a_live_chart_only_and_pages_load_plotly_from_the_site()
    {
        var (site, dir) = await RenderFixturesAsync();
        var passing = File.ReadAllText(site.Pages[0].PagePath);

        Assert.Equal(1, site.Pages[0].ChartCount);
        Assert.Contains("<div class=\"plotly-chart\" data-figure=\"figure-1\"></div>", passing);
        var json = Regex.Match(passing, "<script type=\"application/json\" id=\"figure-1\">(.*?)</script>").Groups[1].Value;
        Assert.Equal("fixture chart", (string?)JsonNode.Parse(json)!["layout"]!["title"]!["text"]);
        // The output's text/html stand-in (which would load plotly from a CDN in a real notebook) is not rendered.
        Assert.DoesNotContain("<div>chart stand-in</div>", passing);

        Assert.Contains("<script src=\"assets/plotly.min.js\"></script>", passing);
        Assert.DoesNotContain("plotly.min.js", File.ReadAllText(site.Pages[2].PagePath)); // no chart, no 3.6 MB parse
        Assert.Equal(new FileInfo(TestPaths.Course.PlotlyJs).Length, new FileInfo(Path.Combine(dir, "assets", "plotly.min.js")).Length);
        foreach (var page in Directory.EnumerateFiles(dir, "*.html"))
        {
            Assert.DoesNotMatch("(src|href)=\"(https?:)?//", File.ReadAllText(page));
        }
    }

    [Fact]
    public void Html_output_that_would_load_from_another_host_is_shown_as_text_with_a_warning()
    {
        var dir = TestPaths.NewTempDirectory("external");
        var notebook = new JsonObject
        {
            ["cells"] = new JsonArray(new JsonObject
            {
                ["cell_type"] = "code",
                ["execution_count"] = 1,
                ["metadata"] = new JsonObject(),
                ["source"] = "Chart()",
                ["outputs"] = new JsonArray(new JsonObject
                {
                    ["output_type"] = "display_data",
                    ["metadata"] = new JsonObject(),
                    ["data"] = new JsonObject
                    {
                        ["text/html"] = "<script src=\"https://cdn.example.org/plotly.js\"></script><div>cdn chart</div>",
                        ["text/plain"] = "a chart that needs the network",
                    },
                }),
            }),
            ["metadata"] = new JsonObject(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var path = Path.Combine(dir, "01-external.ipynb");
        Ipynb.Save(notebook, path);

        var site = SiteRenderer.Render([path], Path.Combine(dir, "site"), TestPaths.Course.PlotlyJs, TestPaths.Course.KatexDist);

        var html = File.ReadAllText(site.Pages[0].PagePath);
        Assert.DoesNotContain("cdn.example.org", html);
        Assert.Contains("<pre class=\"output text\">a chart that needs the network</pre>", html);
        Assert.Equal("01-external.ipynb, cell 1: an HTML output refers to another host; it is shown as text instead.", Assert.Single(site.Warnings));
        Assert.Equal("01-external", site.Pages[0].Title); // no heading: the file name
    }

    [Fact]
    public async Task Missing_plotly_fails_clearly_and_says_to_run_npm_ci()
    {
        var executed = NotebookRunner.FindNotebooks(await ExecutedFixtures.Value);
        var missing = Path.Combine(TestPaths.NewTempDirectory("no-plotly"), "plotly.min.js");

        var error = Assert.Throws<SiteRenderException>(() => SiteRenderer.Render(executed, TestPaths.NewTempDirectory("site"), missing, TestPaths.Course.KatexDist));
        Assert.Contains(missing, error.Message);
        Assert.Contains("npm ci", error.Message);
        Assert.Contains("lib/Charts/web", error.Message);
    }
}
