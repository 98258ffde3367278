namespace Course.Charts;

/// <summary>
/// A precomputed state of the figure for animations and "animate" slider steps. <see cref="Data"/>[i] replaces
/// the figure's trace <see cref="Traces"/>[i] (or trace i when <see cref="Traces"/> is null); <see cref="Layout"/>
/// holds only the layout attributes that change (often just the title).
/// </summary>
public sealed class Frame : PlotlyObject
{
    /// <summary>Unique within the figure; slider steps name it in their args.</summary>
    public string? Name { get; set; }
    public string? Group { get; set; }
    public List<Trace> Data { get; set; } = [];
    public int[]? Traces { get; set; }
    public Layout? Layout { get; set; }
}
