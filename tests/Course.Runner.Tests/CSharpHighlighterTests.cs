using Course.Runner.Site;

namespace Course.Runner.Tests;

public sealed class CSharpHighlighterTests
{
    [Theory]
    [InlineData("var x = 1;", "<span class=\"k\">var</span> x = <span class=\"n\">1</span>;")]
    [InlineData("// a < b", "<span class=\"c\">// a &lt; b</span>")]
    [InlineData("/* one\ntwo */ int", "<span class=\"c\">/* one\ntwo */</span> <span class=\"k\">int</span>")]
    [InlineData("\"a \\\" b\" + x", "<span class=\"s\">&quot;a \\&quot; b&quot;</span> + x")]
    [InlineData("@\"C:\\dir\"\"q\"", "<span class=\"s\">@&quot;C:\\dir&quot;&quot;q&quot;</span>")]
    [InlineData("$\"{n} & m\"", "<span class=\"s\">$&quot;{n} &amp; m&quot;</span>")]
    [InlineData("'\\n'", "<span class=\"s\">&#39;\\n&#39;</span>")]
    [InlineData("1.5e-3f + 0xFF + 10_000UL", "<span class=\"n\">1.5e-3f</span> + <span class=\"n\">0xFF</span> + <span class=\"n\">10_000UL</span>")]
    [InlineData("#r \"../x.dll\"\nusing System;", "<span class=\"d\">#r &quot;../x.dll&quot;</span>\n<span class=\"k\">using</span> System;")]
    [InlineData("@class forEach", "@class forEach")]
    [InlineData("x.Length", "x.Length")]
    public void Colours_tokens_and_escapes_html(string code, string expected) =>
        Assert.Equal(expected, CSharpHighlighter.Highlight(code));

    [Fact]
    public void Raw_string_may_hold_quotes_and_span_lines()
    {
        var code = "var json = \"\"\"\n{\"a\": 1}\n\"\"\";";
        Assert.Equal(
            "<span class=\"k\">var</span> json = <span class=\"s\">&quot;&quot;&quot;\n{&quot;a&quot;: 1}\n&quot;&quot;&quot;</span>;",
            CSharpHighlighter.Highlight(code));
    }

    [Fact]
    public void Unterminated_tokens_end_at_the_line_or_the_text()
    {
        Assert.Equal("<span class=\"s\">&quot;open</span>\n<span class=\"n\">1</span>", CSharpHighlighter.Highlight("\"open\n1"));
        Assert.Equal("<span class=\"c\">/* never closed</span>", CSharpHighlighter.Highlight("/* never closed"));
        Assert.Equal("", CSharpHighlighter.Highlight(""));
    }
}
