using System.Net;
using System.Reflection;
using System.Text;

namespace Course.Runner.Site;

/// <summary>
/// The body of the site's index.html: the course title, an introduction (what the course is, who it is for, how to
/// run it in VS Code), then one entry per lesson in course order with its number, title, outcomes and time, and a
/// note wherever the lesson numbers skip.
/// </summary>
internal static class FrontPage
{
    /// <summary>The introduction shipped with the runner (Site/FrontPage.md), as markdown.</summary>
    public static string DefaultIntroduction()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Course.Runner.Site.FrontPage.md")
                           ?? throw new InvalidOperationException("The front page's introduction (Site/FrontPage.md) is missing from Course.Runner.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The index's body HTML and how many formulas it holds (introduction and outcomes).</summary>
    /// <param name="courseTitle">The page's heading.</param>
    /// <param name="introduction">Markdown shown under the heading.</param>
    /// <param name="pages">The lesson pages in course order, each with its summary.</param>
    /// <param name="notebookToPage">Notebook file name → page file name, for links in the introduction and outcomes.</param>
    /// <param name="warnings">Gets a line per gap in the numbering.</param>
    public static (string Html, int MathCount) Render(
        string courseTitle, string introduction, IReadOnlyList<SitePage> pages, IReadOnlyDictionary<string, string> notebookToPage, ICollection<string> warnings)
    {
        var intro = MarkdownText.Parse(introduction);
        int mathCount = MarkdownText.MathCount(intro) + pages.Sum(p => p.Summary.MathCount);

        var html = new StringBuilder();
        html.Append("<article class=\"front-page\">\n<h1>").Append(Encode(courseTitle)).Append("</h1>\n")
            .Append("<div class=\"introduction\">\n")
            .Append(MarkdownText.LinkNotebooksToPages(Markdig.Markdown.ToHtml(intro, MarkdownText.Pipeline), notebookToPage))
            .Append("</div>\n<h2 id=\"lessons\">Lessons</h2>\n<ol class=\"lessons\">\n");

        int nextNumber = 1;
        foreach (var page in pages)
        {
            var summary = page.Summary;
            if (summary.NumberValue is { } number)
            {
                if (number > nextNumber)
                {
                    html.Append(GapNote(nextNumber, number - 1, summary.Number!.Length, warnings));
                }

                nextNumber = Math.Max(nextNumber, number + 1);
            }

            html.Append(Entry(page, notebookToPage));
        }

        html.Append("</ol>\n</article>\n");
        return (html.ToString(), mathCount);
    }

    private static string Entry(SitePage page, IReadOnlyDictionary<string, string> notebookToPage)
    {
        var summary = page.Summary;
        var entry = new StringBuilder("<li class=\"lesson\">\n<div class=\"lesson-head\">");
        entry.Append(summary.Number is { } number ? $"<span class=\"number\">{Encode(number)}</span>" : "<span class=\"number none\"></span>");
        entry.Append("<a class=\"lesson-link\" href=\"").Append(Encode(page.FileName)).Append("\">").Append(Encode(summary.Title)).Append("</a>");
        if (page.ErrorCount > 0)
        {
            entry.Append(" <span class=\"badge error\">").Append(page.ErrorCount).Append(page.ErrorCount == 1 ? " error" : " errors").Append("</span>");
        }

        entry.Append("</div>\n");
        if (summary.Time is { } time)
        {
            entry.Append("<p class=\"time\">Time: ").Append(Encode(time)).Append("</p>\n");
        }

        if (summary.Outcomes.Count > 0)
        {
            entry.Append("<p class=\"outcomes-lead\">You will be able to:</p>\n<ul class=\"outcomes\">\n");
            foreach (var outcome in summary.Outcomes)
            {
                entry.Append("<li>").Append(MarkdownText.LinkNotebooksToPages(outcome, notebookToPage)).Append("</li>\n");
            }

            entry.Append("</ul>\n");
        }

        return entry.Append("</li>\n").ToString();
    }

    /// <summary>A list entry saying that lessons <paramref name="first"/>..<paramref name="last"/> are not on the site.</summary>
    private static string GapNote(int first, int last, int digits, ICollection<string> warnings)
    {
        string Label(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(digits, '0');
        var which = first == last ? $"Lesson {Label(first)} is" : $"Lessons {Label(first)}–{Label(last)} are";
        warnings.Add($"{which} missing from the site: no notebook file name starts with {(first == last ? "that number" : "those numbers")}.");
        return $"<li class=\"gap\"><span class=\"number\">{Label(first)}</span>{which} not on this site: no notebook with {(first == last ? "that number" : "those numbers")} was rendered.</li>\n";
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
