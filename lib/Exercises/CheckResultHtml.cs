using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Course.Exercises;

/// <summary>Renders a <see cref="CheckResult"/> as one self-contained HTML fragment: inline styles, explicit colours (readable on light and dark notebook themes), no script.</summary>
internal static partial class CheckResultHtml
{
    private const string Font = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:14px;line-height:1.45;";
    private const string Mono = "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;";

    public static string Render(CheckResult result)
    {
        (string accent, string background, string mark, string verdict) = result.Passed
            ? ("#2e7d32", "#edf7ee", "✔", "passed")
            : ("#c62828", "#fdecea", "✘", "not yet");
        var html = new StringBuilder();
        html.Append($"<div class=\"exercise-check\" style=\"{Font}color:#1b1b1b;background:{background};border:1px solid {accent};border-left:6px solid {accent};border-radius:4px;padding:8px 12px;margin:6px 0;\">");
        html.Append($"<div style=\"font-weight:600;color:{accent};\">{mark} {Text(result.Exercise)}: {verdict}</div>");
        html.Append($"<div style=\"margin-top:4px;\">{Text(result.Message)}</div>");
        if (result.Hint is not null)
            html.Append($"<div style=\"margin-top:6px;\"><span style=\"font-weight:600;\">Hint:</span> {Text(result.Hint)}</div>");
        if (result.Details.Count > 0)
        {
            html.Append($"<details style=\"margin-top:6px;\"{(result.Passed ? "" : " open")}><summary style=\"cursor:pointer;color:#444;\">Details</summary>");
            html.Append($"<pre style=\"{Mono}color:#1b1b1b;background:#ffffffb0;margin:4px 0 0 0;padding:6px 8px;border-radius:3px;white-space:pre-wrap;\">");
            html.Append(WebUtility.HtmlEncode(string.Join("\n", result.Details)));
            html.Append("</pre></details>");
        }
        html.Append("</div>");
        return html.ToString();
    }

    // HTML-escape, then show `code` spans as code.
    private static string Text(string text) =>
        CodeSpan().Replace(WebUtility.HtmlEncode(text), m => $"<code style=\"{Mono}background:#0000000f;padding:0 3px;border-radius:3px;\">{m.Groups[1].Value}</code>");

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}
