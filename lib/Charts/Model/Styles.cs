namespace Course.Charts;

// Small attribute groups shared by traces and layout. Property names are plotly's, lower-cased on output
// (see PlotlyJson): ColorScale -> "colorscale", ZMin -> "zmin".

/// <summary>A title (figure, axis, color bar). A string converts implicitly.</summary>
public sealed class Title : PlotlyObject
{
    public string? Text { get; set; }
    public Font? Font { get; set; }
    /// <summary>Horizontal position in [0, 1] of the container.</summary>
    public double? X { get; set; }
    public string? XAnchor { get; set; }
    public static implicit operator Title(string text) => new() { Text = text };
}

public sealed class Font : PlotlyObject
{
    public double? Size { get; set; }
    public string? Color { get; set; }
    public string? Family { get; set; }
}

public sealed class Line : PlotlyObject
{
    public string? Color { get; set; }
    public double? Width { get; set; }
    /// <summary>"solid", "dot", "dash", "longdash", "dashdot".</summary>
    public string? Dash { get; set; }
    /// <summary>"linear", "spline", "hv" (steps)…</summary>
    public string? Shape { get; set; }
}

public sealed class Marker : PlotlyObject
{
    public string? Color { get; set; }
    public double? Size { get; set; }
    /// <summary>"circle", "square", "x", "triangle-up"…</summary>
    public string? Symbol { get; set; }
    public double? Opacity { get; set; }
    public Line? Line { get; set; }
}

/// <summary>Space around the plotting area, in pixels.</summary>
public sealed class Margin : PlotlyObject
{
    public int? L { get; set; }
    public int? R { get; set; }
    public int? T { get; set; }
    public int? B { get; set; }
    public int? Pad { get; set; }
}

/// <summary>Padding of sliders and menus, in pixels.</summary>
public sealed class Pad : PlotlyObject
{
    public int? T { get; set; }
    public int? B { get; set; }
    public int? L { get; set; }
    public int? R { get; set; }
}

public sealed class ColorBar : PlotlyObject
{
    public Title? Title { get; set; }
    /// <summary>Thickness in pixels.</summary>
    public double? Thickness { get; set; }
    /// <summary>Length as a fraction of the plot height.</summary>
    public double? Len { get; set; }
    public double? X { get; set; }
    public double? Y { get; set; }
}

/// <summary>
/// A color scale shared by several traces (layout.coloraxis): every heatmap whose <c>ColorAxis</c> is "coloraxis"
/// uses the same <see cref="CMin"/>..<see cref="CMax"/>, so colors compare across subplots.
/// </summary>
public sealed class ColorAxis : PlotlyObject
{
    public double? CMin { get; set; }
    public double? CMax { get; set; }
    public double? CMid { get; set; }
    public ColorScale? ColorScale { get; set; }
    public bool? ReverseScale { get; set; }
    public bool? ShowScale { get; set; }
    public ColorBar? ColorBar { get; set; }
}

/// <summary>Explicit histogram bins: [Start, End) in steps of Size.</summary>
public sealed class Bins : PlotlyObject
{
    public double? Start { get; set; }
    public double? End { get; set; }
    public double? Size { get; set; }
}

public sealed class Legend : PlotlyObject
{
    public double? X { get; set; }
    public double? Y { get; set; }
    public string? XAnchor { get; set; }
    public string? YAnchor { get; set; }
    /// <summary>"v" or "h".</summary>
    public string? Orientation { get; set; }
}
