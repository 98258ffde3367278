using Course.Runner.Tests.Support;
using Microsoft.Playwright;

namespace Course.Runner.Tests;

/// <summary>Every page of the rendered course in headless chromium: charts drawn, formulas typeset, no errors, nothing fetched from outside, links resolve, sliders work.</summary>
[Collection(RenderedCourseCollection.Name)]
public sealed class SiteInBrowserTests(RenderedCourse course)
{
    private const string EveryChartDrawn =
        "() => [...document.querySelectorAll('.plotly-chart')].every(d => d.classList.contains('js-plotly-plot') && d.querySelector('.main-svg'))";

    // The source of every formula element KaTeX did not typeset, or typeset as an error (throwOnError false shows it in red).
    private const string FormulasNotTypeset =
        "() => [...document.querySelectorAll('.math-inline, .math-display')]" +
        ".filter(e => !e.querySelector('.katex') || e.querySelector('.katex-error'))" +
        ".map(e => (e.querySelector('.katex-error')?.title ?? 'not typeset') + ': ' + e.textContent)";

    // Text of the lesson's prose (markdown cells and outputs, outside code and typeset math) that still looks like TeX:
    // $$…$$, $…$ (not a price: no space inside the dollars), or MathJax's \( \[ delimiters.
    private const string RawTexInProse = """
        () => {
          const texLike = /\$\$|\$[^\s$](?:[^$]*[^\s$])?\$|\\\(|\\\[/;
          const found = [];
          for (const prose of document.querySelectorAll('section.cell.markdown, .output.markdown')) {
            const walker = document.createTreeWalker(prose, NodeFilter.SHOW_TEXT, {
              acceptNode: n => n.parentElement.closest('code, pre, .katex') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
            });
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              if (texLike.test(node.textContent)) found.push(node.textContent.trim());
            }
          }
          return found;
        }
        """;

    // After the fonts settle: how many KaTeX fonts loaded, and the ones that failed to.
    private const string KatexFonts = """
        async () => {
          await document.fonts.ready;
          const katexFonts = [...document.fonts].filter(f => f.family.replace(/["']/g, '').startsWith('KaTeX'));
          return [String(katexFonts.filter(f => f.status === 'loaded').length),
                  ...katexFonts.filter(f => f.status === 'error').map(f => f.family + ' ' + f.style + ' ' + f.weight)];
        }
        """;

