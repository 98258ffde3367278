using System.Text.Json;

namespace Course.Charts;

/// <summary>
/// A plotly.js figure: <c>{"data": [traces], "layout": {...}, "frames": [...], "config": {...}}</c>, the JSON that
/// <c>Plotly.newPlot</c> + <c>Plotly.addFrames</c> draw and that front ends read under the MIME type
/// <c>application/vnd.plotly.v1+json</c>. Build one with the <see cref="Chart"/> builders or by hand.
/// </summary>
public sealed class Figure
{
    public List<Trace> Data { get; set; } = [];
    public Layout Layout { get; set; } = new();
    /// <summary>Precomputed states for "animate" slider steps; null when the figure has none.</summary>
    public List<Frame>? Frames { get; set; }
    public Config Config { get; set; } = Config.Default();

    /// <summary>The plotly figure JSON.</summary>
    public string ToJson(bool indented = false) =>
        JsonSerializer.Serialize(this, indented ? PlotlyJson.IndentedOptions : PlotlyJson.Options);

    /// <summary>Figure JSON (so a Figure printed as text is still useful).</summary>
    public override string ToString() => ToJson();
}
