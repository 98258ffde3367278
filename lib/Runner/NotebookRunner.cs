using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace Course.Runner;

/// <summary>How notebooks are run.</summary>
public sealed record NotebookRunOptions
{
    /// <summary>A cell that runs longer fails, and its notebook stops there. Default: 120 s.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Folder for the executed copies (same file names), or null to write none.</summary>
    public string? ExecutedDirectory { get; init; }

    /// <summary>Where progress lines go (notebook i/N, cell j/M, elapsed), or null for silence.</summary>
    public TextWriter? Progress { get; init; }

    /// <summary>While a cell runs longer than this, a "still running" line is printed this often.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// Executes .ipynb notebooks the way a learner's Polyglot Notebooks session would: each notebook in a fresh
/// C# kernel (with #r "nuget:" and #r of local DLLs), with the notebook's own folder as the current directory,
/// cell after cell, stopping a notebook at its first failing cell. Outputs are patched into a copy of the
/// notebook's JSON.
/// </summary>
/// <remarks>
/// A fresh kernel, not a fresh process: assemblies a notebook loaded stay loaded, and their static state (for
/// example a chart setting) is what the next notebook starts from. Formatters are reset between notebooks.
/// A cell that times out is abandoned, not killed: its thread runs on until it ends (the CLI exits regardless).
/// </remarks>
public static class NotebookRunner
{
    // The current directory is process-wide: notebooks run one at a time, whoever calls.
    private static readonly SemaphoreSlim OneNotebookAtATime = new(1, 1);

    /// <summary>
    /// The notebooks of a folder in course order (file name order: 01-…, 02-…), optionally only those whose name
    /// matches one of the comma-separated patterns in <paramref name="only"/>: a pattern with * or ? is a glob over the
    /// whole file name, any other pattern matches names that contain it (case-insensitive). "01-*,05" selects 01-… and
    /// every name containing 05.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="only"/> holds no pattern (it is empty or only commas and spaces).</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static IReadOnlyList<string> FindNotebooks(string directory, string? only = null)
    {
        var patterns = only is null ? null : OnlyPatterns(only);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Notebook folder not found: {Path.GetFullPath(directory)}");
        }

        return Directory.EnumerateFiles(directory, "*.ipynb")
            .Where(path => patterns is null || patterns.Any(pattern => NameMatches(Path.GetFileName(path), pattern)))
            .OrderBy(path => Path.GetFileName(path), StringComparer.Ordinal)
            .Select(Path.GetFullPath)
            .ToList();
    }

    /// <summary>The patterns of an --only value: split at commas, trimmed, empty ones dropped.</summary>
    /// <exception cref="ArgumentException">No pattern is left.</exception>
    public static IReadOnlyList<string> OnlyPatterns(string only)
    {
        var patterns = only.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return patterns.Length > 0
            ? patterns
            : throw new ArgumentException($"The notebook filter '{only}' holds no pattern: give one or more comma-separated patterns, e.g. 01-*,05.", nameof(only));
    }

    private static bool NameMatches(string fileName, string pattern) =>
        pattern.IndexOfAny(['*', '?']) < 0
            ? fileName.Contains(pattern, StringComparison.OrdinalIgnoreCase)
            : System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(pattern, fileName, ignoreCase: true);

    /// <summary>Runs the notebooks in the given order; a failing notebook does not stop the others.</summary>
    public static async Task<CourseRunResult> RunAllAsync(IReadOnlyList<string> notebookPaths, NotebookRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        var results = new List<NotebookResult>();
        for (int i = 0; i < notebookPaths.Count; i++)
        {
            var result = await RunNotebookAsync(notebookPaths[i], options, (i + 1, notebookPaths.Count), cancellationToken);
            results.Add(result);
        }

        return new CourseRunResult(results);
    }

    /// <summary>Runs one notebook in a fresh kernel and, when <see cref="NotebookRunOptions.ExecutedDirectory"/> is set, writes its executed copy.</summary>
    public static Task<NotebookResult> RunNotebookAsync(string notebookPath, NotebookRunOptions? options = null, CancellationToken cancellationToken = default) =>
        RunNotebookAsync(notebookPath, options, (1, 1), cancellationToken);

