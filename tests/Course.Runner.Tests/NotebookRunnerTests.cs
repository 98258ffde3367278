using System.Text.Json.Nodes;
using Course.Runner.Tests.Support;
using Xunit.Abstractions;

namespace Course.Runner.Tests;

/// <summary>The runner on small fixture notebooks: outputs, failures, timeouts, determinism, metadata.</summary>
public sealed class NotebookRunnerTests(ITestOutputHelper output)
{
    private static string Fixture(string relative) => Path.Combine(TestPaths.Fixtures, relative);

    private NotebookRunOptions Options(string outDirectory, double cellTimeoutSeconds = 120) => new()
    {
        ExecutedDirectory = outDirectory,
        CellTimeout = TimeSpan.FromSeconds(cellTimeoutSeconds),
        Progress = new TestOutputWriter(output),
    };

    private static JsonArray Outputs(JsonObject notebook, int cellNumber) =>
        Ipynb.Cells(notebook)[cellNumber - 1]["outputs"]!.AsArray();

    private static JsonObject SingleOutput(JsonObject notebook, int cellNumber) =>
        Assert.IsType<JsonObject>(Assert.Single(Outputs(notebook, cellNumber)));

    [Fact]
    public async Task Passing_notebook_gets_every_output_patched_in_nbformat_form()
    {
        var outDir = TestPaths.NewTempDirectory("passing");
        var result = await NotebookRunner.RunNotebookAsync(Fixture("course/01-passing.ipynb"), Options(outDir));

        Assert.True(result.Passed, result.Describe());
        Assert.Equal((5, 5), (result.CodeCells, result.CellsRun));
        var executed = Ipynb.Load(Path.Combine(outDir, "01-passing.ipynb"));

        // Cell 2: two writes to stdout form one stream output.
        var stream = SingleOutput(executed, 2);
        Assert.Equal("stream", (string?)stream["output_type"]);
        Assert.Equal("stdout", (string?)stream["name"]);
        Assert.Equal("hello from the fixture\nsecond line", Ipynb.MultilineText(stream["text"]));
        Assert.Equal(1, (int?)Ipynb.Cells(executed)[1]["execution_count"]);

        // Cell 3: the cell's value is an execute_result carrying the execution count.
        var result3 = SingleOutput(executed, 3);
        Assert.Equal("execute_result", (string?)result3["output_type"]);
        Assert.Equal(2, (int?)result3["execution_count"]);
        Assert.Contains("42", Ipynb.MultilineText(result3["data"]!["text/html"]));

        // Cell 4: the updated display replaced the first one in place.
        var display = SingleOutput(executed, 4);
        Assert.Equal("display_data", (string?)display["output_type"]);
        Assert.Equal("updated value", Ipynb.MultilineText(display["data"]!["text/plain"]));

        // Cell 5: every mime type kept; the plotly figure stored as a JSON object, not a string.
        var figure = SingleOutput(executed, 5)["data"]!.AsObject();
        Assert.Equal(["application/vnd.plotly.v1+json", "text/html"], figure.Select(p => p.Key).Order(StringComparer.Ordinal));
        var plotly = Assert.IsType<JsonObject>(figure["application/vnd.plotly.v1+json"]);
        Assert.Equal("fixture chart", (string?)plotly["layout"]!["title"]!["text"]);
        Assert.Equal("bar", (string?)plotly["data"]![0]!["type"]);

        // Cell 6: the notebook ran with its own folder as the current directory.
        Assert.Equal("course\n", Ipynb.MultilineText(SingleOutput(executed, 6)["text"]));
    }

    [Fact]
    public async Task Display_handle_updates_replace_the_value_they_update()
    {
        var result = await NotebookRunner.RunNotebookAsync(Fixture("display/01-display-handles.ipynb"), Options(TestPaths.NewTempDirectory("display")));

        Assert.True(result.Passed, result.Describe());
        var executed = result.ExecutedNotebook!;
        string[] Texts(int cellNumber) => Outputs(executed, cellNumber).Select(o => Ipynb.MultilineText(o!["data"]!["text/plain"])).ToArray();

        // Cell 2: display(x) then .Update twice: one output, the last value, where x was shown.
        var progress = SingleOutput(executed, 2);
        Assert.Equal("display_data", (string?)progress["output_type"]);
        Assert.Equal("step 2 of 2: done", Ipynb.MultilineText(progress["data"]!["text/plain"]));

        // Cell 3: two handles of the same kind. Their first updates cannot be matched to a display, so each is shown
        // after the two displays (and later updates patch it) rather than written over a display it may not own.
        Assert.Equal(["first: starting", "second: starting", "first: done", "second: done"], Texts(3));

        // Cell 4: a display of another kind (an array, as HTML) is not taken for the string handle's display.
        var cell4 = Outputs(executed, 4);
        Assert.Equal(2, cell4.Count);
        Assert.Contains("[ 1, 2, 3 ]", Ipynb.MultilineText(cell4[0]!["data"]!["text/html"]));
        Assert.Equal("status: finished", Ipynb.MultilineText(cell4[1]!["data"]!["text/plain"]));

        // Cells 5 and 6: a handle kept in a variable and updated from the next cell patches its own cell's output,
        // not the string that the next cell displayed just before.
        Assert.Equal(["later: done"], Texts(5));
        Assert.Equal(["an unrelated note"], Texts(6));
    }

