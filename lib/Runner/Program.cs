using System.Globalization;
using Course.Runner.Site;

namespace Course.Runner;

/// <summary>The runner's entry point: the command line over <see cref="RunnerCommandLine"/>.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        // The kernel swaps Console.Out/Error while cells run; write to the real streams.
        var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        var stderr = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
        int exitCode = await RunnerCommandLine.RunAsync(args, stdout, stderr);

        // Cells that timed out may still hold threads: end the process rather than wait for them.
        Environment.Exit(exitCode);
        return exitCode;
    }
}

/// <summary>
/// dotnet run --project lib/Runner -c Release -- [run] [--notebooks DIR] [--out DIR] [--only PATTERN[,PATTERN…]] [--cell-timeout S] [--no-site]
/// dotnet run --project lib/Runner -c Release -- render [--notebooks DIR] [--out DIR]
/// </summary>
public static class RunnerCommandLine
{
    private const string Usage = """
        Runs the course's notebooks and renders the executed course as an offline site.

        usage: dotnet run --project lib/Runner -c Release -- [run] [options]
               dotnet run --project lib/Runner -c Release -- render [options]

          run      (default) execute the notebooks in course order, each in a fresh C# kernel, write the
                   executed copies to OUT/notebooks/, then render the site to OUT/site/
          render   render OUT/site/ from the executed copies already in OUT/notebooks/

        options:
          --notebooks DIR     the notebooks folder (default: notebooks/ of the repository)
          --out DIR           the output folder (default: artifacts/ of the repository)
          --only PATTERNS     only notebooks whose file name contains a pattern (or matches it, with * and ?);
                              several patterns separated by commas, e.g. --only 01-*,05-*
          --cell-timeout S    seconds a cell may run before it fails and its notebook stops (default 120)
          --no-site           run only, do not render the site
          -h, --help          this text

        exit code: 0 all notebooks passed, 1 a notebook failed, 2 bad arguments, 3 the site could not be rendered.
        """;

    /// <summary>Runs the command line; progress and errors go to <paramref name="stderr"/>, the table and the site's address to <paramref name="stdout"/>.</summary>
    /// <returns>0 all notebooks passed, 1 a notebook failed, 2 bad arguments, 3 the site could not be rendered.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        CommandLine options;
        try
        {
            options = CommandLine.Parse(args);
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}\n\n{Usage}");
            return 2;
        }

        if (options.Help)
        {
            await stdout.WriteLineAsync(Usage);
            return 0;
        }

        var paths = CoursePaths.Find();
        var notebooksDir = Path.GetFullPath(options.Notebooks ?? paths.Notebooks);
        var outDir = Path.GetFullPath(options.Out ?? paths.Artifacts);
        var executedDir = Path.Combine(outDir, "notebooks");
        int exitCode = 0;

        if (options.Command == "run")
        {
            if (!Directory.Exists(notebooksDir))
            {
                await stderr.WriteLineAsync($"error: notebook folder not found: {notebooksDir}");
                return 2;
            }

            var notebooks = NotebookRunner.FindNotebooks(notebooksDir, options.Only);
            if (notebooks.Count == 0)
            {
                await stderr.WriteLineAsync($"No notebooks{(options.Only is null ? "" : $" matching '{options.Only}'")} in {notebooksDir}.");
                return options.Only is null ? 0 : 2;
            }

            await stderr.WriteLineAsync($"Running {notebooks.Count} notebook(s) from {notebooksDir} (cell timeout {options.CellTimeout.TotalSeconds:0.#} s)");
            CourseRunResult result;
            try
            {
                result = await NotebookRunner.RunAllAsync(notebooks, new NotebookRunOptions
                {
                    CellTimeout = options.CellTimeout,
                    ExecutedDirectory = executedDir,
                    Progress = stderr,
                });
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException)
            {
                await stderr.WriteLineAsync($"error: {e.Message}");
                return 2;
            }

            await stdout.WriteLineAsync();
            await stdout.WriteAsync(result.Table());
            foreach (var failed in result.Notebooks.Where(n => !n.Passed))
            {
                await stdout.WriteLineAsync($"\nFAILED {failed.Describe()}");
            }

            await stdout.WriteLineAsync($"Executed copies: {executedDir}");
            exitCode = result.Passed ? 0 : 1;
        }

        if (options.Command == "render" || (options.Command == "run" && !options.NoSite))
        {
            try
            {
                var site = RenderSite(notebooksDir, executedDir, Path.Combine(outDir, "site"), paths);
                foreach (var warning in site.Warnings)
                {
                    await stderr.WriteLineAsync($"warning: {warning}");
                }

                await stdout.WriteLineAsync($"Site: {site.Pages.Count} lesson page(s). Open file://{site.IndexPath}");
            }
            catch (Exception e) when (e is SiteRenderException or DirectoryNotFoundException)
            {
                await stderr.WriteLineAsync($"error: {e.Message}");
                return 3;
            }
        }

        return exitCode;
    }

    /// <summary>The executed copies of the notebooks that are still in the notebooks folder, in course order (all of them when that folder is gone).</summary>
    private static SiteResult RenderSite(string notebooksDir, string executedDir, string siteDir, CoursePaths paths)
    {
        var executed = Directory.Exists(executedDir) ? NotebookRunner.FindNotebooks(executedDir) : [];
        if (Directory.Exists(notebooksDir))
        {
            var sources = NotebookRunner.FindNotebooks(notebooksDir).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
            executed = executed.Where(path => sources.Contains(Path.GetFileName(path))).ToList();
        }

        return SiteRenderer.Render(executed, siteDir, paths.PlotlyJs, paths.KatexDist);
    }

    private sealed record CommandLine(string Command, string? Notebooks, string? Out, string? Only, TimeSpan CellTimeout, bool NoSite, bool Help)
    {
        public static CommandLine Parse(string[] args)
        {
            var line = new CommandLine("run", null, null, null, TimeSpan.FromSeconds(120), false, false);
            for (int i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                line = args[i] switch
                {
                    "run" or "render" when i == 0 => line with { Command = args[i] },
                    "--notebooks" => line with { Notebooks = Value() },
                    "--out" => line with { Out = Value() },
                    "--only" => line with { Only = Patterns(Value()) },
                    "--cell-timeout" => line with { CellTimeout = Seconds(Value()) },
                    "--no-site" => line with { NoSite = true },
                    "-h" or "--help" => line with { Help = true },
                    var unknown => throw new ArgumentException($"unknown argument '{unknown}'."),
                };
            }

            return line;
        }

        private static string Patterns(string patterns)
        {
            try
            {
                NotebookRunner.OnlyPatterns(patterns);
                return patterns;
            }
            catch (ArgumentException)
            {
                throw new ArgumentException($"--only needs one or more comma-separated patterns, not '{patterns}'.");
            }
        }

        private static TimeSpan Seconds(string text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : throw new ArgumentException($"--cell-timeout needs a positive number of seconds, not '{text}'.");
    }
}
