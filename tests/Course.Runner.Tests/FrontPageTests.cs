using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Course.Runner.Site;
using Course.Runner.Tests.Support;

namespace Course.Runner.Tests;

/// <summary>
/// The front page (index.html) and each lesson's "On this page" box, rendered from the front-page fixtures:
/// 01 and 02 open with a title, outcomes and a time (in two wordings), 03 is missing, 04 has a title only.
/// </summary>
public sealed class FrontPageTests
{
    private static readonly string FixtureFolder = Path.Combine(TestPaths.Fixtures, "front-page");

    private static SiteResult Render(IReadOnlyList<string> notebooks, string? introduction = null) =>
        SiteRenderer.Render(notebooks, TestPaths.NewTempDirectory("front-page"), TestPaths.Course.PlotlyJs, TestPaths.Course.KatexDist, introduction: introduction);

    private static IReadOnlyList<string> Fixtures(params string[] names) =>
        names.Length == 0 ? NotebookRunner.FindNotebooks(FixtureFolder) : names.Select(n => Path.Combine(FixtureFolder, n)).ToList();

    /// <summary>A notebook made of (cell type, source) pairs.</summary>
    private static JsonObject Notebook(params (string Type, string Source)[] cells) => new()
    {
        ["cells"] = new JsonArray(cells.Select(c => (JsonNode)new JsonObject
        {
            ["cell_type"] = c.Type,
            ["metadata"] = new JsonObject(),
            ["source"] = c.Source,
        }).ToArray()),
        ["metadata"] = new JsonObject(),
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    };

