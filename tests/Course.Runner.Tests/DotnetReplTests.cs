using System.Diagnostics;
using System.Text.Json.Nodes;
using Course.Runner.Tests.Support;

namespace Course.Runner.Tests;

/// <summary>
/// The demo notebooks under dotnet-repl 0.3.259 (the repository's local tool), a real .NET Interactive host with its
/// own FSharp.Core: the course library must load there too.
/// </summary>
public sealed class DotnetReplTests
{
    private static readonly Lazy<Task> ToolRestore = new(async () =>
    {
        var (exitCode, output) = await RunDotnetAsync(TestPaths.RepoRoot, TimeSpan.FromMinutes(5), "tool", "restore");
        Assert.True(exitCode == 0, $"dotnet tool restore failed ({exitCode}):\n{output}");
    });

    public static IEnumerable<object[]> Demos() =>
        NotebookRunner.FindNotebooks(TestPaths.Demos).Select(path => new object[] { Path.GetFileName(path) });

    [Theory]
    [MemberData(nameof(Demos))]
    public async Task Demo_notebook_runs_under_dotnet_repl(string demo)
    {
        await ToolRestore.Value;
        var outputPath = Path.Combine(TestPaths.NewTempDirectory("repl"), demo);

        // From the notebook's folder, as its relative #r paths expect; exit code 2 means a cell failed.
        var (exitCode, output) = await RunDotnetAsync(
            TestPaths.Demos, TimeSpan.FromMinutes(8), "repl", "--run", demo, "--exit-after-run", "--output-path", outputPath);

        Assert.True(exitCode == 0, $"dotnet repl --run {demo} exited with {exitCode}:\n{Tail(output)}");
        var executed = Ipynb.Load(outputPath);
        var errors = Ipynb.Cells(executed)
            .SelectMany(cell => cell["outputs"] as JsonArray ?? [])
            .Where(o => (string?)o?["output_type"] == "error")
            .Select(o => o!.ToJsonString())
            .ToList();
        Assert.True(errors.Count == 0, $"{demo} under dotnet repl has error outputs: {string.Join("\n", errors)}");
    }

    private static string Tail(string text) => text.Length <= 6000 ? text : "…" + text[^6000..];

    private static async Task<(int ExitCode, string Output)> RunDotnetAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {timeout.TotalMinutes} min\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, $"{await stdout}\n{await stderr}");
    }
}
