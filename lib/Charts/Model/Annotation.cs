namespace Course.Charts;

/// <summary>
/// Text, an arrow, or both, placed on the figure. With <see cref="XRef"/>/<see cref="YRef"/> = "paper" the
/// coordinates are fractions of the figure; with "x"/"y" they are data coordinates.
/// An arrow points from (<see cref="AX"/>, <see cref="AY"/>) to (<see cref="X"/>, <see cref="Y"/>);
/// set <see cref="AXRef"/>/<see cref="AYRef"/> to "x"/"y" to give the tail in data coordinates too.
/// </summary>
public sealed class Annotation : PlotlyObject
{
    public string? Text { get; set; }
    public double? X { get; set; }
    public double? Y { get; set; }
    public string? XRef { get; set; }
    public string? YRef { get; set; }
    public string? XAnchor { get; set; }
    public string? YAnchor { get; set; }
    public bool? ShowArrow { get; set; }
    public double? AX { get; set; }
    public double? AY { get; set; }
    public string? AXRef { get; set; }
    public string? AYRef { get; set; }
    /// <summary>Arrow head style 0..8.</summary>
    public int? ArrowHead { get; set; }
    public double? ArrowSize { get; set; }
    public double? ArrowWidth { get; set; }
    public string? ArrowColor { get; set; }
    public Font? Font { get; set; }
}

/// <summary>A line, rectangle or circle drawn on the figure (layout.shapes).</summary>
public sealed class Shape : PlotlyObject
{
    /// <summary>"line", "rect", "circle".</summary>
    public string? Type { get; set; }
    public double? X0 { get; set; }
    public double? Y0 { get; set; }
    public double? X1 { get; set; }
    public double? Y1 { get; set; }
    public string? XRef { get; set; }
    public string? YRef { get; set; }
    public Line? Line { get; set; }
    public string? FillColor { get; set; }
    public double? Opacity { get; set; }
    /// <summary>"above" or "below" the traces.</summary>
    public string? Layer { get; set; }
}
