namespace Course.Charts;

/// <summary>
/// A slider under the plot (layout.sliders). Each step runs a plotly method when chosen:
/// "animate" (show a precomputed <see cref="Frame"/>), "restyle" (change trace attributes), "update"
/// (change trace and layout attributes) or "relayout". Everything runs in the browser: no kernel needed.
/// </summary>
public sealed class Slider : PlotlyObject
{
    /// <summary>Index of the step shown first.</summary>
    public int? Active { get; set; }
    public List<SliderStep> Steps { get; set; } = [];
    public SliderCurrentValue? CurrentValue { get; set; }
    public Pad? Pad { get; set; }
    /// <summary>Length as a fraction of the figure width.</summary>
    public double? Len { get; set; }
    public double? X { get; set; }
    public double? Y { get; set; }
    public string? XAnchor { get; set; }
    public string? YAnchor { get; set; }
}

/// <summary>
/// One slider position. <see cref="Args"/> are the arguments of <see cref="Method"/>:
/// animate: <c>[[frameName], AnimationOptions]</c>; restyle: <c>[{attribute: value or per-trace array}, traceIndices?]</c>;
/// update: <c>[{trace attributes}, {layout attributes}, traceIndices?]</c>.
/// </summary>
public sealed class SliderStep : PlotlyObject
{
    public string? Label { get; set; }
    public string? Method { get; set; }
    public List<object?> Args { get; set; } = [];

    /// <summary>Jump to the frame named <paramref name="frameName"/> at once (heatmaps need a redraw).</summary>
    public static SliderStep Animate(string label, string frameName) => new()
    {
        Label = label,
        Method = "animate",
        Args = [new[] { frameName }, AnimationOptions.Immediate()],
    };

    /// <summary>Change trace attributes; an array value gives one value per trace (wrap data arrays: <c>{"y": [[1, 2]]}</c>).</summary>
    public static SliderStep Restyle(string label, IDictionary<string, object?> traceChanges, int[]? traceIndices = null) => new()
    {
        Label = label,
        Method = "restyle",
        Args = traceIndices is null ? [traceChanges] : [traceChanges, traceIndices],
    };

    /// <summary>Change trace attributes and layout attributes together (e.g. which traces are visible and the title).</summary>
    public static SliderStep Update(string label, IDictionary<string, object?> traceChanges, IDictionary<string, object?> layoutChanges) => new()
    {
        Label = label,
        Method = "update",
        Args = [traceChanges, layoutChanges],
    };
}

public sealed class SliderCurrentValue : PlotlyObject
{
    /// <summary>Text before the current step's label, e.g. "temperature = ".</summary>
    public string? Prefix { get; set; }
    public bool? Visible { get; set; }
    public string? XAnchor { get; set; }
    public Font? Font { get; set; }
}

/// <summary>Buttons above or beside the plot (layout.updatemenus), e.g. Play/Pause for an animation.</summary>
public sealed class UpdateMenu : PlotlyObject
{
    /// <summary>"buttons" or "dropdown".</summary>
    public string? Type { get; set; }
    /// <summary>"left", "right", "up", "down".</summary>
    public string? Direction { get; set; }
    public bool? ShowActive { get; set; }
    public double? X { get; set; }
    public double? Y { get; set; }
    public string? XAnchor { get; set; }
    public string? YAnchor { get; set; }
    public Pad? Pad { get; set; }
    public List<MenuButton> Buttons { get; set; } = [];
}

public sealed class MenuButton : PlotlyObject
{
    public string? Label { get; set; }
    public string? Method { get; set; }
    public List<object?> Args { get; set; } = [];
}

/// <summary>The options argument of plotly's animate method.</summary>
public sealed class AnimationOptions : PlotlyObject
{
    /// <summary>"immediate" interrupts a running animation (what a slider wants); "next", "afterall".</summary>
    public string? Mode { get; set; }
    public FrameTiming? Frame { get; set; }
    public TransitionTiming? Transition { get; set; }
    /// <summary>Play from the current frame rather than the first.</summary>
    public bool? FromCurrent { get; set; }

    /// <summary>Show the frame at once, redrawn (heatmaps and bars change data, so they need the redraw).</summary>
    public static AnimationOptions Immediate() => new()
    {
        Mode = "immediate",
        Frame = new FrameTiming { Duration = 0, Redraw = true },
        Transition = new TransitionTiming { Duration = 0 },
    };
}

public sealed class FrameTiming : PlotlyObject
{
    /// <summary>Milliseconds each frame stays.</summary>
    public double? Duration { get; set; }
    public bool? Redraw { get; set; }
}

public sealed class TransitionTiming : PlotlyObject
{
    public double? Duration { get; set; }
    /// <summary>"linear", "cubic-in-out"…</summary>
    public string? Easing { get; set; }
}
