namespace Course.Charts;

/// <summary>Where a figure's HTML gets plotly.js from.</summary>
public enum PlotlyLoadingKind
{
    /// <summary>Load it from a URL (the public CDN, or the site's own copy) once per page.</summary>
    Url,

    /// <summary>Carry the whole library in the HTML (≈3.6 MB): works with no network at all.</summary>
    Inline,

    /// <summary>Rely on an earlier output or page script to provide window.Plotly; wait for it.</summary>
    AlreadyLoaded,
}

/// <summary>
/// How the HTML of a figure obtains plotly.js. Every figure waits for <c>window.Plotly</c>, so figures drawn in any
/// order share one copy; only the loading differs.
/// </summary>
public sealed record PlotlyLoading
{
    private PlotlyLoading(PlotlyLoadingKind kind, string? url, string? script)
    {
        Kind = kind;
        Url = url;
        Script = script;
    }

    public PlotlyLoadingKind Kind { get; }

    /// <summary>For <see cref="PlotlyLoadingKind.Url"/>.</summary>
    public string? Url { get; }

    /// <summary>The plotly.min.js source, for <see cref="PlotlyLoadingKind.Inline"/>.</summary>
    public string? Script { get; }

    /// <summary>Shown in place of the figure when plotly.js never arrives.</summary>
    public string MissingHint { get; init; } = "Check the network, or load plotly.js from a local copy.";

    /// <summary>plotly.js <see cref="FigureHtml.PlotlyVersion"/> from the public CDN (needs the internet when viewed).</summary>
    public static PlotlyLoading FromCdn() => FromUrl(FigureHtml.CdnUrl);

    /// <summary>plotly.js from <paramref name="url"/>, e.g. a site's relative "assets/plotly.min.js".</summary>
    public static PlotlyLoading FromUrl(string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        return new(PlotlyLoadingKind.Url, url, null);
    }

    /// <summary>The given plotly.min.js source, inlined.</summary>
    public static PlotlyLoading Inline(string plotlyScript)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(plotlyScript);
        return new(PlotlyLoadingKind.Inline, null, plotlyScript);
    }

    /// <summary>Provided by the page or an earlier output.</summary>
    public static PlotlyLoading AlreadyLoaded() => new(PlotlyLoadingKind.AlreadyLoaded, null, null);
}