    private static async Task<NotebookResult> RunNotebookAsync(string notebookPath, NotebookRunOptions? options, (int Index, int Count) position, CancellationToken cancellationToken)
    {
        options ??= new NotebookRunOptions();
        notebookPath = Path.GetFullPath(notebookPath);
        var notebook = Ipynb.Load(notebookPath);
        var cells = Ipynb.Cells(notebook);
        var codeCells = cells.Where(c => Ipynb.CellType(c) == "code").ToList();
        var progress = new ProgressPrinter(options.Progress, Path.GetFileName(notebookPath), position, codeCells.Count);
        var executedPath = options.ExecutedDirectory is { } outDirectory
            ? Path.Combine(Path.GetFullPath(outDirectory), Path.GetFileName(notebookPath))
            : null;
        if (string.Equals(executedPath, notebookPath, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The executed copy would overwrite the notebook itself ({notebookPath}): choose another output folder.", nameof(options));
        }

        await OneNotebookAtATime.WaitAsync(cancellationToken);
        var previousDirectory = Environment.CurrentDirectory;
        var clock = Stopwatch.StartNew();
        CellFailure? failure = null;
        int cellsRun = 0;
        var kernel = CreateKernel();
        bool kernelBusy = false;
        try
        {
            Environment.CurrentDirectory = Path.GetDirectoryName(notebookPath)!;
            ConfigureFormatting();
            var recorder = new CellOutputRecorder();
            using var subscription = kernel.KernelEvents.Subscribe(recorder.Record);

            int codeCellNumber = 0;
            for (int cellIndex = 0; cellIndex < cells.Count; cellIndex++)
            {
                var cell = cells[cellIndex];
                if (Ipynb.CellType(cell) != "code")
                {
                    continue;
                }

                codeCellNumber++;
                if (failure is not null)
                {
                    // Cells after the failure did not run: their old outputs would be a lie.
                    cell["execution_count"] = null;
                    cell["outputs"] = new JsonArray();
                    continue;
                }

                var source = Ipynb.Source(cell);
                cell["outputs"] = recorder.StartCell(codeCellNumber);
                cell["execution_count"] = codeCellNumber;
                progress.CellStarted(codeCellNumber, clock.Elapsed);

                var (error, timedOut) = await RunCellAsync(kernel, source, Ipynb.KernelName(notebook, cell), options, recorder, progress, codeCellNumber, clock, cancellationToken);
                cellsRun++;
                if (!timedOut && kernel.FindKernelByName("csharp") is CSharpKernel { ScriptState: { } state })
                {
                    recorder.LinkHandles(state.Variables.Select(v => v.Value));
                }

                if (error is not null)
                {
                    failure = new CellFailure(cellIndex + 1, codeCellNumber, FirstLine(source), error, timedOut);
                    kernelBusy = timedOut;
                }
            }
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
            OneNotebookAtATime.Release();
            DisposeKernel(kernel, kernelBusy);
        }

        clock.Stop();
        if (executedPath is not null)
        {
            Ipynb.Save(notebook, executedPath);
        }

        var result = new NotebookResult(notebookPath, codeCells.Count, cellsRun, clock.Elapsed, failure, executedPath) { ExecutedNotebook = notebook };
        progress.Finished(result);
        return result;
    }

    private static async Task<(string? Error, bool TimedOut)> RunCellAsync(
        CompositeKernel kernel, string source, string kernelName, NotebookRunOptions options, CellOutputRecorder recorder,
        ProgressPrinter progress, int codeCellNumber, Stopwatch clock, CancellationToken cancellationToken)
    {
        using var cellCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var command = new SubmitCode(source, kernelName);
        var cellClock = Stopwatch.StartNew();
        var running = kernel.SendAsync(command, cellCancellation.Token);

        while (true)
        {
            var remaining = options.CellTimeout - cellClock.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            var wait = remaining < options.Heartbeat ? remaining : options.Heartbeat;
            if (await Task.WhenAny(running, Task.Delay(wait, cancellationToken)) == running)
            {
                var result = await running;
                var failed = result.Events.OfType<CommandFailed>().FirstOrDefault(f => f.Command == command)
                             ?? result.Events.OfType<CommandFailed>().FirstOrDefault();
                return (failed?.Message, false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (cellClock.Elapsed < options.CellTimeout)
            {
                progress.StillRunning(codeCellNumber, cellClock.Elapsed, clock.Elapsed);
            }
        }

        await cellCancellation.CancelAsync();
        var message = string.Create(CultureInfo.InvariantCulture,
            $"Cell timed out after {options.CellTimeout.TotalSeconds:0.#} s (the per-cell timeout); the notebook was stopped here.");
        recorder.RecordError("TimeoutException", message);
        return (message, true);
    }

    /// <summary>A fresh kernel like the C# part of a Polyglot Notebooks session.</summary>
    private static CompositeKernel CreateKernel()
    {
        var csharp = new CSharpKernel()
            .UseKernelHelpers()
            .UseValueSharing()
            .UseNugetDirective((kernel, packages) =>
            {
                kernel.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
                return Task.CompletedTask;
            });

        var kernel = new CompositeKernel { csharp };
        kernel.DefaultKernelName = csharp.Name;
        return kernel;
    }

    /// <summary>
    /// Formatters as a fresh Polyglot Notebooks session has them: a previous notebook's registrations are dropped
    /// (so a notebook that forgets its start-up call fails here as it would for a learner), then HTML by default
    /// and strings as plain text, as the front end sets up.
    /// </summary>
    private static void ConfigureFormatting()
    {
        Formatter.ResetToDefault();
        Formatter.DefaultMimeType = HtmlFormatter.MimeType;
        Formatter.SetPreferredMimeTypesFor(typeof(string), PlainTextFormatter.MimeType);
    }

    private static void DisposeKernel(Kernel kernel, bool stillRunningACell)
    {
        if (stillRunningACell)
        {
            // A cell that ignores cancellation keeps its thread; don't wait for it.
            _ = Task.Run(() => TryDispose(kernel));
        }
        else
        {
            TryDispose(kernel);
        }
    }

    private static void TryDispose(Kernel kernel)
    {
        try
        {
            kernel.Dispose();
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The kernel is being abandoned after a timeout; its disposal problems are not the notebook's.
        }
    }

    private static string FirstLine(string source) =>
        source.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "(empty cell)";
}
