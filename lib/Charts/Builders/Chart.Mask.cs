namespace Course.Charts;

public static partial class Chart
{
    /// <summary>
    /// A mask as a two-color grid: row i = query i, column j = key j, colored when query i may attend to key j.
    /// </summary>
    /// <param name="allowed">[n_q, n_k]: true (or non-zero) = may attend, the library's convention. A bool[,] converts implicitly.</param>
    /// <param name="queryTokens">n_q row labels; null: positions.</param>
    /// <param name="keyTokens">n_k column labels; null: <paramref name="queryTokens"/> when n_q = n_k, else positions.</param>
    /// <param name="title">Figure title.</param>
    /// <param name="allowedColor">Color of cells that may attend.</param>
    /// <param name="blockedColor">Color of masked cells.</param>
    public static Figure Mask(Grid2D allowed, IReadOnlyList<string>? queryTokens = null, IReadOnlyList<string>? keyTokens = null,
        string? title = null, string allowedColor = "#3b75af", string blockedColor = "#e8e8e8")
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var (queries, keys) = AxisLabels(allowed, queryTokens, keyTokens, nameof(allowed), nameof(queryTokens), nameof(keyTokens));
        var rows = allowed.ToRows(); // [n_q][n_k]
        var z = rows.Select(row => row.Select(v => IsAllowed(v) ? 1.0 : 0.0).ToArray()).ToArray();
        var text = z.Select(row => row.Select(v => v == 1 ? "may attend" : "masked").ToArray()).ToArray();
        var trace = new HeatmapTrace
        {
            X = keys,
            Y = queries,
            Z = z,
            Text = text,
            ZMin = 0,
            ZMax = 1,
            ColorScale = ColorScale.TwoColors(blockedColor, allowedColor),
            ShowScale = false,
            XGap = 1,
            YGap = 1,
            HoverTemplate = "query %{y} → key %{x}: %{text}<extra></extra>",
        };
        var layout = HeatmapLayout(title, allowed.Rows);
        layout.YAxis!.ScaleAnchor = "x";
        layout.YAxis.Constrain = "domain";
        layout.XAxis!.Constrain = "domain";
        return new Figure { Data = [trace], Layout = layout };
    }

    private static bool IsAllowed(double value) => value != 0 && !double.IsNaN(value);
}
