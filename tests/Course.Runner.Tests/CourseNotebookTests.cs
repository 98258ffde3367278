using Course.Runner.Tests.Support;

namespace Course.Runner.Tests;

/// <summary>
/// Every course notebook (notebooks/*.ipynb) and demo notebook, executed in a fresh kernel: one test case per
/// notebook, failing with the notebook, the cell number, the cell's first line and the error.
/// </summary>
public sealed class CourseNotebookTests
{
    public static IEnumerable<object[]> Notebooks() => CourseNotebooks.TheoryData();

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_runs_without_error(string notebook)
    {
        var result = await CourseNotebooks.RunAsync(TestPaths.Absolute(notebook));

        Assert.True(result.Passed, $"{notebook}: {result.Describe()}");
        Assert.Equal(result.CodeCells, result.CellsRun);
    }
}
