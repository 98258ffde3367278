using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Course.Charts;
using Course.Notebook;
using Microsoft.DotNet.Interactive.Formatting;

namespace Course.Charts.Tests;

/// <summary>
/// Offline notebook outputs in a real browser (Debian chromium, headless, every outside host unreachable): the charts
/// draw, a slider figure's frames work, and nothing reports an error.
/// </summary>
[Collection(NotebookStateCollection.Name)]
public sealed class BrowserTests : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("course-charts-browser-").FullName;

    public BrowserTests()
    {
        Formatter.ResetToDefault();
        CourseFormatters.Register();
    }

    public void Dispose()
    {
        CourseNotebook.UseOnlineCharts();
        Formatter.ResetToDefault();
        try { Directory.Delete(_workDirectory, recursive: true); } catch (IOException) { /* chromium may still hold a lock file */ }
    }

    [Fact]
    public void Offline_outputs_draw_heatmap_head_grid_and_working_slider_figures()
    {
        Assert.True(File.Exists(Chromium), $"Debian chromium is expected at {Chromium} (apt-get install chromium).");
        string[] tokens = ["the", "cat", "sat", "on", "the", "mat"];
        var weights = CausalWeights(tokens.Length);
        var heads = new float[3, tokens.Length, tokens.Length];
        for (var h = 0; h < 3; h++)
            for (var q = 0; q < tokens.Length; q++)
                for (var k = 0; k < tokens.Length; k++) heads[h, q, k] = weights[q, k];
        var bars = Chart.QueryBars(weights, tokens);
        var visibilitySlider = Chart.Slider(
            [new SliderFrame("one", [new ScatterTrace { Y = new[] { 1.0, 2 } }], "one"), new SliderFrame("two", [new ScatterTrace { Y = new[] { 2.0, 1 } }], "two")],
            method: SliderMethod.Update);

        CourseNotebook.UseOfflineCharts();
        var outputs = new[]
        {
            Chart.AttentionHeatmap(weights, tokens, title: "causal"),
            bars,
            Chart.HeadGrid(heads, tokens),
            visibilitySlider,
            Chart.Mask(new bool[,] { { true, false }, { true, true } }),
        }.Select(f => f.ToDisplayString(MimeTypes.Html)).ToArray();
        var ids = outputs.Select(o => Regex.Match(o, "id=\"(course-figure-[0-9a-f]+)\"").Groups[1].Value).ToArray();
        var lastFrame = JsonAssert.Parse(bars).GetProperty("frames")[tokens.Length - 1];

        var (dom, log) = RenderInChromium(Page(outputs, Probe(ids[1], lastFrame.GetProperty("name").GetString()!)));

        foreach (var id in ids)
            Assert.Matches($"<div id=\"{id}\"[^>]*class=\"[^\"]*js-plotly-plot", dom);
        Assert.True(FormatterTests.Count(dom, "class=\"main-svg\"") >= ids.Length, "every figure has its svg layers");
        Assert.True(FormatterTests.Count(dom, "slider-container") >= 2, "both slider figures drew a slider");
        Assert.DoesNotContain("class=\"course-figure-error\"", dom); // what draw-figure.js shows instead of a chart
        Assert.DoesNotContain("Uncaught", log);

        // The probe script chose the last query on the bar slider: the figure then shows that frame's bars and title.
        var probe = Regex.Match(dom, "<pre id=\"probe\">(.*?)</pre>", RegexOptions.Singleline);
        Assert.True(probe.Success, "the probe did not run: frames were not added or animate failed");
        var after = JsonAssert.Parse(WebUtility.HtmlDecode(probe.Groups[1].Value));
        Assert.Equal(lastFrame.GetProperty("layout").GetProperty("title").GetProperty("text").GetString(), after.GetProperty("title").GetString());
        Assert.Equal(lastFrame.GetProperty("data")[0].GetProperty("y").GetRawText(), after.GetProperty("y").GetRawText());
    }

    [Fact]
    public void The_same_figure_shown_twice_draws_twice_and_formats_identically()
    {
        Assert.True(File.Exists(Chromium), $"Debian chromium is expected at {Chromium} (apt-get install chromium).");
        string[] tokens = ["a", "b", "c"];
        var figure = Chart.AttentionHeatmap(CausalWeights(tokens.Length), tokens, title: "twice");
        CourseNotebook.UseOfflineCharts();
        var first = figure.ToDisplayString(MimeTypes.Html);   // carries plotly.js inline
        var second = figure.ToDisplayString(MimeTypes.Html);  // relies on the first one's copy
        var third = figure.ToDisplayString(MimeTypes.Html);

        // Ids come from the figure's content, so re-running a notebook writes byte-identical outputs.
        Assert.Equal(second, third);
        var id = Regex.Match(second, "id=\"(course-figure-[0-9a-f]+)\"").Groups[1].Value;
        Assert.Contains($"id=\"{id}\"", first);

        var (dom, log) = RenderInChromium(Page([first, second], probe: ""));

        Assert.Equal(2, Regex.Matches(dom, $"<div id=\"{id}\"[^>]*class=\"[^\"]*js-plotly-plot").Count);
        Assert.DoesNotContain("class=\"course-figure-error\"", dom);
        Assert.DoesNotContain("Uncaught", log);
    }

    [Fact]
    public void Without_network_cdn_charts_say_how_to_switch_to_offline_charts()
    {
        Assert.True(File.Exists(Chromium), $"Debian chromium is expected at {Chromium} (apt-get install chromium).");
        CourseNotebook.UseOnlineCharts();
        var output = Chart.Lines([new Series("y = x", new[] { 0.0, 1 }, new[] { 0.0, 1 })]).ToDisplayString(MimeTypes.Html);

        var (dom, _) = RenderInChromium(Page([output], probe: ""));

        var note = Regex.Match(dom, "<pre class=\"course-figure-error\"[^>]*>(.*?)</pre>", RegexOptions.Singleline);
        Assert.True(note.Success, "no error note in place of the chart");
        Assert.Contains("could not be loaded from " + FigureHtml.CdnUrl, note.Groups[1].Value);
        Assert.Contains("CourseNotebook.UseOfflineCharts()", note.Groups[1].Value);
        Assert.DoesNotContain("js-plotly-plot", dom);
    }

    [Fact]
    public void Text_outputs_are_readable_on_light_and_dark_notebook_themes()
    {
        // VS Code's default theme is dark: an output that fixes its text colour but not its background can vanish there.
        // Every text output the course formats is laid on VS Code's light and dark editor colours; the browser computes
        // each visible text's colour over its background (opacity and alpha included) and its WCAG contrast ratio.
        Assert.True(File.Exists(Chromium), $"Debian chromium is expected at {Chromium} (apt-get install chromium).");
        CourseNotebook.UseOnlineCharts(); // with no network the chart fails: its error note is checked too
        var weights = MathNet.Numerics.LinearAlgebra.Matrix<float>.Build.DenseOfArray(new float[,] { { 1, 0 }, { 0.5f, 0.5f } });
        var outputs = string.Join("\n", new object[]
        {
            new Attention.AttentionResult(weights, weights),
            weights,
            Course.Exercises.Check.Softmax(x => x),                                  // wrong: details open
            Course.Exercises.Check.Softmax(x => { var e = x.Select(v => MathF.Exp(v - x.Max())).ToArray(); var s = e.Sum(); return e.Select(v => v / s).ToArray(); }),
        }.Select(o => o.ToDisplayString(MimeTypes.Html)));
        string Theme(string name, string background, string text) =>
            $"<div class=\"theme\" data-theme=\"{name}\" style=\"background:{background};color:{text};padding:8px;\">{outputs}</div>";
        var page = Theme("light", "#ffffff", "#3b3b3b") + Theme("dark", "#1f1f1f", "#cccccc") + ContrastProbe;

        var (dom, _) = RenderInChromium(Page([page], probe: ""));

        var probe = Regex.Match(dom, "<pre id=\"contrast\">(.*?)</pre>", RegexOptions.Singleline);
        Assert.True(probe.Success, "the contrast probe did not run");
        var report = JsonAssert.Parse(WebUtility.HtmlDecode(probe.Groups[1].Value));
        Assert.Equal(2, report.GetProperty("notes").GetInt32());              // the chart's error note, once per theme
        var texts = report.GetProperty("texts").EnumerateArray().ToArray();
        foreach (var theme in new[] { "light", "dark" })
        {
            var checkedTexts = texts.Where(t => t.GetProperty("theme").GetString() == theme).ToArray();
            Assert.True(checkedTexts.Length >= 15, $"{theme}: only {checkedTexts.Length} texts were checked");
            foreach (var text in new[] { "AttentionResult: Output", "Matrix [2 × 2]", "Single", "0.5", "could not be loaded", "not yet", "passed", "Hint:", "Details" })
                Assert.True(checkedTexts.Any(t => t.GetProperty("text").GetString()!.Contains(text)),
                    $"{theme}: \"{text}\" was not checked; checked: {string.Join(" | ", checkedTexts.Select(t => t.GetProperty("text").GetString()))}");
        }
        var unreadable = texts.Where(t => t.GetProperty("contrast").GetDouble() < 4.5)
            .Select(t => $"{t.GetProperty("theme")}: \"{t.GetProperty("text")}\" {t.GetProperty("colour")} on {t.GetProperty("background")}, contrast {t.GetProperty("contrast").GetDouble():F2}")
            .ToArray();
        Assert.True(unreadable.Length == 0, "text below WCAG AA contrast (4.5):\n" + string.Join("\n", unreadable));
    }

    /// <summary>
    /// Once both error notes are in (or after 3 s), every visible element with text of its own outside the chart's SVG:
    /// its text colour (alpha times the opacity of it and its ancestors) composited over the nearest backgrounds, and the
    /// WCAG 2 contrast ratio of the two.
    /// </summary>
    private const string ContrastProbe = """
        <script>
        (function () {
          function rgba(css) { var p = css.match(/[\d.]+/g).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; }
          function over(top, alpha, bottom) { return [0, 1, 2].map(function (i) { return top[i] * alpha + bottom[i] * (1 - alpha); }); }
          function luminance(c) {
            var l = c.map(function (v) { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
            return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
          }
          function measure() {
            var texts = [];
            document.querySelectorAll(".theme *").forEach(function (el) {
              if (el.closest("svg") || el.closest(".js-plotly-plot") || el.getClientRects().length === 0) return;
              var own = Array.prototype.filter.call(el.childNodes, function (n) { return n.nodeType === 3 && n.textContent.trim(); })
                .map(function (n) { return n.textContent.trim(); }).join(" ");
              if (!own) return;
              var layers = [], opacity = 1;
              for (var e = el; e; e = e.parentElement) {
                var style = getComputedStyle(e), bg = rgba(style.backgroundColor);
                opacity *= Number(style.opacity);
                if (bg[3] > 0) layers.push(bg);
              }
              var background = [255, 255, 255];
              for (var i = layers.length - 1; i >= 0; i--) background = over(layers[i], layers[i][3], background);
              var colour = rgba(getComputedStyle(el).color), shown = over(colour, colour[3] * opacity, background);
              var a = luminance(shown), b = luminance(background);
              texts.push({ theme: el.closest(".theme").dataset.theme, text: own.slice(0, 60),
                colour: "rgb(" + shown.map(Math.round) + ")", background: "rgb(" + background.map(Math.round) + ")",
                contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) });
            });
            var report = document.createElement("pre");
            report.id = "contrast";
            report.textContent = JSON.stringify({ notes: document.querySelectorAll(".course-figure-error").length, texts: texts });
            document.body.appendChild(report);
          }
          var waited = 0;
          (function poll() {
            if (document.querySelectorAll(".course-figure-error").length >= 2 || waited >= 3000) { measure(); return; }
            waited += 50; setTimeout(poll, 50);
          })();
        })();
        </script>
        """;

    private static float[,] CausalWeights(int n)
    {
        var w = new float[n, n]; // [n_q, n_k]: query i spreads evenly over keys 0..i
        for (var q = 0; q < n; q++)
            for (var k = 0; k <= q; k++) w[q, k] = 1f / (q + 1);
        return w;
    }

    private static string Page(IEnumerable<string> outputs, string probe) =>
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>offline outputs</title></head><body>\n" +
        string.Join("\n<hr>\n", outputs) + "\n" + probe + "\n</body></html>";

    /// <summary>Once the bar figure has its frames, animate to <paramref name="frameName"/> and write what the figure then shows.</summary>
    private static string Probe(string elementId, string frameName) => $$"""
        <script>
        (function () {
          var gd = document.getElementById({{JsonSerializer.Serialize(elementId)}});
          (function poll() {
            var frames = gd && gd._transitionData && gd._transitionData._frames;
            if (!window.Plotly || !frames || frames.length === 0) { setTimeout(poll, 50); return; }
            Plotly.animate(gd, [{{JsonSerializer.Serialize(frameName)}}], { mode: "immediate", frame: { duration: 0, redraw: true }, transition: { duration: 0 } })
              .then(function () {
                var report = document.createElement("pre");
                report.id = "probe";
                report.textContent = JSON.stringify({ title: gd.layout.title.text, y: gd.data[0].y });
                document.body.appendChild(report);
              });
          })();
        })();
        </script>
        """;

    private (string Dom, string Log) RenderInChromium(string html)
    {
        var page = Path.Combine(_workDirectory, "page.html");
        File.WriteAllText(page, html);
        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost", // offline means offline: no outside host resolves
            "--enable-logging=stderr", "--v=0",
            "--virtual-time-budget=8000", $"--user-data-dir={Path.Combine(_workDirectory, "profile")}",
            "--dump-dom", new Uri(page).AbsoluteUri,
        })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var dom = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("chromium did not finish within 90 s");
        }
        return (dom.Result, stderr.Result);
    }
}
