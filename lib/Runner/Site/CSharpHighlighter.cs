using System.Net;
using System.Text;

namespace Course.Runner.Site;

/// <summary>
/// A small C# syntax highlighter for the site: comments, strings (regular, verbatim, interpolated, raw),
/// characters, numbers, keywords and notebook directives (#r, #!csharp) become &lt;span&gt;s with a class;
/// everything else is HTML-escaped text. It reads tokens, not syntax: good enough to colour lessons.
/// </summary>
public static class CSharpHighlighter
{
    private static readonly HashSet<string> Keywords =
    [
        "abstract", "as", "async", "await", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class",
        "const", "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit",
        "extern", "false", "finally", "fixed", "float", "for", "foreach", "get", "goto", "if", "implicit", "in", "init",
        "int", "interface", "internal", "is", "lock", "long", "nameof", "namespace", "new", "not", "null", "object",
        "operator", "or", "and", "out", "override", "params", "private", "protected", "public", "readonly", "record",
        "ref", "required", "return", "sbyte", "scoped", "sealed", "set", "short", "sizeof", "stackalloc", "static",
        "string", "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe",
        "ushort", "using", "var", "virtual", "void", "volatile", "when", "where", "while", "with", "yield", "nint", "nuint",
    ];

    /// <summary>The code as HTML (escaped) with &lt;span class="k|s|c|n|d"&gt; around keywords, strings, comments, numbers and directives.</summary>
    public static string Highlight(string code)
    {
        var html = new StringBuilder(code.Length * 2);
        int i = 0;
        bool lineStart = true;
        while (i < code.Length)
        {
            char c = code[i];
            int start = i;
            string? kind;

            if (c == '\n')
            {
                html.Append('\n');
                i++;
                lineStart = true;
                continue;
            }

            if (lineStart && c == '#')
            {
                i = EndOfLine(code, i);
                kind = "d";
            }
            else if (c == '/' && Peek(code, i + 1) == '/')
            {
                i = EndOfLine(code, i);
                kind = "c";
            }
            else if (c == '/' && Peek(code, i + 1) == '*')
            {
                int end = code.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? code.Length : end + 2;
                kind = "c";
            }
            else if (StringStart(code, i) is { } stringKind)
            {
                i = StringEnd(code, i, stringKind);
                kind = "s";
            }
            else if (c == '\'')
            {
                i = QuotedEnd(code, i + 1, '\'', backslashEscapes: true);
                kind = "s";
            }
            else if (char.IsDigit(c) || (c == '.' && char.IsDigit(Peek(code, i + 1))))
            {
                i = NumberEnd(code, i);
                kind = "n";
            }
            else if (char.IsLetter(c) || c == '_' || c == '@')
            {
                i++;
                while (i < code.Length && (char.IsLetterOrDigit(code[i]) || code[i] == '_'))
                {
                    i++;
                }

                kind = Keywords.Contains(code[start..i]) ? "k" : null;
            }
            else
            {
                i++;
                kind = null;
            }

            if (!char.IsWhiteSpace(c))
            {
                lineStart = false;
            }

            Append(html, code[start..i], kind);
        }

        return html.ToString();
    }

    private enum StringKind { Regular, Verbatim, Raw }

    private static StringKind? StringStart(string code, int i)
    {
        // Prefixes: $ and @ in any order, several $ for raw interpolated strings.
        int j = i;
        bool verbatim = false;
        while (j < code.Length && (code[j] == '$' || code[j] == '@'))
        {
            verbatim |= code[j] == '@';
            j++;
        }

        if (Peek(code, j) != '"')
        {
            return null;
        }

        if (Peek(code, j + 1) == '"' && Peek(code, j + 2) == '"')
        {
            return StringKind.Raw;
        }

        return verbatim ? StringKind.Verbatim : StringKind.Regular;
    }

    private static int StringEnd(string code, int i, StringKind kind)
    {
        int quote = code.IndexOf('"', i);
        switch (kind)
        {
            case StringKind.Raw:
            {
                int quotes = 0;
                while (Peek(code, quote + quotes) == '"')
                {
                    quotes++;
                }

                int end = code.IndexOf(new string('"', quotes), quote + quotes, StringComparison.Ordinal);
                return end < 0 ? code.Length : end + quotes;
            }
            case StringKind.Verbatim:
            {
                int j = quote + 1;
                while (j < code.Length)
                {
                    if (code[j] == '"')
                    {
                        if (Peek(code, j + 1) == '"')
                        {
                            j += 2;
                            continue;
                        }

                        return j + 1;
                    }

                    j++;
                }

                return code.Length;
            }
            default:
                return QuotedEnd(code, quote + 1, '"', backslashEscapes: true);
        }
    }

    private static int QuotedEnd(string code, int j, char quote, bool backslashEscapes)
    {
        while (j < code.Length && code[j] != '\n')
        {
            if (backslashEscapes && code[j] == '\\')
            {
                j += 2;
                continue;
            }

            if (code[j] == quote)
            {
                return j + 1;
            }

            j++;
        }

        return Math.Min(j, code.Length);
    }

    private static int NumberEnd(string code, int i)
    {
        if (code[i] == '0' && (Peek(code, i + 1) is 'x' or 'X' or 'b' or 'B'))
        {
            i += 2;
            while (i < code.Length && (char.IsAsciiHexDigit(code[i]) || code[i] == '_'))
            {
                i++;
            }
        }
        else
        {
            while (i < code.Length && (char.IsDigit(code[i]) || code[i] == '_' || (code[i] == '.' && char.IsDigit(Peek(code, i + 1)))))
            {
                i++;
            }

            if (Peek(code, i) is 'e' or 'E' && (char.IsDigit(Peek(code, i + 1)) || (Peek(code, i + 1) is '+' or '-' && char.IsDigit(Peek(code, i + 2)))))
            {
                i += 2;
                while (i < code.Length && char.IsDigit(code[i]))
                {
                    i++;
                }
            }
        }

        // Suffixes: f, d, m, u, l, ul.
        while (i < code.Length && "fFdDmMuUlL".Contains(code[i]))
        {
            i++;
        }

        return i;
    }

    private static int EndOfLine(string code, int i)
    {
        int end = code.IndexOf('\n', i);
        return end < 0 ? code.Length : end;
    }

    private static char Peek(string code, int i) => i >= 0 && i < code.Length ? code[i] : '\0';

    private static void Append(StringBuilder html, string text, string? kind)
    {
        if (kind is null)
        {
            html.Append(WebUtility.HtmlEncode(text));
            return;
        }

        html.Append("<span class=\"").Append(kind).Append("\">").Append(WebUtility.HtmlEncode(text)).Append("</span>");
    }
}