    [Theory]
    [MemberData(nameof(RenderedCourse.PageNames), MemberType = typeof(RenderedCourse))]
    public async Task Page_draws_every_chart_and_formula_with_no_error_and_no_outside_request(string pageName)
    {
        var watched = await course.OpenAsync(pageName);
        var page = watched.Page;
        try
        {
            int expectedCharts = course.Site.Pages.SingleOrDefault(p => p.FileName == pageName)?.ChartCount ?? 0;
            Assert.Equal(expectedCharts, await page.Locator(".plotly-chart").CountAsync());
            await page.WaitForFunctionAsync(EveryChartDrawn, null, new PageWaitForFunctionOptions { Timeout = 90_000 });
            var drawn = await page.EvaluateAsync<int>("() => [...document.querySelectorAll('.plotly-chart')].filter(d => d.querySelector('.main-svg')).length");
            Assert.Equal(expectedCharts, drawn);
            Assert.Equal(0, await page.Locator(".chart-error").CountAsync());

            // Formulas: KaTeX (the site's copy, loaded only where there is math) typeset every one, with its own fonts.
            int expectedFormulas = course.Site.Pages.SingleOrDefault(p => p.FileName == pageName)?.MathCount ?? 0;
            Assert.Equal(expectedFormulas, await page.Locator(".math-inline, .math-display").CountAsync());
            Assert.Equal(expectedFormulas > 0, await page.EvaluateAsync<bool>("() => typeof katex !== 'undefined'"));
            var notTypeset = await page.EvaluateAsync<string[]>(FormulasNotTypeset);
            Assert.True(notTypeset.Length == 0, $"{pageName}: formulas not typeset: {string.Join(" | ", notTypeset)}");
            var rawTex = await page.EvaluateAsync<string[]>(RawTexInProse);
            Assert.True(rawTex.Length == 0, $"{pageName}: TeX left as text: {string.Join(" | ", rawTex)}");
            if (expectedFormulas > 0)
            {
                var fonts = await page.EvaluateAsync<string[]>(KatexFonts);
                Assert.True(int.Parse(fonts[0], System.Globalization.CultureInfo.InvariantCulture) > 0, $"{pageName}: no KaTeX font loaded");
                Assert.True(fonts.Length == 1, $"{pageName}: KaTeX fonts failed to load: {string.Join(", ", fonts.Skip(1))}");
            }

            // Prev / next / contents links point at pages of the site.
            foreach (var href in await page.Locator("nav.pager a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"))
            {
                Assert.True(File.Exists(Path.Combine(RenderedCourse.SiteDirectory, href)), $"{pageName} links to missing {href}");
            }

            Directory.CreateDirectory(TestPaths.Screenshots);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestPaths.Screenshots, Path.ChangeExtension(pageName, ".png")), FullPage = true });

            Assert.True(watched.BlockedRequests.Count == 0, $"{pageName} tried to fetch from outside: {string.Join(", ", watched.BlockedRequests)}");
            Assert.True(!watched.Errors.Any(), $"{pageName} logged errors: {string.Join(" | ", watched.Errors)}");
        }
        finally
        {
            await watched.CloseAsync();
        }
    }

    [Fact]
    public void The_course_has_formulas_for_KaTeX()
    {
        // Guards the per-page formula checks against passing vacuously (e.g. if math stopped being recognised).
        Assert.Contains(course.Site.Pages, p => p.MathCount > 0);
        var transformer = course.Site.Pages.SingleOrDefault(p => p.FileName == "12-attention-in-a-transformer.html");
        Assert.True(transformer is null || transformer.MathCount >= 3, $"lesson 12 has {transformer?.MathCount} formulas; its markdown has at least 3");
    }

    [Fact]
    public async Task Every_table_of_contents_link_opens_its_lesson()
    {
        var watched = await course.OpenAsync("index.html");
        try
        {
            var links = watched.Page.Locator(".toc a");
            var hrefs = await links.EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
            var titles = await links.AllTextContentsAsync();
            Assert.Equal(course.Site.Pages.Select(p => p.FileName), hrefs);
            Assert.Equal(course.Site.Pages.Select(p => p.Title), titles);

            for (int i = 0; i < hrefs.Length; i++)
            {
                await watched.Page.GotoAsync(new Uri(Path.Combine(RenderedCourse.SiteDirectory, "index.html")).AbsoluteUri);
                await watched.Page.Locator(".toc a").Nth(i).ClickAsync();
                await watched.Page.WaitForURLAsync("**/" + hrefs[i]);
                Assert.StartsWith($"{titles[i]} · ", await watched.Page.TitleAsync());
            }

            Assert.True(!watched.Errors.Any(), string.Join(" | ", watched.Errors));
        }
        finally
        {
            await watched.CloseAsync();
        }
    }

    [Fact]
    public async Task Clicking_a_slider_step_changes_the_plot()
    {
        var pageWithSlider = course.Site.Pages.FirstOrDefault(p => File.ReadAllText(p.PagePath).Contains("\"sliders\":", StringComparison.Ordinal));
        Assert.True(pageWithSlider is not null, "no page of the rendered course has a chart with a slider (the heatmap demo should)");
        var watched = await course.OpenAsync(pageWithSlider.FileName);
        try
        {
            var page = watched.Page;
            await page.WaitForFunctionAsync(EveryChartDrawn, null, new PageWaitForFunctionOptions { Timeout = 90_000 });
            var chart = page.Locator(".plotly-chart:has(.slider-container)").First;
            const string plotted = "gd => JSON.stringify(gd.data.map(t => [t.z, t.y, t.x, t.visible]))";
            var before = await chart.EvaluateAsync<string>(plotted);
            var currentBefore = await chart.Locator(".slider-group > text.slider-label").TextContentAsync();

            var steps = chart.Locator(".slider-label-group");
            Assert.True(await steps.CountAsync() >= 2, "the slider has fewer than two steps");
            // A touch rectangle lies over the steps: force the click through it, as a user's click lands on it.
            await steps.Last.ClickAsync(new LocatorClickOptions { Force = true });

            await page.WaitForFunctionAsync(
                "([gd, before]) => JSON.stringify(gd.data.map(t => [t.z, t.y, t.x, t.visible])) !== before",
                new object[] { await chart.ElementHandleAsync(), before },
                new PageWaitForFunctionOptions { Timeout = 15_000 });
            // The slider's current-value label (the group's own text, not a step label) follows the click.
            var stepLabel = await steps.Last.TextContentAsync();
            Assert.NotEqual(currentBefore, await chart.Locator(".slider-group > text.slider-label").TextContentAsync());
            Assert.EndsWith(stepLabel!, await chart.Locator(".slider-group > text.slider-label").TextContentAsync());
            Assert.True(!watched.Errors.Any(), string.Join(" | ", watched.Errors));
        }
        finally
        {
            await watched.CloseAsync();
        }
    }
}
