using System.Globalization;

namespace Course.Runner;

/// <summary>Progress lines while notebooks run: "[i/N] name  cell j/M  12.3 s".</summary>
internal sealed class ProgressPrinter(TextWriter? output, string notebookName, (int Index, int Count) position, int codeCells)
{
    private string Prefix => $"[{position.Index}/{position.Count}] {notebookName}";

    public void CellStarted(int codeCell, TimeSpan notebookElapsed) =>
        Write($"{Prefix}  cell {codeCell}/{codeCells}  {notebookElapsed.TotalSeconds:F1} s");

    public void StillRunning(int codeCell, TimeSpan cellElapsed, TimeSpan notebookElapsed) =>
        Write($"{Prefix}  cell {codeCell}/{codeCells} still running: {cellElapsed.TotalSeconds:F0} s in this cell, {notebookElapsed.TotalSeconds:F0} s in the notebook");

    public void Finished(NotebookResult result)
    {
        Write($"{Prefix}  {result.Status} in {result.Elapsed.TotalSeconds:F1} s");
        if (result.Failure is { } failure)
        {
            Write($"  FAILED {result.Name}, cell {failure.CellNumber} (code cell {failure.CodeCellNumber}): {failure.FirstLine}");
            foreach (var line in failure.Error.ReplaceLineEndings("\n").Split('\n').Take(12))
            {
                Write($"    {line}");
            }
        }
    }

    private void Write(FormattableString line)
    {
        if (output is null)
        {
            return;
        }

        lock (output)
        {
            output.WriteLine(line.ToString(CultureInfo.InvariantCulture));
            output.Flush();
        }
    }
}
