using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Course.Runner.Site;

/// <summary>The site's one markdown pipeline and the small things every page does with parsed markdown.</summary>
internal static class MarkdownText
{
    /// <summary>Markdig's advanced extensions (tables, auto heading ids, …) and formulas written for KaTeX.</summary>
    public static MarkdownPipeline Pipeline { get; } = new MarkdownPipelineBuilder().UseAdvancedExtensions().Use<KatexMathExtension>().Build();

    /// <summary>Parses markdown with <see cref="Pipeline"/> (headings get their ids here).</summary>
    public static MarkdownDocument Parse(string markdown) => Markdown.Parse(markdown, Pipeline);

    /// <summary>The text of inline markdown without markup: emphasis dropped, code and formulas as their source.</summary>
    public static string PlainText(ContainerInline? inline)
    {
        if (inline is null)
        {
            return "";
        }

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer) { EnableHtmlForInline = false, EnableHtmlEscape = false };
        Pipeline.Setup(renderer);
        renderer.Render(inline);
        return writer.ToString().Trim();
    }

    /// <summary>The plain text of a paragraph or heading; empty for any other block.</summary>
    public static string PlainText(Block block) => block is LeafBlock { Inline: { } inline } ? PlainText(inline) : "";

    /// <summary>
    /// The HTML of a block's children; with <paramref name="implicitParagraphs"/> a paragraph is written without its
    /// &lt;p&gt; (as in a tight list item).
    /// </summary>
    public static string ChildrenToHtml(ContainerBlock block, bool implicitParagraphs)
    {
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer) { ImplicitParagraph = implicitParagraphs };
        Pipeline.Setup(renderer);
        renderer.WriteChildren(block);
        return writer.ToString().Trim();
    }

    /// <summary>How many formulas (<c>$…$</c>, <c>$$…$$</c>) a parsed piece of markdown holds.</summary>
    public static int MathCount(MarkdownObject markdown) =>
        markdown.Descendants<MathInline>().Count() + markdown.Descendants<MathBlock>().Count();

    /// <summary>Links to notebooks of the site (<c>href="05-x.ipynb#step"</c>) rewritten to their pages.</summary>
    public static string LinkNotebooksToPages(string html, IReadOnlyDictionary<string, string> notebookToPage) =>
        Regex.Replace(html, "href=\"([^\"/]+\\.ipynb)(#[^\"]*)?\"", match =>
            notebookToPage.TryGetValue(match.Groups[1].Value, out var page)
                ? $"href=\"{page}{match.Groups[2].Value}\""
                : match.Value);
}
