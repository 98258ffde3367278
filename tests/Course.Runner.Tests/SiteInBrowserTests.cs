using Course.Runner.Tests.Support;
using Microsoft.Playwright;

namespace Course.Runner.Tests;

/// <summary>Every page of the rendered course in headless chromium: charts drawn, no errors, nothing fetched from outside, links resolve, sliders work.</summary>
[Collection(RenderedCourseCollection.Name)]
public sealed class SiteInBrowserTests(RenderedCourse course)
{
    private const string EveryChartDrawn =
        "() => [...document.querySelectorAll('.plotly-chart')].every(d => d.classList.contains('js-plotly-plot') && d.querySelector('.main-svg'))";

    [Theory]
    [MemberData(nameof(RenderedCourse.PageNames), MemberType = typeof(RenderedCourse))]
    public async Task Page_draws_every_chart_with_no_error_and_no_outside_request(string pageName)
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
