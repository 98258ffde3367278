using Course.Runner.Tests.Support;

namespace Course.Runner.Tests;

/// <summary>The CLI (`dotnet run --project lib/Runner -- …`) through its in-process entry point.</summary>
public sealed class CommandLineTests
{
    private static async Task<(int ExitCode, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exitCode = await RunnerCommandLine.RunAsync(args, stdout, stderr);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Run_prints_progress_the_table_the_failure_and_where_to_open_the_site_then_exits_non_zero()
    {
        var outDir = TestPaths.NewTempDirectory("cli");
        var (exitCode, stdout, stderr) = await RunAsync("run", "--notebooks", Path.Combine(TestPaths.Fixtures, "course"), "--out", outDir);

        Assert.Equal(1, exitCode);
        Assert.Contains("[2/3] 02-failing.ipynb  cell 2/3", stderr);
        Assert.Contains("FAILED 02-failing.ipynb, cell 4 (code cell 2): var parsed = int.Parse(\"not a number\");", stderr);
        Assert.Matches(@"notebook\s+cells\s+seconds\s+status", stdout);
        Assert.Matches(@"01-passing\.ipynb\s+5/5\s+\d+\.\d\s+passed", stdout);
        Assert.Matches(@"02-failing\.ipynb\s+2/3\s+\d+\.\d\s+failed at cell 4", stdout);
        Assert.Contains($"Open file://{Path.Combine(outDir, "site", "index.html")}", stdout);
        Assert.True(File.Exists(Path.Combine(outDir, "notebooks", "03-after-failure.ipynb")));

        // render: the site again from the executed copies, without running anything.
        File.Delete(Path.Combine(outDir, "site", "index.html"));
        var render = await RunAsync("render", "--notebooks", Path.Combine(TestPaths.Fixtures, "course"), "--out", outDir);
        Assert.Equal(0, render.ExitCode);
        Assert.True(File.Exists(Path.Combine(outDir, "site", "index.html")));
        Assert.DoesNotContain("cell 1/", render.Err);
    }

    [Fact]
    public async Task Only_and_no_site_run_just_the_matching_notebooks()
    {
        var outDir = TestPaths.NewTempDirectory("cli-only");
        var (exitCode, stdout, _) = await RunAsync("--notebooks", Path.Combine(TestPaths.Fixtures, "course"), "--out", outDir, "--only", "after", "--no-site", "--cell-timeout", "30");

        Assert.Equal(0, exitCode);
        Assert.Contains("total: 1 passed, 0 failed", stdout);
        Assert.Equal(["03-after-failure.ipynb"], Directory.EnumerateFiles(Path.Combine(outDir, "notebooks")).Select(Path.GetFileName));
        Assert.False(Directory.Exists(Path.Combine(outDir, "site")));
    }

    [Fact]
    public async Task Only_takes_a_comma_separated_list_of_patterns()
    {
        var outDir = TestPaths.NewTempDirectory("cli-only-list");
        var (exitCode, stdout, stderr) = await RunAsync("--notebooks", Path.Combine(TestPaths.Fixtures, "course"), "--out", outDir, "--only", "01-*,03-*", "--no-site");

        Assert.Equal(0, exitCode);
        Assert.Contains("Running 2 notebook(s)", stderr);
        Assert.Contains("total: 2 passed, 0 failed", stdout);
        Assert.Equal(["01-passing.ipynb", "03-after-failure.ipynb"], Directory.EnumerateFiles(Path.Combine(outDir, "notebooks")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("--only", ",")]
    [InlineData("--cell-timeout", "soon")]
    [InlineData("--cell-timeout", "-1")]
    [InlineData("--frobnicate")]
    [InlineData("--out")]
    public async Task Bad_arguments_exit_2_with_the_usage(params string[] args)
    {
        var (exitCode, _, stderr) = await RunAsync(args);
        Assert.Equal(2, exitCode);
        Assert.Contains("error: ", stderr);
        Assert.Contains("usage: dotnet run --project lib/Runner", stderr);
    }

    [Fact]
    public async Task Help_prints_the_usage()
    {
        var (exitCode, stdout, _) = await RunAsync("--help");
        Assert.Equal(0, exitCode);
        Assert.Contains("--only PATTERNS", stdout);
        Assert.Contains("--only 01-*,05-*", stdout);
    }
}
