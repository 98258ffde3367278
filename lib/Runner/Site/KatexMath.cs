using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;
using Markdig.Renderers.Html;

namespace Course.Runner.Site;

/// <summary>
/// Markdown math written for KaTeX. Markdig's mathematics extension finds <c>$…$</c> and <c>$$…$$</c> outside code
/// spans and code blocks; this extension writes each formula's TeX source, HTML-encoded and without delimiters, as the
/// text of an element that assets/math.js typesets: <c>span.math-inline</c> for <c>$…$</c>, <c>span.math-display</c> for
/// <c>$$…$$</c> inside a paragraph (notebooks put it on a line of its own; Jupyter and VS Code show it as display math)
/// and <c>div.math-display</c> for a fenced <c>$$</c> block. Without script the reader still sees the TeX source.
/// </summary>
public sealed class KatexMathExtension : IMarkdownExtension
{
    /// <summary>The class of an inline formula's element.</summary>
    public const string InlineClass = "math-inline";

    /// <summary>The class of a display formula's element.</summary>
    public const string DisplayClass = "math-display";

    /// <inheritdoc />
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        // The parser is Markdig's; added here when the pipeline does not have it yet (UseAdvancedExtensions does).
        pipeline.Extensions.AddIfNotAlready<MathExtension>();
    }

    /// <inheritdoc />
    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        if (renderer is HtmlRenderer html)
        {
            // Replaces Markdig's math renderers (which wrap the source in \( \) and \[ \] for MathJax), or goes first
            // when they are added later: the first renderer that accepts an object writes it.
            if (!html.ObjectRenderers.Replace<HtmlMathInlineRenderer>(new InlineRenderer()))
            {
                html.ObjectRenderers.Insert(0, new InlineRenderer());
            }

            if (!html.ObjectRenderers.Replace<HtmlMathBlockRenderer>(new BlockRenderer()))
            {
                html.ObjectRenderers.Insert(0, new BlockRenderer());
            }
        }
    }

    private sealed class InlineRenderer : HtmlObjectRenderer<MathInline>
    {
        protected override void Write(HtmlRenderer renderer, MathInline math)
        {
            if (!renderer.EnableHtmlForInline)
            {
                // Plain-text rendering (e.g. a heading's id): the formula's source only.
                renderer.WriteEscape(ref math.Content);
                return;
            }

            renderer.Write("<span class=\"").Write(math.DelimiterCount >= 2 ? DisplayClass : InlineClass).Write("\">");
            renderer.WriteEscape(ref math.Content);
            renderer.Write("</span>");
        }
    }

    private sealed class BlockRenderer : HtmlObjectRenderer<MathBlock>
    {
        protected override void Write(HtmlRenderer renderer, MathBlock math)
        {
            renderer.EnsureLine();
            renderer.Write("<div class=\"").Write(DisplayClass).Write("\">");
            renderer.WriteLeafRawLines(math, writeEndOfLines: true, escape: true);
            renderer.WriteLine("</div>");
        }
    }
}
