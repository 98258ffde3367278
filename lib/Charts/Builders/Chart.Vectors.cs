namespace Course.Charts;

public static partial class Chart
{
    private static readonly string[] ArrowPalette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

    /// <summary>
    /// 2-D vectors as arrows from the origin, on equal axes so lengths and angles are true (for dot products:
    /// aligned arrows give large products, perpendicular ones zero, opposite ones negative).
    /// </summary>
    /// <param name="arrows">At least one; finite coordinates.</param>
    /// <param name="title">Figure title (e.g. the dot product the arrows illustrate).</param>
    public static Figure Vectors(IReadOnlyList<Arrow2D> arrows, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(arrows);
        if (arrows.Count == 0) throw new ArgumentException("arrows is empty; give at least one vector.", nameof(arrows));
        for (var i = 0; i < arrows.Count; i++)
            if (arrows[i] is not { } a || !double.IsFinite(a.X) || !double.IsFinite(a.Y))
                throw new ArgumentException($"arrows[{i}] must be a vector with finite coordinates.", nameof(arrows));

        var reach = Math.Max(1e-9, arrows.Max(a => Math.Max(Math.Abs(a.X), Math.Abs(a.Y)))) * 1.25;
        var colors = arrows.Select((a, i) => a.Color ?? ArrowPalette[i % ArrowPalette.Length]).ToArray();
        var layout = new Layout
        {
            Title = title is null ? null : (Title)title,
            XAxis = new Axis { Range = [-reach, reach], ZeroLine = true },
            YAxis = new Axis { Range = [-reach, reach], ZeroLine = true, ScaleAnchor = "x", ScaleRatio = 1 },
            Height = 480,
            ShowLegend = false,
            Annotations = [.. arrows.Select((a, i) => new Annotation
            {
                X = a.X, Y = a.Y, XRef = "x", YRef = "y",
                AX = 0, AY = 0, AXRef = "x", AYRef = "y",
                ShowArrow = true, ArrowHead = 2, ArrowSize = 1.2, ArrowWidth = 2.5, ArrowColor = colors[i],
                Text = "",
            })],
        };
        var tips = new ScatterTrace
        {
            X = arrows.Select(a => a.X).ToArray(),
            Y = arrows.Select(a => a.Y).ToArray(),
            Text = arrows.Select(a => a.Name).ToArray(),
            Mode = "markers+text",
            TextPosition = "top center",
            HoverTemplate = "%{text} = (%{x:.3f}, %{y:.3f})<extra></extra>",
            Name = "vectors",
        };
        tips.Set("marker", new Dictionary<string, object?> { ["size"] = 6, ["color"] = colors }); // one color per arrow
        return new Figure { Data = [tips], Layout = layout };
    }
}