    [Fact]
    public void Index_shows_every_lesson_in_order_with_its_number_title_outcomes_and_time()
    {
        var site = Render(Fixtures());
        var index = File.ReadAllText(site.IndexPath);

        // Each lesson's head: its number (from the file name) and its title without the "01 · " prefix, linked.
        var heads = Regex.Matches(index, "<span class=\"number\">(\\d+)</span><a class=\"lesson-link\" href=\"([^\"]+)\">([^<]+)</a>")
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value)).ToList();
        Assert.Equal([("01", "01-first.html", "First lesson: dot products"), ("02", "02-second.html", "Second lesson"), ("04", "04-fourth.html", "Numbered wrongly")], heads);

        // Lesson 01: every bullet, inline markup kept, the link to a notebook turned into its page, the formula for KaTeX.
        Assert.Contains("""
            <p class="time">Time: about 20 minutes.</p>
            <p class="outcomes-lead">You will be able to:</p>
            <ul class="outcomes">
            <li>Compute a dot product with <code>Dot(a, b)</code>.</li>
            <li>Say <em>why</em> a longer vector gets a bigger score, on a line long enough
            to wrap onto a second line.</li>
            <li>Read the score matrix of <a href="02-second.html">the second lesson</a>.</li>
            <li>Scale the scores by <span class="math-inline">1/\sqrt{d_k}</span>.</li>
            </ul>
            """.ReplaceLineEndings("\n"), index);
        Assert.Equal(1, site.IndexMathCount);
        Assert.Contains("<script src=\"assets/katex/katex.min.js\"></script>", index);

        // Lesson 02: the other wording ("What you will be able to do:" and a plain "Time:" line).
        Assert.Contains("""
            <p class="time">Time: about 45 minutes (25 reading, 20 for the exercises).</p>
            <p class="outcomes-lead">You will be able to:</p>
            <ul class="outcomes">
            <li>Name the three projections.</li>
            <li>Give the shape of every matrix.</li>
            </ul>
            """.ReplaceLineEndings("\n"), index);

        // Lesson 04: the title alone (its "Time" paragraph comes after the first code cell, outside the opening).
        var fourth = index[index.IndexOf("href=\"04-fourth.html\"", StringComparison.Ordinal)..];
        Assert.DoesNotContain("class=\"time\"", fourth);
        Assert.DoesNotContain("class=\"outcomes\"", fourth);
        Assert.Equal(["Compute a dot product with <code>Dot(a, b)</code>.", "Say <em>why</em> a longer vector gets a bigger score, on a line long enough\nto wrap onto a second line.",
                      "Read the score matrix of <a href=\"02-second.ipynb\">the second lesson</a>.", "Scale the scores by <span class=\"math-inline\">1/\\sqrt{d_k}</span>."],
            site.Pages[0].Summary.Outcomes);
        Assert.Equal(new LessonSummary("04", "Numbered wrongly", site.Pages[2].Summary.Outcomes, null, 0), site.Pages[2].Summary);
        Assert.Empty(site.Pages[2].Summary.Outcomes);
        Assert.Contains("04-fourth.ipynb: its title says lesson 05, its file name 04; the site numbers it 04.", site.Warnings);

        // The introduction: what the course is, who it is for, how to run it in VS Code.
        Assert.Contains("<strong>Who it is for.</strong>", index);
        Assert.Contains("<strong>Running it in VS Code.</strong>", index);
        Assert.Contains("<code>./course.sh setup</code>", index);
        Assert.True(index.IndexOf("class=\"introduction\"", StringComparison.Ordinal) < index.IndexOf("class=\"lessons\"", StringComparison.Ordinal));
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", index);
    }

    [Fact]
    public void A_gap_in_the_lesson_numbers_gets_a_note_where_the_missing_lessons_would_be_and_a_warning()
    {
        var site = Render(Fixtures());
        var index = File.ReadAllText(site.IndexPath);

        const string note = "<li class=\"gap\"><span class=\"number\">03</span>Lesson 03 is not on this site: no notebook with that number was rendered.</li>";
        Assert.Contains(note, index);
        int at = index.IndexOf(note, StringComparison.Ordinal);
        Assert.True(index.IndexOf("href=\"02-second.html\"", StringComparison.Ordinal) < at && at < index.IndexOf("href=\"04-fourth.html\"", StringComparison.Ordinal));
        Assert.Equal(1, Regex.Count(index, "class=\"gap\""));
        Assert.Contains("Lesson 03 is missing from the site: no notebook file name starts with that number.", site.Warnings);

        // Several missing numbers in a row make one note; missing first lessons count too.
        var fourthOnly = File.ReadAllText(Render(Fixtures("04-fourth.ipynb")).IndexPath);
        Assert.Contains("<li class=\"gap\"><span class=\"number\">01</span>Lessons 01–03 are not on this site: no notebook with those numbers was rendered.</li>", fourthOnly);
        Assert.Equal(1, Regex.Count(fourthOnly, "class=\"gap\""));

        // No gap, no note (and notebooks without a number are listed without one).
        var complete = Render(Fixtures("01-first.ipynb", "02-second.ipynb"));
        Assert.DoesNotContain("class=\"gap\"", File.ReadAllText(complete.IndexPath));
        Assert.DoesNotContain(complete.Warnings, w => w.Contains("missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Introduction_can_be_given_instead_of_the_course_one()
    {
        var index = File.ReadAllText(Render(Fixtures("01-first.ipynb"), introduction: "A *workshop* edition: see [lesson 1](01-first.ipynb#part-one).").IndexPath);

        Assert.Contains("<div class=\"introduction\">\n<p>A <em>workshop</em> edition: see <a href=\"01-first.html#part-one\">lesson 1</a>.</p>\n</div>", index);
        Assert.DoesNotContain("Running it in VS Code", index);
    }

    [Fact]
    public void Lesson_page_opens_with_an_on_this_page_box_linking_its_level_2_headings()
    {
        var site = Render(Fixtures());
        var first = File.ReadAllText(site.Pages[0].PagePath);

        // The repeated "Part one" (another cell, so Markdig gave it the same id) gets an id of its own.
        Assert.Equal([new PageSection("part-one", "Part one"), new PageSection("part-two-dot-and-friends", "Part two: Dot and friends"), new PageSection("part-one-1", "Part one")],
            site.Pages[0].Sections);
        Assert.Contains("""
            <nav class="on-this-page" aria-label="On this page">
            <p class="on-this-page-title">On this page</p>
            <ol>
            <li><a href="#part-one">Part one</a></li>
            <li><a href="#part-two-dot-and-friends">Part two: Dot and friends</a></li>
            <li><a href="#part-one-1">Part one</a></li>
            </ol>
            </nav>
            """.ReplaceLineEndings("\n"), first);
        foreach (var section in site.Pages[0].Sections)
        {
            Assert.Equal(1, Regex.Count(first, $"id=\"{section.Id}\""));
            Assert.Contains($"<h2 id=\"{section.Id}\">", first);
        }

        // Every id on the page is unique (cells, headings of every level).
        var ids = Regex.Matches(first, "\\bid=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());

        // The box comes right after the cell with the title, before the lesson's first code cell.
        int box = first.IndexOf("<nav class=\"on-this-page\"", StringComparison.Ordinal);
        Assert.True(first.IndexOf("<h1 ", StringComparison.Ordinal) < box && box < first.IndexOf("id=\"cell-2\"", StringComparison.Ordinal));

        // One level-2 heading: no box.
        Assert.Equal([new PageSection("the-only-section", "The only section")], site.Pages[1].Sections);
        Assert.DoesNotContain("on-this-page", File.ReadAllText(site.Pages[1].PagePath));
    }

    [Fact]
    public void Summary_reads_other_wordings_and_falls_back_to_the_title_alone()
    {
        var warnings = new List<string>();

        // A heading as the lead-in, a time with capitals that do not start a sentence, a list item over two paragraphs.
        var headed = LessonSummary.Read(Notebook(
            ("markdown", "# 7. Heads\n\n### What you will learn\n\n* Split heads.\n\n* Merge heads.\n\n  Then project.\n\nTime: about 30 minutes in VS Code. Then a break."),
            ("code", "var x = 1;")), "07-heads.ipynb", warnings);
        Assert.Equal(new LessonSummary("07", "Heads", headed.Outcomes, "about 30 minutes in VS Code.", 0), headed);
        Assert.Equal(["<p>Split heads.</p>", "<p>Merge heads.</p>\n<p>Then project.</p>"], headed.Outcomes);

        // The opening spread over two markdown cells.
        var split = LessonSummary.Read(Notebook(
            ("markdown", "# 3 - Split\n\n**What you will be able to do**"),
            ("markdown", "- One thing.\n\n**Time:** 5 minutes")), "03-split.ipynb", warnings);
        Assert.Equal(("03", "Split", "5 minutes"), (split.Number, split.Title, split.Time));
        Assert.Equal(["One thing."], split.Outcomes);

        // A lead-in not followed by a list, a title without a number, a file name without one.
        var plain = LessonSummary.Read(Notebook(
            ("markdown", "# Appendix: 3-way attention\n\nWhat you will be able to do is up to you.\n\nNo time given.")), "appendix.ipynb", warnings);
        Assert.Equal(new LessonSummary(null, "Appendix: 3-way attention", plain.Outcomes, null, 0), plain);
        Assert.Empty(plain.Outcomes);

        // A notebook that opens with code: the title from its first heading anywhere, else its file name.
        var codeFirst = LessonSummary.Read(Notebook(("code", "var x = 1;"), ("markdown", "## 08 · Late title\n\n- not outcomes")), "08-late.ipynb", warnings);
        Assert.Equal(new LessonSummary("08", "Late title", codeFirst.Outcomes, null, 0), codeFirst);
        Assert.Empty(codeFirst.Outcomes);
        Assert.Equal("09-untitled", LessonSummary.Read(Notebook(("code", "var x = 1;")), "09-untitled.ipynb", warnings).Title);

        Assert.Empty(warnings);
    }

    [Fact]
    public void Every_course_notebook_opens_with_its_number_outcomes_and_time()
    {
        var notebooks = Directory.Exists(TestPaths.Course.Notebooks) ? NotebookRunner.FindNotebooks(TestPaths.Course.Notebooks) : [];
        Assert.NotEmpty(notebooks);
        var warnings = new List<string>();
        foreach (var path in notebooks)
        {
            var name = Path.GetFileName(path);
            var summary = LessonSummary.Read(Ipynb.Load(path), name, warnings);
            Assert.True(summary.Number is not null && name.StartsWith(summary.Number + "-", StringComparison.Ordinal), $"{name}: no lesson number");
            Assert.True(summary.Outcomes.Count >= 3, $"{name}: {summary.Outcomes.Count} outcomes on the front page (its opening needs a \"What you will be able to do\" list)");
            Assert.True(summary.Time?.StartsWith("about ", StringComparison.Ordinal) == true, $"{name}: time '{summary.Time}' (its opening needs a \"Time: about N minutes\" line)");
            Assert.DoesNotContain(" · ", summary.Title);
        }

        Assert.Empty(warnings); // title numbers agree with file names
    }
}
