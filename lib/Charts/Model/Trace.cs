using System.Text.Json.Serialization;

namespace Course.Charts;

/// <summary>
/// One trace of a figure. The JSON carries plotly's <c>"type"</c> first ("heatmap", "scatter", "bar", "histogram").
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(HeatmapTrace), "heatmap")]
[JsonDerivedType(typeof(ScatterTrace), "scatter")]
[JsonDerivedType(typeof(BarTrace), "bar")]
[JsonDerivedType(typeof(HistogramTrace), "histogram")]
public abstract class Trace : PlotlyObject
{
    public string? Name { get; set; }
    public bool? ShowLegend { get; set; }
    public string? LegendGroup { get; set; }
    public bool? Visible { get; set; }
    public double? Opacity { get; set; }

    /// <summary>The x axis this trace is drawn on: "x" (default), "x2", "x3"… (see <see cref="AxisId"/>).</summary>
    public string? XAxis { get; set; }

    /// <summary>The y axis this trace is drawn on: "y" (default), "y2", "y3"…</summary>
    public string? YAxis { get; set; }

    /// <summary>plotly hover template, e.g. "%{x}: %{y:.3f}&lt;extra&gt;&lt;/extra&gt;".</summary>
    public string? HoverTemplate { get; set; }

    /// <summary>A copy whose own attributes can change without touching this trace (arrays inside are shared).</summary>
    public Trace ShallowCopy()
    {
        var copy = (Trace)MemberwiseClone();
        copy.Extra = Extra is null ? null : new Dictionary<string, object?>(Extra);
        return copy;
    }
}

/// <summary>A grid of colored cells: <see cref="Z"/>[row][column] with row i at y label i and column j at x label j.</summary>
public sealed class HeatmapTrace : Trace
{
    /// <summary>One label per column of <see cref="Z"/>.</summary>
    public DataArray? X { get; set; }
    /// <summary>One label per row of <see cref="Z"/>.</summary>
    public DataArray? Y { get; set; }
    /// <summary>[rows][columns].</summary>
    public double[][]? Z { get; set; }
    public ColorScale? ColorScale { get; set; }
    public bool? ReverseScale { get; set; }
    public double? ZMin { get; set; }
    public double? ZMax { get; set; }
    public double? ZMid { get; set; }
    public bool? ShowScale { get; set; }
    public ColorBar? ColorBar { get; set; }
    /// <summary>"coloraxis" to share <see cref="Layout.ColorAxis"/> with other traces (then ZMin/ZMax/ColorScale are ignored).</summary>
    public string? ColorAxis { get; set; }
    /// <summary>Gap between cells in pixels.</summary>
    public double? XGap { get; set; }
    public double? YGap { get; set; }
    /// <summary>Per-cell text [rows][columns], available to templates as %{text}.</summary>
    public string[][]? Text { get; set; }
    /// <summary>Text drawn inside each cell, e.g. "%{z:.2f}".</summary>
    public string? TextTemplate { get; set; }
    public Font? TextFont { get; set; }
    public bool? HoverOnGaps { get; set; }
}

/// <summary>Points and lines (plotly "scatter").</summary>
public sealed class ScatterTrace : Trace
{
    public DataArray? X { get; set; }
    public DataArray? Y { get; set; }
    /// <summary>"lines", "markers", "lines+markers", "markers+text", "text".</summary>
    public string? Mode { get; set; }
    public Line? Line { get; set; }
    public Marker? Marker { get; set; }
    public string[]? Text { get; set; }
    /// <summary>"top center", "middle right"…</summary>
    public string? TextPosition { get; set; }
    public Font? TextFont { get; set; }
    /// <summary>"none", "tozeroy", "tonexty"…</summary>
    public string? Fill { get; set; }
}

public sealed class BarTrace : Trace
{
    public DataArray? X { get; set; }
    public DataArray? Y { get; set; }
    /// <summary>"v" (default, bars go up) or "h".</summary>
    public string? Orientation { get; set; }
    public Marker? Marker { get; set; }
    public string[]? Text { get; set; }
    public string? TextTemplate { get; set; }
    /// <summary>"inside", "outside", "auto", "none".</summary>
    public string? TextPosition { get; set; }
}

/// <summary>plotly bins <see cref="X"/> itself; give <see cref="XBins"/> to fix the bins.</summary>
public sealed class HistogramTrace : Trace
{
    public DataArray? X { get; set; }
    public int? NBinsX { get; set; }
    public Bins? XBins { get; set; }
    /// <summary>"" (counts), "percent", "probability", "density", "probability density".</summary>
    public string? HistNorm { get; set; }
    public Marker? Marker { get; set; }
}
