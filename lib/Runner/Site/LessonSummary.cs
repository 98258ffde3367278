using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig.Syntax;

namespace Course.Runner.Site;

/// <summary>What the front page says about one lesson, read from the opening of its notebook.</summary>
/// <param name="Number">The lesson number as its file name writes it ("05" for 05-attention.ipynb), or null when the name does not start with one.</param>
/// <param name="Title">The notebook's title heading without its "05 · " prefix, or the file name when there is no heading.</param>
/// <param name="Outcomes">The HTML of each bullet of the "What you will be able to do" list; empty when there is none.</param>
/// <param name="Time">The first sentence after "Time:" ("about 35 minutes."), or null when there is no such line.</param>
/// <param name="MathCount">How many formulas the outcomes hold (the front page loads KaTeX only when there are some).</param>
public sealed record LessonSummary(string? Number, string Title, IReadOnlyList<string> Outcomes, string? Time, int MathCount)
{
    // "05-attention.ipynb" -> "05".
    private static readonly Regex FileNumber = new(@"^(\d{1,4})(?=[-_. ])", RegexOptions.Compiled);

    // "05 · Scaled dot-product attention" -> "05", "Scaled dot-product attention" (also "05. …", "05: …", "05 - …").
    private static readonly Regex NumberedTitle = new(@"^(\d{1,4})(?:\s*[·.:|]|\s+[-–—])\s+(.+)$", RegexOptions.Compiled);

    // "Time: about 40 minutes. The timing cells …" -> "about 40 minutes." (the plain text, emphasis already dropped).
    private static readonly Regex TimeLine = new(@"^time\s*:\s*(.+?(?:[.!?](?=\s+\p{Lu})|$))", RegexOptions.Compiled | RegexOptions.IgnoreCase | RegexOptions.Singleline);

    private static readonly Regex Whitespace = new(@"\s+", RegexOptions.Compiled);

    /// <summary>The lesson number as an integer, or null.</summary>
    public int? NumberValue => Number is null ? null : ToInt(Number);

    /// <summary>
    /// Reads the summary of a notebook from its opening: the markdown cells before the first code cell. The title is
    /// the opening's first heading (else the notebook's first heading, else <paramref name="fileName"/> without
    /// extension); the outcomes are the list right after a paragraph or heading that starts with "What you will"; the
    /// time is a paragraph that starts with "Time:". Missing parts are left empty, never guessed.
    /// </summary>
    /// <param name="notebook">The notebook's JSON.</param>
    /// <param name="fileName">Its file name, for the lesson number.</param>
    /// <param name="warnings">Gets a line when the title's number differs from the file name's.</param>
    public static LessonSummary Read(JsonObject notebook, string fileName, ICollection<string> warnings)
    {
        var opening = Ipynb.Cells(notebook)
            .TakeWhile(cell => Ipynb.CellType(cell) != "code")
            .Where(cell => Ipynb.CellType(cell) == "markdown")
            .SelectMany(cell => MarkdownText.Parse(Ipynb.Source(cell)))
            .ToList();

        var number = FileNumber.Match(fileName) is { Success: true } m ? m.Groups[1].Value : null;
        var heading = opening.OfType<HeadingBlock>().Select(MarkdownText.PlainText).FirstOrDefault(text => text.Length > 0)
                      ?? Ipynb.Title(notebook)
                      ?? Path.GetFileNameWithoutExtension(fileName);
        var title = heading;
        if (NumberedTitle.Match(heading) is { Success: true } numbered)
        {
            title = numbered.Groups[2].Value.Trim();
            if (number is not null && ToInt(numbered.Groups[1].Value) != ToInt(number))
            {
                warnings.Add($"{fileName}: its title says lesson {numbered.Groups[1].Value}, its file name {number}; the site numbers it {number}.");
            }
        }

        var outcomes = new List<string>();
        int mathCount = 0;
        int lead = opening.FindIndex(block => block is ParagraphBlock or HeadingBlock
                                              && MarkdownText.PlainText(block).StartsWith("What you will", StringComparison.OrdinalIgnoreCase));
        if (lead >= 0 && lead + 1 < opening.Count && opening[lead + 1] is ListBlock list)
        {
            outcomes.AddRange(list.OfType<ListItemBlock>().Select(item => MarkdownText.ChildrenToHtml(item, implicitParagraphs: !list.IsLoose)));
            mathCount = MarkdownText.MathCount(list);
        }

        var time = opening.OfType<ParagraphBlock>()
            .Select(paragraph => TimeLine.Match(MarkdownText.PlainText(paragraph)))
            .FirstOrDefault(match => match.Success) is { } timeLine
            ? Whitespace.Replace(timeLine.Groups[1].Value, " ").Trim()
            : null;

        return new LessonSummary(number, title, outcomes, time, mathCount);
    }

    // At most four digits (the patterns above), so always an int.
    private static int ToInt(string digits) => int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
}
