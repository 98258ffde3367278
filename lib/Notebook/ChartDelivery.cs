using Course.Charts;

namespace Course.Notebook;

/// <summary>Where notebook charts get plotly.js from.</summary>
public enum ChartSource
{
    /// <summary>The public CDN (default): light notebooks, needs the internet when a chart is drawn.</summary>
    Cdn,

    /// <summary>The local plotly.min.js, inlined into the first chart after <see cref="CourseNotebook.UseOfflineCharts"/>; later charts reuse it.</summary>
    Offline,
}

/// <summary>
/// The session state behind the figure formatter: which source is in use and whether the offline library has already
/// been written into an output. Offline, plotly.js (≈3.6 MB) goes into exactly one output per call of
/// <see cref="CourseNotebook.UseOfflineCharts"/>; every later chart waits for that copy (window.Plotly).
/// </summary>
internal static class ChartDelivery
{
    private static readonly object Gate = new();
    private static string? _offlineScript;
    private static bool _offlineScriptWritten;

    public static ChartSource Source { get; private set; } = ChartSource.Cdn;

    public static string? OfflineScriptPath { get; private set; }

    public static void UseCdn()
    {
        lock (Gate) Source = ChartSource.Cdn;
    }

    public static void UseOffline(string scriptPath, string script)
    {
        lock (Gate)
        {
            Source = ChartSource.Offline;
            OfflineScriptPath = scriptPath;
            _offlineScript = script;
            _offlineScriptWritten = false; // the next chart carries the library again (the learner may have cleared outputs)
        }
    }

    /// <summary>How the next chart's HTML loads plotly.js; offline, the first call inlines the library and later calls wait for it.</summary>
    public static PlotlyLoading NextLoading()
    {
        lock (Gate)
        {
            if (Source == ChartSource.Cdn)
                return PlotlyLoading.FromCdn() with
                {
                    MissingHint = "No network? Run CourseNotebook.UseOfflineCharts() and run this cell again.",
                };
            if (!_offlineScriptWritten)
            {
                _offlineScriptWritten = true;
                return PlotlyLoading.Inline(_offlineScript!);
            }
            return PlotlyLoading.AlreadyLoaded() with
            {
                MissingHint = "Offline charts reuse the plotly.js inlined into the first chart after CourseNotebook.UseOfflineCharts(); " +
                              "call CourseNotebook.UseOfflineCharts() again and run this cell again.",
            };
        }
    }
}
