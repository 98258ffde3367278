using Course.Runner.Site;
using Microsoft.Playwright;

namespace Course.Runner.Tests.Support;

/// <summary>
/// The course site as the test run renders it (every course notebook and demo, executed once) and one headless
/// Debian chromium shared by the browser tests: parsing plotly.js costs seconds per page, starting a browser more.
/// </summary>
public sealed class RenderedCourse : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public SiteResult Site { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public static string SiteDirectory => Path.Combine(TestPaths.TestRun, "site");

    /// <summary>The page file names the site will have: index.html, then one per notebook (for xunit data).</summary>
    public static IEnumerable<object[]> PageNames() =>
        CourseNotebooks.All().Select(path => Path.GetFileNameWithoutExtension(path) + ".html").Prepend("index.html").Select(name => new object[] { name });

    public async Task InitializeAsync()
    {
        var executed = new List<string>();
        foreach (var notebook in CourseNotebooks.All())
        {
            var result = await CourseNotebooks.RunAsync(notebook);
            executed.Add(result.ExecutedPath!);
        }

        Site = SiteRenderer.Render(executed, SiteDirectory, TestPaths.Course.PlotlyJs, TestPaths.Course.KatexDist);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            // Debian's chromium: the tests never download a browser (no `playwright install`).
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A fresh page that refuses every request that is neither a file nor loopback and records what the page complains about.</summary>
    public async Task<WatchedPage> OpenAsync(string pageName)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var watched = new WatchedPage(page);
        await context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.IsFile || url.IsLoopback || url.Scheme is "data" or "blob" or "about")
            {
                await route.ContinueAsync();
            }
            else
            {
                watched.BlockedRequests.Add(route.Request.Url);
                await route.AbortAsync();
            }
        });

        var response = await page.GotoAsync(new Uri(Path.Combine(SiteDirectory, pageName)).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.True(response is null || response.Ok, $"{pageName} did not load");
        return watched;
    }
}

/// <summary>A page with the console errors, uncaught errors and blocked outside requests it produced.</summary>
public sealed class WatchedPage
{
    public WatchedPage(IPage page)
    {
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                ConsoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => ConsoleErrors.Add(error);
    }

    public IPage Page { get; }

    public List<string> ConsoleErrors { get; } = [];

    public List<string> BlockedRequests { get; } = [];

    /// <summary>Console errors other than the ones our own route abort causes (net::ERR_FAILED), which BlockedRequests reports.</summary>
    public IEnumerable<string> Errors => ConsoleErrors.Where(e => !(BlockedRequests.Count > 0 && e.Contains("net::ERR_FAILED", StringComparison.Ordinal)));

    public Task CloseAsync() => Page.Context.CloseAsync();
}

[CollectionDefinition(Name)]
public sealed class RenderedCourseCollection : ICollectionFixture<RenderedCourse>
{
    public const string Name = "rendered course in a browser";
}
