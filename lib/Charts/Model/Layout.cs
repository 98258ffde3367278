using System.Text.Json.Serialization;

namespace Course.Charts;

/// <summary>
/// Everything around the traces: titles, axes, subplots, annotations, shapes, sliders, size.
/// Axes beyond the first (xaxis2, yaxis3…) go through <see cref="SetXAxis"/>/<see cref="SetYAxis"/>.
/// </summary>
public sealed class Layout : PlotlyObject
{
    public Title? Title { get; set; }
    public Axis? XAxis { get; set; }
    public Axis? YAxis { get; set; }
    /// <summary>Pixels; null lets the container decide the width (responsive).</summary>
    public int? Width { get; set; }
    public int? Height { get; set; }
    public Margin? Margin { get; set; }
    public Font? Font { get; set; }
    public bool? ShowLegend { get; set; }
    public Legend? Legend { get; set; }
    public List<Annotation>? Annotations { get; set; }
    public List<Shape>? Shapes { get; set; }
    public List<Slider>? Sliders { get; set; }
    public List<UpdateMenu>? UpdateMenus { get; set; }
    /// <summary>Shared color scale for traces whose ColorAxis is "coloraxis".</summary>
    public ColorAxis? ColorAxis { get; set; }
    /// <summary>"group", "overlay", "stack".</summary>
    public string? BarMode { get; set; }
    /// <summary>"closest", "x", "x unified", false-like "none"…</summary>
    public string? HoverMode { get; set; }

    [JsonPropertyName("plot_bgcolor")]
    public string? PlotBackgroundColor { get; set; }

    [JsonPropertyName("paper_bgcolor")]
    public string? PaperBackgroundColor { get; set; }

    /// <summary>Set x axis <paramref name="index"/> (1 = <see cref="XAxis"/>, 2 = layout.xaxis2…).</summary>
    public void SetXAxis(int index, Axis axis) => SetAxis('x', index, axis);

    /// <summary>Set y axis <paramref name="index"/> (1 = <see cref="YAxis"/>, 2 = layout.yaxis2…).</summary>
    public void SetYAxis(int index, Axis axis) => SetAxis('y', index, axis);

    /// <summary>x axis <paramref name="index"/>, or null when not set.</summary>
    public Axis? GetXAxis(int index) => index == 1 ? XAxis : Get(AxisId.LayoutKey('x', index)) as Axis;

    /// <summary>y axis <paramref name="index"/>, or null when not set.</summary>
    public Axis? GetYAxis(int index) => index == 1 ? YAxis : Get(AxisId.LayoutKey('y', index)) as Axis;

    /// <summary>A copy whose lists and extra attributes can change without touching this layout (the parts inside are shared).</summary>
    public Layout ShallowCopy()
    {
        var copy = (Layout)MemberwiseClone();
        copy.Annotations = Annotations is null ? null : [.. Annotations];
        copy.Shapes = Shapes is null ? null : [.. Shapes];
        copy.Sliders = Sliders is null ? null : [.. Sliders];
        copy.UpdateMenus = UpdateMenus is null ? null : [.. UpdateMenus];
        copy.Extra = Extra is null ? null : new Dictionary<string, object?>(Extra);
        return copy;
    }

    private void SetAxis(char letter, int index, Axis axis)
    {
        ArgumentNullException.ThrowIfNull(axis);
        if (index == 1)
        {
            if (letter == 'x') XAxis = axis; else YAxis = axis;
            return;
        }
        Set(AxisId.LayoutKey(letter, index), axis);
    }
}
