namespace Course.Charts;

/// <summary>One axis of the layout (layout.xaxis, layout.yaxis2…).</summary>
public sealed class Axis : PlotlyObject
{
    public Title? Title { get; set; }
    /// <summary>"linear", "log", "category".</summary>
    public string? Type { get; set; }
    /// <summary>"reversed" draws the axis backwards (first heatmap row at the top); null lets plotly choose the range.</summary>
    public string? AutoRange { get; set; }
    /// <summary>Fixed [min, max]; on a log axis, in log10 units (plotly's convention).</summary>
    public double[]? Range { get; set; }
    /// <summary>[start, end] fraction of the figure this axis spans (subplot grids).</summary>
    public double[]? Domain { get; set; }
    /// <summary>The axis this one is anchored to ("y2" for xaxis2…).</summary>
    public string? Anchor { get; set; }
    /// <summary>Make one unit of this axis as long as one unit of the named axis ("x"): square cells, true angles.</summary>
    public string? ScaleAnchor { get; set; }
    public double? ScaleRatio { get; set; }
    /// <summary>"range" or "domain": what shrinks to honour <see cref="ScaleAnchor"/>.</summary>
    public string? Constrain { get; set; }
    public double? TickAngle { get; set; }
    public DataArray? TickVals { get; set; }
    public string[]? TickText { get; set; }
    /// <summary>d3 format of tick labels, e.g. ".2f", "~s".</summary>
    public string? TickFormat { get; set; }
    public double? DTick { get; set; }
    public Font? TickFont { get; set; }
    public bool? ShowTickLabels { get; set; }
    public bool? ShowGrid { get; set; }
    public bool? ZeroLine { get; set; }
    /// <summary>"bottom"/"top" for x axes, "left"/"right" for y axes.</summary>
    public string? Side { get; set; }
    public bool? AutoMargin { get; set; }
    /// <summary>"array" to order categories as <see cref="CategoryArray"/>.</summary>
    public string? CategoryOrder { get; set; }
    public string[]? CategoryArray { get; set; }
    /// <summary>Make this axis zoom and pan with another ("x", "y2"…).</summary>
    public string? Matches { get; set; }
}

/// <summary>plotly axis names: axis 1 is "x"/"xaxis", axis 2 is "x2"/"xaxis2", and so on.</summary>
public static class AxisId
{
    /// <summary>The reference a trace or annotation uses: "x", "x2"…</summary>
    public static string X(int index) => Ref("x", index);
    /// <summary>The reference a trace or annotation uses: "y", "y2"…</summary>
    public static string Y(int index) => Ref("y", index);

    /// <summary>The layout key: "xaxis", "xaxis2"… (or "yaxis…").</summary>
    public static string LayoutKey(char letter, int index) => Ref(letter + "axis", index);

    private static string Ref(string stem, int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        return index == 1 ? stem : stem + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
