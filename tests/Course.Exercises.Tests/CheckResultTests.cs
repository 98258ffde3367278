using Course.Exercises;

namespace Course.Exercises.Tests;

/// <summary>The result type: text, HTML, ShouldPass.</summary>
public class CheckResultTests
{
    private static CheckResult Passed() => Check.Softmax(Solutions.Softmax);
    private static CheckResult Failed() => Check.Softmax(SoftmaxChecksTests.NaiveSoftmax);

    [Fact]
    public void ShouldPassReturnsThePassedResult()
    {
        CheckResult result = Passed();
        Assert.Same(result, result.ShouldPass());
    }

    [Fact]
    public void ShouldPassThrowsWithTheMessageAndHint()
    {
        CheckResult result = Failed();
        var e = Assert.Throws<ExerciseCheckFailedException>(() => result.ShouldPass());
        Assert.Same(result, e.Result);
        Assert.Contains(result.Message, e.Message);
        Assert.Contains(result.Hint!, e.Message);
    }

    [Fact]
    public void TextShowsVerdictMessageHintAndCases()
    {
        string passed = Passed().ToString(), failed = Failed().ToString();
        Assert.StartsWith("✔ Softmax (notebook 04): passed. All 7 cases match the reference", passed);
        Assert.StartsWith("✘ Softmax (notebook 04): Case 5 of 7", failed);
        Assert.Contains("\nHint: Softmax does not change", failed);
        Assert.Contains("  ✗ large logits [1000, 1001, 999]", failed);
        Assert.Contains("  · huge logits [1e30, −1e30, 0, 1e30] (answer [0.5, 0, 0, 0.5]) (not run)", failed);
    }

    [Fact]
    public void HtmlIsAGreenOrRedSelfContainedBox()
    {
        string passed = Passed().ToHtml(), failed = Failed().ToHtml();
        Assert.Contains("#2e7d32", passed);
        Assert.DoesNotContain("#c62828", passed);
        Assert.Contains("#c62828", failed);
        Assert.Contains("✘ Softmax (notebook 04): not yet", failed);
        foreach (string html in new[] { passed, failed })
        {
            Assert.StartsWith("<div class=\"exercise-check\" style=\"", html);
            Assert.EndsWith("</div>", html);
            Assert.DoesNotContain("<script", html);
            Assert.DoesNotContain("<link", html);
            Assert.DoesNotContain("http", html);
            Assert.Equal(Count(html, "<div"), Count(html, "</div>"));
        }
        Assert.Contains("<details style=\"margin-top:6px;\" open>", failed);   // the failing case is shown at once
    }

    [Fact]
    public void HtmlEscapesTextAndShowsCodeSpans()
    {
        // A learner's exception message with markup must not become markup.
        string html = Check.Softmax(x => throw new InvalidOperationException("<b>bad</b> & worse")).ToHtml();
        Assert.Contains("&lt;b&gt;bad&lt;/b&gt; &amp; worse", html);
        Assert.DoesNotContain("<b>bad</b>", html);
        string stub = Check.Softmax(x => throw new NotImplementedException()).ToHtml();
        Assert.Contains(">throw new NotImplementedException();</code>", stub);
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;
}
