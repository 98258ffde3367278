namespace Course.Charts;

public static partial class Chart
{
    /// <summary>
    /// Where one query token looks: a bar per key token with the query's weight on it, and a slider over the query
    /// tokens (one frame per row of <paramref name="weights"/>).
    /// </summary>
    /// <param name="weights">[n_q, n_k]; row i is drawn when the slider is at query i.</param>
    /// <param name="queryTokens">n_q labels (the slider's steps); null: positions.</param>
    /// <param name="keyTokens">n_k labels (the bars); null: <paramref name="queryTokens"/> when n_q = n_k, else positions.</param>
    /// <param name="initialQuery">Query shown first.</param>
    /// <param name="title">Prefix of each frame's title.</param>
    /// <param name="valueName">Name of a value on hover and on the y axis.</param>
    public static Figure QueryBars(Grid2D weights, IReadOnlyList<string>? queryTokens = null, IReadOnlyList<string>? keyTokens = null,
        int initialQuery = 0, string? title = null, string valueName = "weight")
    {
        ArgumentNullException.ThrowIfNull(weights);
        var (queries, keys) = AxisLabels(weights, queryTokens, keyTokens, nameof(weights), nameof(queryTokens), nameof(keyTokens));
        if (weights.Rows == 0) throw new ArgumentException($"weights has no query rows (shape {weights.ShapeText}); the slider needs at least one.", nameof(weights));
        if (initialQuery < 0 || initialQuery >= weights.Rows)
            throw new ArgumentOutOfRangeException(nameof(initialQuery), initialQuery, $"initialQuery must be a row of weights (shape {weights.ShapeText}).");

        var rows = weights.ToRows(); // [n_q][n_k]
        var finite = rows.SelectMany(r => r).Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        var yRange = new[] { Math.Min(0, finite.Min()), Math.Max(1, finite.Max()) * 1.1 }; // fixed, so frames compare
        var frames = new List<SliderFrame>();
        for (var q = 0; q < rows.Length; q++)
        {
            var bars = new BarTrace
            {
                X = keys,
                Y = rows[q],
                Name = queries[q],
                TextTemplate = "%{y:.2f}",
                TextPosition = "outside",
                HoverTemplate = $"key %{{x}}<br>{valueName} %{{y:.3f}}<extra></extra>",
            };
            var frameTitle = $"{(title is null ? "" : title + ": ")}where “{TokenLabels.Plain(queries[q])}” looks";
            frames.Add(new SliderFrame(queries[q], [bars], frameTitle));
        }
        var layout = new Layout
        {
            XAxis = new Axis { Type = "category", Title = "key (attended to)", AutoMargin = true },
            YAxis = new Axis { Title = valueName, Range = yRange },
            Height = 460,
            ShowLegend = false,
        };
        return Slider(frames, prefix: "query: ", active: initialQuery, layout: layout);
    }
}
