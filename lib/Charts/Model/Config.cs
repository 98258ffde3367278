namespace Course.Charts;

/// <summary>plotly's config: how the chart behaves in the page (not what it shows).</summary>
public sealed class Config : PlotlyObject
{
    /// <summary>Resize with the container.</summary>
    public bool? Responsive { get; set; }
    /// <summary>false hides the plotly logo in the mode bar.</summary>
    public bool? DisplayLogo { get; set; }
    /// <summary>null: show the mode bar on hover; false: never.</summary>
    public bool? DisplayModeBar { get; set; }
    public bool? ScrollZoom { get; set; }
    /// <summary>No interaction at all.</summary>
    public bool? StaticPlot { get; set; }

    /// <summary>The course's default: responsive, no logo.</summary>
    public static Config Default() => new() { Responsive = true, DisplayLogo = false };
}
