using Course.Runner.Tests.Support;
using Microsoft.Playwright;

namespace Course.Runner.Tests;

/// <summary>Every page of the rendered course in headless chromium: charts drawn, formulas typeset, no errors, nothing fetched from outside, links (pager, front page, "On this page") resolve, sliders work.</summary>
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

    // Where each "On this page" link leads: the id, and the tag and cell kind of the element with that id ("" when none).
    private const string OnThisPageTargets = """
        () => [...document.querySelectorAll('nav.on-this-page a')].map(a => {
          const id = decodeURIComponent(a.getAttribute('href').replace(/^#/, ''));
          const target = document.getElementById(id);
          return id + ' -> ' + (target ? target.tagName + (target.closest('section.cell.markdown') ? ' in a markdown cell' : ' elsewhere') : 'nothing');
        })
        """;

    // Ids that more than one element of the page has.
    private const string DuplicateIds = """
        () => { const seen = new Set(), twice = new Set();
                for (const e of document.querySelectorAll('[id]')) { (seen.has(e.id) ? twice : seen).add(e.id); }
                return [...twice]; }
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
            int expectedFormulas = pageName == "index.html" ? course.Site.IndexMathCount : course.Site.Pages.Single(p => p.FileName == pageName).MathCount;
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

            // "On this page" lists the lesson's level-2 headings (when it has two or more), each link landing on its heading.
            var sections = course.Site.Pages.SingleOrDefault(p => p.FileName == pageName)?.Sections ?? [];
            var expectedTargets = sections.Count >= 2 ? sections.Select(s => $"{s.Id} -> H2 in a markdown cell").ToArray() : [];
            Assert.Equal(expectedTargets, await page.EvaluateAsync<string[]>(OnThisPageTargets));
            Assert.Equal(expectedTargets.Length > 0 ? 1 : 0, await page.Locator("nav.on-this-page").CountAsync());
            var duplicateIds = await page.EvaluateAsync<string[]>(DuplicateIds);
            Assert.True(duplicateIds.Length == 0, $"{pageName}: ids used twice: {string.Join(", ", duplicateIds)}");

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
    public async Task Every_lesson_link_of_the_front_page_opens_its_lesson()
    {
        var watched = await course.OpenAsync("index.html");
        try
        {
            var links = watched.Page.Locator("ol.lessons a.lesson-link");
            var hrefs = await links.EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
            Assert.Equal(course.Site.Pages.Select(p => p.FileName), hrefs);
            Assert.Equal(course.Site.Pages.Select(p => p.Summary.Title), await links.AllTextContentsAsync());

            // Every lesson's outcomes are on the page, under its own entry (the course's lessons all have some).
            var outcomesPerLesson = await watched.Page.Locator("ol.lessons > li.lesson")
                .EvaluateAllAsync<int[]>("items => items.map(li => li.querySelectorAll('ul.outcomes > li').length)");
            Assert.Equal(course.Site.Pages.Select(p => p.Summary.Outcomes.Count), outcomesPerLesson);
            Assert.Contains(course.Site.Pages, p => p.Summary.Outcomes.Count > 0);

            for (int i = 0; i < hrefs.Length; i++)
            {
                await watched.Page.GotoAsync(new Uri(Path.Combine(RenderedCourse.SiteDirectory, "index.html")).AbsoluteUri);
                await watched.Page.Locator("ol.lessons a.lesson-link").Nth(i).ClickAsync();
                await watched.Page.WaitForURLAsync("**/" + hrefs[i]);
                Assert.StartsWith($"{course.Site.Pages[i].Title} · ", await watched.Page.TitleAsync());
            }

            Assert.True(!watched.Errors.Any(), string.Join(" | ", watched.Errors));
        }
        finally
        {
            await watched.CloseAsync();
        }
    }

    [Fact]
    public async Task Clicking_an_on_this_page_link_scrolls_its_heading_into_view()
    {
        var lesson = course.Site.Pages.FirstOrDefault(p => p.Sections.Count >= 2);
        Assert.True(lesson is not null, "no page of the rendered course has two level-2 headings");
        var watched = await course.OpenAsync(lesson.FileName);
        try
        {
            const string inView = "id => { const r = document.getElementById(id).getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight; }";
            var last = lesson.Sections[^1];
            Assert.False(await watched.Page.EvaluateAsync<bool>(inView, last.Id), $"{lesson.FileName}: '{last.Title}' is already in view; the click would prove nothing");

            await watched.Page.Locator("nav.on-this-page a").Last.ClickAsync();
            await watched.Page.WaitForURLAsync("**/" + lesson.FileName + "#" + Uri.EscapeDataString(last.Id));
            await watched.Page.WaitForFunctionAsync(inView, last.Id, new PageWaitForFunctionOptions { Timeout = 10_000 });
            Assert.Equal(last.Title, await watched.Page.EvaluateAsync<string>("id => document.getElementById(id).textContent", last.Id));
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
