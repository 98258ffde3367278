using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Course.Runner;

/// <summary>Why a notebook stopped: the cell that failed or timed out.</summary>
/// <param name="CellNumber">1-based position of the cell among all the notebook's cells (markdown included), as an editor shows it.</param>
/// <param name="CodeCellNumber">1-based position among the notebook's code cells.</param>
/// <param name="FirstLine">The cell's first non-empty line, to find it by eye.</param>
/// <param name="Error">The kernel's error message (compile diagnostics or the exception), or the timeout.</param>
/// <param name="TimedOut">True when the cell ran past the per-cell timeout.</param>
public sealed record CellFailure(int CellNumber, int CodeCellNumber, string FirstLine, string Error, bool TimedOut);

/// <summary>The outcome of running one notebook.</summary>
/// <param name="NotebookPath">The source notebook.</param>
/// <param name="CodeCells">How many code cells it has.</param>
/// <param name="CellsRun">How many code cells ran (all of them unless one failed).</param>
/// <param name="Elapsed">Wall time, kernel start included.</param>
/// <param name="Failure">The failing cell, or null when every cell passed.</param>
/// <param name="ExecutedPath">Where the executed copy was written, or null when none was.</param>
public sealed record NotebookResult(
    string NotebookPath,
    int CodeCells,
    int CellsRun,
    TimeSpan Elapsed,
    CellFailure? Failure,
    string? ExecutedPath)
{
    /// <summary>The executed notebook's JSON (the source notebook with outputs and execution counts patched in).</summary>
    public JsonObject? ExecutedNotebook { get; init; }

    /// <summary>The notebook's file name.</summary>
    public string Name => Path.GetFileName(NotebookPath);

    /// <summary>True when every code cell ran without error.</summary>
    public bool Passed => Failure is null;

    /// <summary>"passed", "failed at cell N" or "timed out at cell N".</summary>
    public string Status => Failure switch
    {
        null => "passed",
        { TimedOut: true } f => $"timed out at cell {f.CellNumber}",
        var f => $"failed at cell {f.CellNumber}",
    };

    /// <summary>A message naming the notebook, the cell (number and first line) and the error.</summary>
    public string Describe() => Failure is not { } f
        ? $"{Name}: {CellsRun}/{CodeCells} code cells passed"
        : $"{Name}, cell {f.CellNumber} (code cell {f.CodeCellNumber}), first line: {f.FirstLine}\n{f.Error}";
}

/// <summary>The outcome of running a list of notebooks.</summary>
public sealed record CourseRunResult(IReadOnlyList<NotebookResult> Notebooks)
{
    /// <summary>True when every notebook passed.</summary>
    public bool Passed => Notebooks.All(n => n.Passed);

    /// <summary>The summary table: notebook, cells, seconds, status.</summary>
    public string Table()
    {
        int nameWidth = Math.Max("notebook".Length, Notebooks.Select(n => n.Name.Length).DefaultIfEmpty(0).Max());
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"{"notebook".PadRight(nameWidth)}  {"cells",7}  {"seconds",8}  status");
        foreach (var n in Notebooks)
        {
            table.AppendLine(CultureInfo.InvariantCulture,
                $"{n.Name.PadRight(nameWidth)}  {$"{n.CellsRun}/{n.CodeCells}",7}  {n.Elapsed.TotalSeconds,8:F1}  {n.Status}");
        }

        int failed = Notebooks.Count(n => !n.Passed);
        table.AppendLine(CultureInfo.InvariantCulture,
            $"total: {Notebooks.Count - failed} passed, {failed} failed, {Notebooks.Sum(n => n.Elapsed.TotalSeconds):F1} s");
        return table.ToString();
    }
}
