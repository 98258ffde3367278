namespace Course.Charts;

/// <summary>
/// Where subplot i of a rows × columns grid sits, as axis domains (fractions of the figure), filled row by row
/// from the top left. Subplot i uses axes x(i+1)/y(i+1).
/// </summary>
internal sealed record SubplotGrid(int Rows, int Columns, double HorizontalGap = 0.05, double VerticalGap = 0.10)
{
    public static SubplotGrid For(int count, int columns)
    {
        var used = Math.Max(1, Math.Min(columns, count));
        return new SubplotGrid((count + used - 1) / used, used);
    }

    public double[] XDomain(int index)
    {
        var column = index % Columns;
        var width = 1.0 / Columns;
        return [column * width + (column == 0 ? 0 : HorizontalGap / 2), (column + 1) * width - (column == Columns - 1 ? 0 : HorizontalGap / 2)];
    }

    public double[] YDomain(int index)
    {
        var row = index / Columns; // row 0 at the top
        var height = 1.0 / Rows;
        var top = 1 - row * height - (row == 0 ? 0 : VerticalGap / 2);
        var bottom = 1 - (row + 1) * height + (row == Rows - 1 ? 0 : VerticalGap / 2);
        return [bottom, top];
    }

    /// <summary>True when no subplot sits below subplot <paramref name="index"/> (it shows the x tick labels).</summary>
    public bool IsBottomOfColumn(int index, int count) => index + Columns >= count;

    /// <summary>A title centred above subplot <paramref name="index"/>.</summary>
    public Annotation TitleAnnotation(int index, string text)
    {
        var x = XDomain(index);
        return new Annotation
        {
            Text = text,
            X = (x[0] + x[1]) / 2,
            Y = YDomain(index)[1],
            XRef = "paper",
            YRef = "paper",
            XAnchor = "center",
            YAnchor = "bottom",
            ShowArrow = false,
        };
    }
}
