namespace Course.Notebook;

/// <summary>Text made safe for HTML. Only the markup characters are escaped, so "×", "≤" or "✓" stay readable in the saved notebook.</summary>
internal static class HtmlText
{
    public static string Encode(string? text) =>
        (text ?? "").Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}
