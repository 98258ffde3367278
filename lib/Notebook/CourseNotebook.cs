using System.Reflection;
using System.Runtime.InteropServices;
using Attention;
using Course.Charts;

namespace Course.Notebook;

/// <summary>
/// The first cell of every notebook: <c>CourseNotebook.Start();</c> registers the course's formatters (figures,
/// attention results, matrices, exercise checks) and prints what the notebook runs on.
/// </summary>
public static class CourseNotebook
{
    /// <summary>Register the formatters and print the environment check.</summary>
    /// <param name="offlineCharts">Inline the local plotly.js instead of using the CDN (see <see cref="UseOfflineCharts"/>).</param>
    public static void Start(bool offlineCharts = false)
    {
        CourseFormatters.Register();
        if (offlineCharts) UseOfflineCharts(); // prints its own line
        Console.WriteLine(EnvironmentReport());
    }

    /// <summary>
    /// Draw charts with no network: the next chart carries the local plotly.min.js (≈3.6 MB, once), later charts reuse it.
    /// Call again after clearing outputs or restarting the front end.
    /// </summary>
    /// <param name="plotlyScriptPath">A plotly.min.js to use; null: the copy next to the course DLLs (or the repository's npm folder).</param>
    /// <exception cref="FileNotFoundException">No plotly.min.js was found.</exception>
    public static void UseOfflineCharts(string? plotlyScriptPath = null)
    {
        var path = PlotlyScriptLocator.Find(plotlyScriptPath);
        ChartDelivery.UseOffline(path, File.ReadAllText(path));
        Console.WriteLine($"Charts: offline; the next chart carries plotly.js from {path} ({new FileInfo(path).Length / 1e6:0.0} MB, once), later charts reuse it.");
    }

    /// <summary>Load plotly.js from the public CDN (the default).</summary>
    public static void UseOnlineCharts() => ChartDelivery.UseCdn();

    /// <summary>Where charts get plotly.js from now.</summary>
    public static ChartSource ChartSource => ChartDelivery.Source;

    /// <summary>The folder the course DLLs were loaded from (artifacts/course-lib for notebooks).</summary>
    public static string CourseLibDirectory
    {
        get
        {
            var location = typeof(CourseNotebook).Assembly.Location;
            return string.IsNullOrEmpty(location) ? AppContext.BaseDirectory : Path.GetDirectoryName(location)!;
        }
    }

    /// <summary>Display several values from one cell, each with its formatter (figures, matrices, text…), in order.</summary>
    public static void Show(params object?[] values)
    {
        foreach (var value in values) (value ?? "null").Display();
    }

    /// <summary>The environment check <see cref="Start"/> prints.</summary>
    public static string EnvironmentReport()
    {
        var charts = ChartDelivery.Source == ChartSource.Cdn
            ? $"plotly.js {FigureHtml.PlotlyVersion} from the CDN (offline? call CourseNotebook.UseOfflineCharts())"
            : $"plotly.js {FigureHtml.PlotlyVersion} inlined from {ChartDelivery.OfflineScriptPath}";
        return string.Join(Environment.NewLine,
            $"Attention course library {Version(typeof(AttentionResult).Assembly)} from {CourseLibDirectory}",
            $"{RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription} ({RuntimeInformation.ProcessArchitecture})",
            SimdSupport.Describe(),
            "Charts: " + charts);
    }

    private static string Version(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString() ?? "?";
    }
}
