namespace Course.Charts;

/// <summary>
/// One position of a slider figure: its label on the slider, the traces it shows and an optional title.
/// <see cref="From"/> takes them from a figure built by another builder, so any chart becomes a slider frame.
/// </summary>
public sealed record SliderFrame(string Label, IReadOnlyList<Trace> Traces, string? Title = null)
{
    /// <summary>The layout of the figure this frame came from; <c>Chart.Slider</c> uses the active frame's as the base.</summary>
    public Layout? Layout { get; init; }

    /// <summary>A frame showing <paramref name="figure"/>'s traces and title.</summary>
    public static SliderFrame From(string label, Figure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        return new SliderFrame(label, figure.Data, figure.Layout.Title?.Text) { Layout = figure.Layout };
    }
}

/// <summary>How a slider figure switches frames.</summary>
public enum SliderMethod
{
    /// <summary>plotly frames + "animate" steps: the figure holds the active frame's traces, each frame is stored once.</summary>
    Animate,

    /// <summary>All frames' traces in the figure, "update" steps toggle their visibility (and the title). Works where animation does not.</summary>
    Update,
}
