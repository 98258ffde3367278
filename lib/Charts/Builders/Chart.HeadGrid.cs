namespace Course.Charts;

public static partial class Chart
{
    /// <summary>
    /// Every head's attention weights side by side, one heatmap per head, all on one shared color scale
    /// (layout.coloraxis) so colors compare across heads.
    /// </summary>
    /// <param name="weights">[heads, n_q, n_k] (float[,,], or <see cref="GridStack.FromSpan"/> over the library's weights buffer).</param>
    /// <param name="queryTokens">n_q row labels; null: positions.</param>
    /// <param name="keyTokens">n_k column labels; null: <paramref name="queryTokens"/> when n_q = n_k, else positions.</param>
    /// <param name="headTitles">One title per head; null: "head 0", "head 1"…</param>
    /// <param name="columns">Heatmaps per row (at least 1).</param>
    /// <param name="title">Figure title.</param>
    /// <param name="scale">Shared colors; default <see cref="HeatmapScale.Weights"/>. A null Min/Max is taken over all heads.</param>
    /// <param name="showValues">Write values in the cells (off by default: cells are small).</param>
    public static Figure HeadGrid(GridStack weights, IReadOnlyList<string>? queryTokens = null, IReadOnlyList<string>? keyTokens = null,
        IReadOnlyList<string>? headTitles = null, int columns = 4, string? title = null, HeatmapScale? scale = null, bool showValues = false)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (weights.Count == 0) throw new ArgumentException($"weights holds no heads (shape {weights.ShapeText}).", nameof(weights));
        if (headTitles is not null && headTitles.Count != weights.Count)
            throw new ArgumentException($"headTitles has {headTitles.Count} titles but weights has {weights.Count} heads (shape {weights.ShapeText}).", nameof(headTitles));

        var (queries, keys) = AxisLabels(weights[0], queryTokens, keyTokens, nameof(weights), nameof(queryTokens), nameof(keyTokens));
        var style = scale ?? HeatmapScale.Weights;
        var range = weights.FiniteRange();
        var grid = SubplotGrid.For(weights.Count, columns);
        var layout = new Layout
        {
            Title = title is null ? null : (Title)title,
            ColorAxis = new ColorAxis
            {
                CMin = style.Min ?? range?.Min,
                CMax = style.Max ?? range?.Max,
                CMid = style.Mid,
                ColorScale = style.ColorScale,
                ReverseScale = style.Reverse ? true : null,
                ColorBar = new ColorBar { Title = style.ValueName },
            },
            Annotations = [],
            Height = 80 + grid.Rows * Math.Clamp(90 + 22 * weights.Rows, 200, 420),
            Margin = new Margin { T = title is null ? 40 : 80 },
        };
        var figure = new Figure { Layout = layout };
        for (var head = 0; head < weights.Count; head++)
        {
            var trace = HeatmapTrace(weights[head], queries, keys, style, showValues);
            trace.ColorAxis = "coloraxis"; // the shared scale replaces the trace's own
            (trace.ZMin, trace.ZMax, trace.ZMid, trace.ColorScale, trace.ReverseScale) = (null, null, null, null, null);
            trace.XAxis = AxisId.X(head + 1);
            trace.YAxis = AxisId.Y(head + 1);
            trace.Name = headTitles?[head] ?? $"head {head}";
            figure.Data.Add(trace);

            layout.SetXAxis(head + 1, new Axis
            {
                Type = "category", Domain = grid.XDomain(head), Anchor = AxisId.Y(head + 1),
                ShowTickLabels = grid.IsBottomOfColumn(head, weights.Count), ShowGrid = false,
            });
            layout.SetYAxis(head + 1, new Axis
            {
                Type = "category", Domain = grid.YDomain(head), Anchor = AxisId.X(head + 1), AutoRange = "reversed",
                ShowTickLabels = head % grid.Columns == 0, ShowGrid = false,
            });
            layout.Annotations.Add(grid.TitleAnnotation(head, trace.Name));
        }
        return figure;
    }
}
