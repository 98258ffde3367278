namespace Course.Charts;

/// <summary>
/// How heatmap values map to colors and how hover shows them. <see cref="Min"/>/<see cref="Max"/> null = from the data.
/// </summary>
/// <param name="Min">Value drawn with the scale's first color (null: smallest value).</param>
/// <param name="Max">Value drawn with the scale's last color (null: largest value).</param>
/// <param name="ColorScale">plotly scale name or explicit stops.</param>
/// <param name="ValueName">What a value is, shown on hover and on the color bar ("weight", "score").</param>
/// <param name="ValueFormat">d3 format for hover and cell text (".3f", ".2e").</param>
public sealed record HeatmapScale(double? Min, double? Max, ColorScale ColorScale, string ValueName, string ValueFormat = ".3f")
{
    /// <summary>Value placed at the middle of the scale (diverging scales: 0).</summary>
    public double? Mid { get; init; }

    /// <summary>Flip the color scale.</summary>
    public bool Reverse { get; init; }

    // Explicit stops: plotly.js's own "Blues" runs from dark to light, which would paint zero weight darkest.
    private static readonly ColorScale WhiteToBlue = ColorScale.FromStops((0, "#f7fbff"), (0.25, "#c6dbef"), (0.5, "#6baed6"), (0.75, "#2171b5"), (1, "#08306b"));
    private static readonly ColorScale BlueWhiteRed = ColorScale.FromStops((0, "#2166ac"), (0.25, "#92c5de"), (0.5, "#f7f7f7"), (0.75, "#f4a582"), (1, "#b2182b"));

    /// <summary>Attention weights: 0 (white) to 1 (dark blue), fixed so heatmaps compare.</summary>
    public static HeatmapScale Weights { get; } = new(0, 1, WhiteToBlue, "weight");

    /// <summary>Raw scores or logits: negative blue, 0 white, positive red; range from the data.</summary>
    public static HeatmapScale Scores { get; } = new(null, null, BlueWhiteRed, "score") { Mid = 0 };

    /// <summary>Any values, range from the data.</summary>
    public static HeatmapScale Values(string valueName = "value") => new(null, null, "Viridis", valueName);
}
