namespace Course.Charts;

public static partial class Chart
{
    /// <summary>Cells up to this count show their value as text when <c>showValues</c> is left null.</summary>
    public const int ValuesShownUpToCells = 144;

    /// <summary>
    /// Attention weights as a heatmap: row i = query token i (top to bottom), column j = key token j;
    /// a cell's color is how much query i attends to key j.
    /// </summary>
    /// <param name="weights">[n_q, n_k] (float[,], double[,], or <see cref="Grid2D.FromSpan(ReadOnlySpan{float}, int, int, string)"/>).</param>
    /// <param name="queryTokens">n_q labels for the rows; null: positions 0..n_q-1.</param>
    /// <param name="keyTokens">n_k labels for the columns; null: <paramref name="queryTokens"/> when n_q = n_k (self-attention), else positions.</param>
    /// <param name="title">Figure title.</param>
    /// <param name="scale">Colors and hover text; default <see cref="HeatmapScale.Weights"/> (0..1).</param>
    /// <param name="showValues">Write each value in its cell; null: only when there are at most <see cref="ValuesShownUpToCells"/> cells.</param>
    /// <exception cref="ArgumentException">A label list's length differs from the matching dimension of <paramref name="weights"/>.</exception>
    public static Figure AttentionHeatmap(Grid2D weights, IReadOnlyList<string>? queryTokens = null, IReadOnlyList<string>? keyTokens = null,
        string? title = null, HeatmapScale? scale = null, bool? showValues = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var (queries, keys) = AxisLabels(weights, queryTokens, keyTokens, nameof(weights), nameof(queryTokens), nameof(keyTokens));
        var style = scale ?? HeatmapScale.Weights;
        var trace = HeatmapTrace(weights, queries, keys, style, showValues ?? weights.Rows * weights.Columns <= ValuesShownUpToCells);
        trace.ColorBar = new ColorBar { Title = style.ValueName };

        var layout = HeatmapLayout(title, weights.Rows);
        layout.YAxis!.ScaleAnchor = "x"; // square cells
        layout.YAxis.Constrain = "domain";
        layout.XAxis!.Constrain = "domain";
        return new Figure { Data = [trace], Layout = layout };
    }

    /// <summary>Row and column labels for a [n_q, n_k] grid, checked against its shape.</summary>
    internal static (string[] Queries, string[] Keys) AxisLabels(Grid2D grid, IReadOnlyList<string>? queryTokens, IReadOnlyList<string>? keyTokens,
        string gridName, string queryTokensName, string keyTokensName)
    {
        var queries = TokenLabels.ForAxis(queryTokens, grid.Rows, queryTokensName, gridName, grid.ShapeText, "rows");
        var keysSource = keyTokens ?? (queryTokens is not null && grid.Rows == grid.Columns ? queryTokens : null);
        var keys = TokenLabels.ForAxis(keysSource, grid.Columns, keyTokens is null && keysSource is not null ? queryTokensName : keyTokensName,
            gridName, grid.ShapeText, "columns");
        return (queries, keys);
    }

    /// <summary>The one heatmap trace every attention-shaped chart uses.</summary>
    internal static HeatmapTrace HeatmapTrace(Grid2D values, string[] queries, string[] keys, HeatmapScale scale, bool showValues) => new()
    {
        X = keys,
        Y = queries,
        Z = values.ToRows(), // [n_q][n_k]
        ColorScale = scale.ColorScale,
        ReverseScale = scale.Reverse ? true : null,
        ZMin = scale.Min,
        ZMax = scale.Max,
        ZMid = scale.Mid,
        XGap = 1,
        YGap = 1,
        TextTemplate = showValues ? $"%{{z:{TwoDecimalsOr(scale.ValueFormat)}}}" : null,
        HoverTemplate = $"query %{{y}} → key %{{x}}<br>{scale.ValueName} %{{z:{scale.ValueFormat}}}<extra></extra>",
    };

    /// <summary>Categorical axes with the first query at the top; height grows with the number of rows.</summary>
    internal static Layout HeatmapLayout(string? title, int rows) => new()
    {
        Title = title is null ? null : (Title)title,
        XAxis = new Axis { Type = "category", Title = "key (attended to)", AutoMargin = true, ShowGrid = false },
        YAxis = new Axis { Type = "category", Title = "query (attending)", AutoRange = "reversed", AutoMargin = true, ShowGrid = false },
        Height = Math.Clamp(200 + 40 * rows, 360, 900),
        Margin = new Margin { T = title is null ? 30 : 60 },
    };

    // Cell text stays short: three decimals crowd small cells.
    private static string TwoDecimalsOr(string format) => format == ".3f" ? ".2f" : format;
}
