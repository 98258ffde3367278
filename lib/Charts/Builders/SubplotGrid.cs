namespace Course.Charts;

/// <summary>
/// Where subplot i of a rows × columns grid sits, as axis domains (fractions of the figure), filled row by row
/// from the top left. Subplot i uses axes x(i+1)/y(i+1). Every cell has the same size; the gaps between cells
/// shrink as the grid grows, so that a 12 × 6 grid of heads still leaves most of the figure to the heatmaps.
/// </summary>
internal sealed record SubplotGrid(int Rows, int Columns)
{
    /// <summary>Gap between columns, at most 5 % of the width each and 25 % in all.</summary>
    public double HorizontalGap { get; } = Gap(Columns, single: 0.05, total: 0.25);

    /// <summary>Gap between rows (room for the subplot titles), at most 10 % of the height each and 35 % in all.</summary>
    public double VerticalGap { get; } = Gap(Rows, single: 0.10, total: 0.35);

    public static SubplotGrid For(int count, int columns)
    {
        var used = Math.Max(1, Math.Min(columns, count));
        return new SubplotGrid((count + used - 1) / used, used);
    }

    public double[] XDomain(int index)
    {
        var column = index % Columns;
        var width = CellSize(Columns, HorizontalGap);
        var left = column * (width + HorizontalGap);
        return [left, Math.Min(1, left + width)];
    }

    public double[] YDomain(int index)
    {
        var row = index / Columns; // row 0 at the top
        var height = CellSize(Rows, VerticalGap);
        var top = 1 - row * (height + VerticalGap);
        return [Math.Max(0, top - height), top];
    }

    private static double Gap(int cells, double single, double total) => cells <= 1 ? 0 : Math.Min(single, total / (cells - 1));

    private static double CellSize(int cells, double gap) => (1 - gap * (cells - 1)) / cells;

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
