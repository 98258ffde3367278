using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Notebook;

/// <summary>
/// A MathNet matrix or vector as a compact HTML table: values to 4 significant digits, at most
/// <see cref="MaxShown"/> rows and columns (the first and last ones, with ellipses between), shape in the caption.
/// </summary>
public static class MatrixHtml
{
    /// <summary>Rows (and columns) shown at most; larger matrices show the first and last ones.</summary>
    public const int MaxShown = 12;

    public static string Table<T>(Matrix<T> matrix, string? name = null) where T : struct, IEquatable<T>, IFormattable
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return Render(matrix.RowCount, matrix.ColumnCount, (r, c) => matrix[r, c], $"{name ?? "Matrix"} [{matrix.RowCount} × {matrix.ColumnCount}]", typeof(T).Name);
    }

    public static string Table<T>(Vector<T> vector, string? name = null) where T : struct, IEquatable<T>, IFormattable
    {
        ArgumentNullException.ThrowIfNull(vector);
        return Render(1, vector.Count, (_, c) => vector[c], $"{name ?? "Vector"} [{vector.Count}]", typeof(T).Name);
    }

    private static string Render<T>(int rows, int columns, Func<int, int, T> cell, string shape, string typeName) where T : IFormattable
    {
        var shownRows = Shown(rows);
        var shownColumns = Shown(columns);
        var html = new StringBuilder();
        html.Append("<table class=\"course-matrix\" style=\"border-collapse:collapse;font-family:monospace;font-size:90%;\">");
        // No fixed text colour: the theme's own (light or dark) stays, greyed by opacity; borders a half-transparent grey.
        html.Append("<caption style=\"caption-side:top;text-align:left;font-family:sans-serif;\">")
            .Append(HtmlText.Encode(shape)).Append(" <span style=\"opacity:0.75\">").Append(typeName).Append("</span></caption>");
        foreach (var r in shownRows)
        {
            html.Append("<tr>");
            foreach (var c in shownColumns)
            {
                var text = r < 0 && c < 0 ? "⋱" : r < 0 ? "⋮" : c < 0 ? "⋯" : Format(cell(r, c));
                html.Append("<td style=\"padding:1px 6px;text-align:right;border:1px solid rgba(128,128,128,0.4);\">").Append(HtmlText.Encode(text)).Append("</td>");
            }
            html.Append("</tr>");
        }
        return html.Append("</table>").ToString();
    }

    /// <summary>Indices to show, with -1 where the ellipsis goes.</summary>
    private static IEnumerable<int> Shown(int count)
    {
        if (count <= MaxShown) return Enumerable.Range(0, count);
        var head = MaxShown / 2;
        var tail = MaxShown - head - 1;
        return Enumerable.Range(0, head).Append(-1).Concat(Enumerable.Range(count - tail, tail));
    }

    private static string Format<T>(T value) where T : IFormattable => value.ToString("G4", CultureInfo.InvariantCulture);
}