    [Fact]
    public async Task Failing_cell_is_named_and_the_run_goes_on_to_the_next_notebook()
    {
        var outDir = TestPaths.NewTempDirectory("course");
        var notebooks = NotebookRunner.FindNotebooks(Fixture("course"));
        var run = await NotebookRunner.RunAllAsync(notebooks, Options(outDir));

        Assert.Equal(["01-passing.ipynb", "02-failing.ipynb", "03-after-failure.ipynb"], run.Notebooks.Select(n => n.Name));
        Assert.False(run.Passed);
        Assert.True(run.Notebooks[0].Passed, run.Notebooks[0].Describe());
        Assert.True(run.Notebooks[2].Passed, run.Notebooks[2].Describe());

        var failed = run.Notebooks[1];
        var failure = Assert.IsType<CellFailure>(failed.Failure);
        Assert.Equal((4, 2), (failure.CellNumber, failure.CodeCellNumber));
        Assert.Equal("var parsed = int.Parse(\"not a number\");", failure.FirstLine);
        Assert.Contains("FormatException", failure.Error);
        Assert.False(failure.TimedOut);
        Assert.Equal((3, 2), (failed.CodeCells, failed.CellsRun));

        var message = failed.Describe();
        Assert.Contains("02-failing.ipynb", message);
        Assert.Contains("cell 4", message);
        Assert.Contains("var parsed = int.Parse(\"not a number\");", message);
        Assert.Contains("not a number", message);

        var table = run.Table();
        Assert.Contains("failed at cell 4", table);
        Assert.Contains("total: 2 passed, 1 failed", table);

        // The failing cell shows its error; the cell after it did not run and shows nothing.
        var executed = Ipynb.Load(Path.Combine(outDir, "02-failing.ipynb"));
        var error = SingleOutput(executed, 4);
        Assert.Equal("error", (string?)error["output_type"]);
        Assert.Equal("FormatException", (string?)error["ename"]);
        Assert.Empty(Outputs(executed, 5));
        Assert.Null(Ipynb.Cells(executed)[4]["execution_count"]);
        Assert.Equal("the run went on\n", Ipynb.MultilineText(SingleOutput(Ipynb.Load(Path.Combine(outDir, "03-after-failure.ipynb")), 2)["text"]));
    }

    [Fact]
    public async Task Compile_error_fails_its_cell_with_the_compiler_message()
    {
        var result = await NotebookRunner.RunNotebookAsync(Fixture("errors/01-compile-error.ipynb"), Options(TestPaths.NewTempDirectory("compile")));

        var failure = Assert.IsType<CellFailure>(result.Failure);
        Assert.Equal(2, failure.CellNumber);
        Assert.Equal("int total = undefinedName + 1;", failure.FirstLine);
        Assert.Contains("CS0103", failure.Error);
        Assert.Contains("undefinedName", failure.Error);
    }

    [Fact]
    public async Task Cell_past_the_timeout_fails_and_stops_its_notebook()
    {
        var outDir = TestPaths.NewTempDirectory("timeout");
        var result = await NotebookRunner.RunNotebookAsync(Fixture("timeout/01-timeout.ipynb"), Options(outDir, cellTimeoutSeconds: 8));

        var failure = Assert.IsType<CellFailure>(result.Failure);
        Assert.True(failure.TimedOut);
        Assert.Equal((3, 2), (failure.CellNumber, failure.CodeCellNumber));
        Assert.StartsWith("// Sleeps far longer", failure.FirstLine);
        Assert.Contains("timed out after 8 s", failure.Error);
        Assert.Equal("timed out at cell 3", result.Status);
        Assert.Equal(2, result.CellsRun);
        // The fixture's cell sleeps 120 s: the run must not have waited for it.
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(60), $"the timed-out notebook took {result.Elapsed.TotalSeconds:F0} s");

        var executed = Ipynb.Load(Path.Combine(outDir, "01-timeout.ipynb"));
        Assert.Equal("TimeoutException", (string?)SingleOutput(executed, 3)["ename"]);
        Assert.Empty(Outputs(executed, 4));
    }

    [Fact]
    public async Task Nuget_package_reference_is_restored_and_usable()
    {
        var outDir = TestPaths.NewTempDirectory("nuget");
        var result = await NotebookRunner.RunNotebookAsync(Fixture("nuget/01-nuget-package.ipynb"), Options(outDir));

        Assert.True(result.Passed, result.Describe());
        var executed = Ipynb.Load(Path.Combine(outDir, "01-nuget-package.ipynb"));
        // The restore's progress display was updated in place to its final "Installed Packages" state.
        var installed = Ipynb.MultilineText(SingleOutput(executed, 2)["data"]!["text/html"]);
        Assert.Contains("Installed Packages", installed);
        Assert.Contains("Humanizer.Core, 2.14.1", installed);
        Assert.Equal("scaled dot product attention", Ipynb.MultilineText(SingleOutput(executed, 3)["data"]!["text/plain"]));
    }

    [Fact]
    public async Task Rerun_writes_a_byte_identical_executed_copy()
    {
        var first = TestPaths.NewTempDirectory("rerun-1");
        var second = TestPaths.NewTempDirectory("rerun-2");
        var notebooks = NotebookRunner.FindNotebooks(Fixture("course"));
        await NotebookRunner.RunAllAsync(notebooks, Options(first));
        await NotebookRunner.RunAllAsync(notebooks, Options(second));

        foreach (var name in notebooks.Select(Path.GetFileName))
        {
            var bytes = File.ReadAllBytes(Path.Combine(first, name!));
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second, name!))), $"{name} differs between two runs");
            Assert.DoesNotContain("execution_time", System.Text.Encoding.UTF8.GetString(bytes));
        }
    }

    [Fact]
    public async Task Notebook_metadata_cell_metadata_and_sources_are_kept()
    {
        var source = Fixture("course/01-passing.ipynb");
        var outDir = TestPaths.NewTempDirectory("metadata");
        await NotebookRunner.RunNotebookAsync(source, Options(outDir));

        var original = Ipynb.Load(source);
        var executed = Ipynb.Load(Path.Combine(outDir, "01-passing.ipynb"));
        Assert.True(JsonNode.DeepEquals(original["metadata"], executed["metadata"]), "notebook metadata changed");
        Assert.Equal(true, (bool?)executed["metadata"]!["course_fixture"]!["kept"]);
        Assert.Equal(4, (int?)executed["nbformat"]);
        Assert.Equal(5, (int?)executed["nbformat_minor"]);

        var before = Ipynb.Cells(original);
        var after = Ipynb.Cells(executed);
        Assert.Equal(before.Count, after.Count);
        for (int i = 0; i < before.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(before[i]["metadata"], after[i]["metadata"]), $"metadata of cell {i + 1} changed");
            Assert.Equal(Ipynb.Source(before[i]), Ipynb.Source(after[i]));
            Assert.Equal(Ipynb.CellType(before[i]), Ipynb.CellType(after[i]));
        }

        Assert.Equal("kept-code", (string?)after[2]["metadata"]!["tags"]![0]);
    }

    [Fact]
    public async Task Executed_copy_may_not_overwrite_its_source_notebook()
    {
        var folder = TestPaths.NewTempDirectory("in-place");
        var notebook = Path.Combine(folder, "01-passing.ipynb");
        File.Copy(Fixture("course/01-passing.ipynb"), notebook);
        var before = File.ReadAllText(notebook);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => NotebookRunner.RunNotebookAsync(notebook, Options(folder)));
        Assert.Contains("overwrite the notebook itself", error.Message);
        Assert.Equal(before, File.ReadAllText(notebook));
    }

    [Fact]
    public void Notebooks_are_found_in_course_order_and_filtered_by_name()
    {
        var all = NotebookRunner.FindNotebooks(Fixture("course")).Select(Path.GetFileName);
        Assert.Equal(["01-passing.ipynb", "02-failing.ipynb", "03-after-failure.ipynb"], all);
        Assert.Equal(["02-failing.ipynb"], NotebookRunner.FindNotebooks(Fixture("course"), "02").Select(Path.GetFileName));
        Assert.Equal(["03-after-failure.ipynb"], NotebookRunner.FindNotebooks(Fixture("course"), "AFTER").Select(Path.GetFileName));
        Assert.Equal(["01-passing.ipynb"], NotebookRunner.FindNotebooks(Fixture("course"), "*pass*.ipynb").Select(Path.GetFileName));
        Assert.Empty(NotebookRunner.FindNotebooks(Fixture("course"), "9?-*"));
        Assert.Throws<DirectoryNotFoundException>(() => NotebookRunner.FindNotebooks(Fixture("no-such-folder")));
    }

    [Fact]
    public void Several_comma_separated_patterns_select_every_notebook_any_of_them_matches_once_in_course_order()
    {
        string[] Names(string only) => NotebookRunner.FindNotebooks(Fixture("course"), only).Select(Path.GetFileName).ToArray()!;

        Assert.Equal(["01-passing.ipynb", "03-after-failure.ipynb"], Names("03-*,01-*"));
        Assert.Equal(["01-passing.ipynb", "03-after-failure.ipynb"], Names(" AFTER , pass "));
        Assert.Equal(["02-failing.ipynb"], Names("02,failing,02-*.ipynb"));
        Assert.Equal(["02-failing.ipynb"], Names("9?-*,02,"));
        Assert.Empty(Names("9?-*,nothing"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ,")]
    public void A_filter_without_any_pattern_is_refused(string only)
    {
        var error = Assert.Throws<ArgumentException>(() => NotebookRunner.FindNotebooks(Fixture("course"), only));
        Assert.Equal("only", error.ParamName);
        Assert.Contains($"'{only}' holds no pattern", error.Message);
    }
}
